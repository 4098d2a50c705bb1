//! Times are Unix milliseconds inside Kassa and RFC 3339 (UTC) on the wire.

use time::{format_description::well_known::Rfc3339, OffsetDateTime};

pub fn now_ms() -> i64 {
    (OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000) as i64
}

pub fn rfc3339(ms: i64) -> String {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .ok()
        .and_then(|t| t.format(&Rfc3339).ok())
        .unwrap_or_default()
}

pub fn year_month(ms: i64) -> app::checks::YearMonth {
    let t = OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000).unwrap_or(OffsetDateTime::UNIX_EPOCH);
    app::checks::YearMonth { year: t.year() as u16, month: u8::from(t.month()) }
}

#[cfg(test)]
mod tests {
    #[test]
    fn formats_utc() {
        assert_eq!(super::rfc3339(1_764_000_000_123), "2025-11-24T16:00:00.123Z");
        assert_eq!(super::rfc3339(0), "1970-01-01T00:00:00Z");
    }
}
