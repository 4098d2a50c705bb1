//! Ids are a prefix and 128 random bits from the operating system's CSPRNG,
//! in base62 (DESIGN.md §1).

use rand::{rngs::OsRng, RngCore};

pub fn random_base62() -> String {
    let mut bytes = [0u8; 16];
    OsRng.fill_bytes(&mut bytes);
    format!("{:0>22}", base62::encode(u128::from_le_bytes(bytes)))
}

pub fn new_id(prefix: &str) -> String {
    format!("{prefix}_{}", random_base62())
}

#[cfg(test)]
mod tests {
    #[test]
    fn ids_are_prefixed_fixed_length_and_distinct() {
        let a = super::new_id("cs");
        let b = super::new_id("cs");
        assert!(a.starts_with("cs_"));
        assert_eq!(a.len(), 3 + 22);
        assert!(a[3..].chars().all(|c| c.is_ascii_alphanumeric()));
        assert_ne!(a, b);
    }
}
