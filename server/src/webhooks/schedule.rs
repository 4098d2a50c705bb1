//! When to try a failing delivery again: quickly at first, then further
//! apart, with jitter so many endpoints do not retry in step, and never
//! past three days from the event.

pub const GIVE_UP_AFTER_MS: i64 = 3 * 24 * 60 * 60 * 1000;

/// The wait before try `n + 1`, after `n` failed tries.
const WAITS_MS: [i64; 8] = [
    5_000,
    5 * 60_000,
    30 * 60_000,
    2 * 60 * 60_000,
    5 * 60 * 60_000,
    10 * 60 * 60_000,
    14 * 60 * 60_000,
    20 * 60 * 60_000,
];

/// `jitter` in [0, 1): up to 20 % longer.
pub fn next_try(created_at: i64, now: i64, failed_tries: i64, jitter: f64) -> Option<i64> {
    let index = usize::try_from(failed_tries.max(1) - 1).unwrap_or(0).min(WAITS_MS.len() - 1);
    let wait = WAITS_MS[index] as f64 * (1.0 + 0.2 * jitter.clamp(0.0, 1.0));
    let at = now + wait as i64;
    (at - created_at <= GIVE_UP_AFTER_MS).then_some(at)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backs_off_and_gives_up_after_three_days() {
        let created = 1_000_000;
        let mut now = created;
        let mut tries = Vec::new();
        for failed in 1.. {
            match next_try(created, now, failed, 0.0) {
                Some(at) => {
                    assert!(at > now);
                    tries.push(at - now);
                    now = at;
                }
                None => break,
            }
        }
        assert_eq!(&tries[..3], &[5_000, 300_000, 1_800_000]);
        assert!(tries.windows(2).all(|w| w[0] <= w[1]), "waits never shrink");
        assert!(now - created <= GIVE_UP_AFTER_MS && now - created > GIVE_UP_AFTER_MS - 20 * 3_600_000);
        assert!((8..=12).contains(&tries.len()), "{} tries", tries.len());
    }

    #[test]
    fn jitter_only_lengthens_a_wait_a_little() {
        let plain = next_try(0, 0, 1, 0.0).unwrap();
        let jittered = next_try(0, 0, 1, 0.99).unwrap();
        assert!(jittered > plain && jittered <= plain * 12 / 10);
    }
}
