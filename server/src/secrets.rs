//! Secrets Kassa must read back (webhook signing secrets) are sealed with
//! ChaCha20-Poly1305 under a master key, so the database never holds them in
//! clear. The key comes from `KASSA_MASTER_KEY`, or a key file made on first
//! start in the data directory (readable by the service's user only).

use base64::{engine::general_purpose::STANDARD, Engine};
use chacha20poly1305::{
    aead::{Aead, AeadCore, KeyInit, OsRng},
    ChaCha20Poly1305, Key, Nonce,
};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::path::Path;

pub struct Sealer {
    cipher: ChaCha20Poly1305,
    /// HMAC-SHA256 under a key derived from the master key, for card fingerprints.
    fingerprints: Hmac<Sha256>,
}

impl Sealer {
    pub fn new(key: &[u8; 32]) -> Sealer {
        let derive = <Hmac<Sha256> as Mac>::new_from_slice(key).expect("HMAC takes any key length");
        let derived = derive.chain_update(b"kassa card fingerprint v1").finalize().into_bytes();
        Sealer {
            cipher: ChaCha20Poly1305::new(Key::from_slice(key)),
            fingerprints: <Hmac<Sha256> as Mac>::new_from_slice(&derived).expect("HMAC takes any key length"),
        }
    }

    /// Names a card across sessions without keeping its number: a keyed
    /// hash nobody without the master key can test numbers against.
    pub fn card_fingerprint(&self, number: &str) -> String {
        let digest = self.fingerprints.clone().chain_update(number.as_bytes()).finalize().into_bytes();
        digest[..16].iter().map(|b| format!("{b:02x}")).collect()
    }

    /// A new master key, base64-encoded, as `KASSA_MASTER_KEY` takes it.
    pub fn generate_key() -> String {
        STANDARD.encode(ChaCha20Poly1305::generate_key(&mut OsRng))
    }

    /// The configured key, else the data directory's key file (made if missing).
    pub fn load(configured: Option<&str>, data_dir: &Path) -> anyhow::Result<Sealer> {
        let decode = |text: &str| -> anyhow::Result<[u8; 32]> {
            let bytes = STANDARD.decode(text.trim())?;
            bytes.try_into().map_err(|_| anyhow::anyhow!("the master key must be 32 bytes, base64-encoded"))
        };
        if let Some(text) = configured {
            return Ok(Sealer::new(&decode(text)?));
        }
        let path = data_dir.join("master.key");
        if let Ok(text) = std::fs::read_to_string(&path) {
            return Ok(Sealer::new(&decode(&text)?));
        }
        let key = Sealer::generate_key();
        write_private(&path, &key)?;
        Ok(Sealer::new(&decode(&key)?))
    }

    /// base64(nonce ‖ ciphertext).
    pub fn seal(&self, secret: &str) -> String {
        let nonce = ChaCha20Poly1305::generate_nonce(&mut OsRng);
        let sealed = self.cipher.encrypt(&nonce, secret.as_bytes()).unwrap_or_default();
        STANDARD.encode([nonce.as_slice(), &sealed].concat())
    }

    pub fn open(&self, sealed: &str) -> Option<String> {
        let bytes = STANDARD.decode(sealed).ok()?;
        if bytes.len() < 12 {
            return None;
        }
        let (nonce, ciphertext) = bytes.split_at(12);
        let plain = self.cipher.decrypt(Nonce::from_slice(nonce), ciphertext).ok()?;
        String::from_utf8(plain).ok()
    }
}

#[cfg(unix)]
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(path)?;
    file.write_all(text.as_bytes())
}

#[cfg(not(unix))]
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    std::fs::write(path, text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use sha2::Digest;

    #[test]
    fn seals_and_opens_and_refuses_tampering() {
        let dir = tempfile::tempdir().unwrap();
        let sealer = Sealer::load(None, dir.path()).unwrap();
        let sealed = sealer.seal("whsec_abc");
        assert!(!sealed.contains("whsec_abc"));
        assert_eq!(sealer.open(&sealed).as_deref(), Some("whsec_abc"));
        let again = Sealer::load(None, dir.path()).unwrap();
        assert_eq!(again.open(&sealed).as_deref(), Some("whsec_abc"), "the key file is reused");
        let mut bytes = STANDARD.decode(&sealed).unwrap();
        *bytes.last_mut().unwrap() ^= 1;
        assert_eq!(sealer.open(&STANDARD.encode(bytes)), None);
        assert!(Sealer::load(Some("c2hvcnQ="), dir.path()).is_err());
    }

    #[test]
    fn card_fingerprints_are_keyed_and_hold_no_digits_of_the_number() {
        let (one, other) = (Sealer::new(&[1; 32]), Sealer::new(&[2; 32]));
        let number = "4000000000000002";
        assert_eq!(one.card_fingerprint(number), one.card_fingerprint(number));
        assert_ne!(one.card_fingerprint(number), one.card_fingerprint("4242424242424242"));
        assert_ne!(one.card_fingerprint(number), other.card_fingerprint(number), "another key, another name");
        let plain: String = Sha256::digest(number.as_bytes()).iter().map(|b| format!("{b:02x}")).collect();
        assert!(!plain.starts_with(&one.card_fingerprint(number)), "not the number's bare hash");
    }
}
