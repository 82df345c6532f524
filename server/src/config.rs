//! Configuration from environment variables; every one has a sensible default (see README).

use std::path::{Path, PathBuf};

#[derive(Debug, Clone)]
pub struct Config {
    /// `postgres://…` for PostgreSQL; absent for the embedded SQLite file under `data_dir`.
    pub database_url: Option<String>,
    pub data_dir: PathBuf,
    /// `KABINET_SECRET`; when absent one is generated once and kept in `data_dir/secret.key`.
    pub secret: Option<String>,
    pub secure_cookies: bool,
    pub public_url: Option<String>,
    /// Create the demo organisations and users when the database is empty.
    pub demo: bool,
    /// Take the client address from `X-Forwarded-For` (only behind a trusted load balancer).
    pub trust_proxy: bool,
    pub session_days: i64,
}

fn flag(name: &str) -> bool {
    std::env::var(name).is_ok_and(|v| matches!(v.trim(), "1" | "true" | "yes" | "on"))
}

fn non_empty(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

impl Config {
    pub fn from_env() -> Result<Self, String> {
        let session_days = match non_empty("KABINET_SESSION_DAYS") {
            None => 30,
            Some(v) => v
                .parse::<i64>()
                .ok()
                .filter(|d| (1..=365).contains(d))
                .ok_or_else(|| format!("KABINET_SESSION_DAYS must be a whole number from 1 to 365, not {v:?}"))?,
        };
        Ok(Self {
            database_url: non_empty("DATABASE_URL"),
            data_dir: non_empty("KABINET_DATA_DIR").map(PathBuf::from).unwrap_or_else(|| PathBuf::from("data")),
            secret: non_empty("KABINET_SECRET"),
            secure_cookies: flag("KABINET_SECURE_COOKIES"),
            public_url: non_empty("KABINET_PUBLIC_URL"),
            demo: flag("KABINET_DEMO"),
            trust_proxy: flag("KABINET_TRUST_PROXY"),
            session_days,
        })
    }

    /// The key for session and link hashes: from the environment, or generated on first start.
    pub fn load_secret(&self) -> std::io::Result<Vec<u8>> {
        if let Some(s) = &self.secret {
            if s.len() < 32 {
                return Err(std::io::Error::other("KABINET_SECRET must be at least 32 characters"));
            }
            return Ok(s.as_bytes().to_vec());
        }
        let path = self.data_dir.join("secret.key");
        match std::fs::read(&path) {
            Ok(bytes) if bytes.len() >= 32 => Ok(bytes),
            Ok(_) => Err(std::io::Error::other(format!("{} is shorter than 32 bytes", path.display()))),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => generate_secret(&path),
            Err(e) => Err(e),
        }
    }
}

fn generate_secret(path: &Path) -> std::io::Result<Vec<u8>> {
    use std::io::Write;
    let mut bytes = [0u8; 48];
    getrandom::fill(&mut bytes).map_err(std::io::Error::other)?;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path)?;
    file.write_all(&bytes)?;
    tracing::info!(path = %path.display(), "generated a new server secret");
    Ok(bytes.to_vec())
}
