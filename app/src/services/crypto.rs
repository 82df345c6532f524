//! Secrets: random tokens, their keyed hashes, password hashing.

use argon2::{Argon2, PasswordHash, PasswordHasher, PasswordVerifier, password_hash::SaltString};
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// A random token for a cookie or a one-time link: 256 bits, hex.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("the operating system's random source is available");
    hex(&bytes)
}

/// What the database keeps instead of a token: HMAC-SHA256 under the server secret, so a copy of
/// the database alone cannot be turned into working cookies or links.
pub fn token_hash(secret: &[u8], token: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC accepts keys of any length");
    mac.update(token.as_bytes());
    hex(&mac.finalize().into_bytes())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Argon2id with the crate's defaults (19 MiB, 2 passes). CPU-heavy: call from a blocking task.
pub fn hash_password(password: &str) -> String {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).expect("the operating system's random source is available");
    let salt = SaltString::encode_b64(&salt).expect("16 bytes make a valid salt");
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .expect("argon2 hashes any password with valid parameters")
        .to_string()
}

pub fn verify_password(hash: &str, password: &str) -> bool {
    PasswordHash::new(hash)
        .map(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
        .unwrap_or(false)
}

/// At most this many password hashes run at once, process-wide: each holds Argon2's 19 MiB and a
/// core for ~25 ms, so a burst of sign-ins queues here instead of growing memory and starving
/// every other request.
static HASHING: std::sync::LazyLock<tokio::sync::Semaphore> = std::sync::LazyLock::new(|| {
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    tokio::sync::Semaphore::new(cores.clamp(1, 4))
});

async fn hashing_turn() -> tokio::sync::SemaphorePermit<'static> {
    HASHING.acquire().await.expect("the hashing semaphore is never closed")
}

pub async fn hash_password_async(password: String) -> String {
    let _turn = hashing_turn().await;
    tokio::task::spawn_blocking(move || hash_password(&password)).await.expect("hashing does not panic")
}

/// Checks a password; with no stored hash it still spends the same time, so response times do
/// not tell which accounts exist.
pub async fn verify_password_async(hash: Option<String>, password: String) -> bool {
    let _turn = hashing_turn().await;
    tokio::task::spawn_blocking(move || match hash {
        Some(h) => verify_password(&h, &password),
        None => {
            static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
            let dummy = DUMMY.get_or_init(|| hash_password("kabinet-timing-equaliser"));
            let _ = verify_password(dummy, &password);
            false
        }
    })
    .await
    .unwrap_or(false)
}

/// HMAC-SHA256 of a message, hex: how webhooks are signed.
pub fn sign(key: &[u8], message: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC accepts keys of any length");
    mac.update(message);
    hex(&mac.finalize().into_bytes())
}

/// Checks a hex HMAC-SHA256 signature in constant time.
pub fn verify_signature(key: &[u8], message: &[u8], signature_hex: &str) -> bool {
    let s = signature_hex.trim();
    if s.len() != 64 || !s.is_ascii() {
        return false;
    }
    let Some(bytes) = (0..32).map(|i| u8::from_str_radix(&s[2 * i..2 * i + 2], 16).ok()).collect::<Option<Vec<u8>>>()
    else {
        return false;
    };
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC accepts keys of any length");
    mac.update(message);
    mac.verify_slice(&bytes).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_and_tokens() {
        let h = hash_password("demo-password");
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password(&h, "demo-password"));
        assert!(!verify_password(&h, "demo-passwort"));
        assert!(!verify_password("garbage", "demo-password"));
        let t = random_token();
        assert_eq!(t.len(), 64);
        assert_ne!(t, random_token());
        assert_eq!(token_hash(b"k", &t), token_hash(b"k", &t));
        assert_ne!(token_hash(b"k", &t), token_hash(b"other", &t));
    }
}
