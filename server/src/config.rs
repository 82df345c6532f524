//! Configuration from environment variables; every one has a sensible default (see README).

use std::net::IpAddr;
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
    /// The proxies whose `X-Forwarded-For` is believed (empty: the header is ignored). The client is
    /// the right-most address in the chain that is not one of them.
    pub trusted_proxies: Vec<IpRange>,
    /// The sandbox payment provider (no money moves): on for demo data and tests, off otherwise;
    /// with no provider, online payment is not offered.
    pub sandbox_payments: bool,
    /// The sandbox SMS gateway (nothing is sent; the page shows the code): on for demo data and
    /// tests, off otherwise; with no gateway, nothing that needs a confirmed phone is offered.
    pub sandbox_sms: bool,
    pub session_days: i64,
    /// How long an order paid online holds its reserved stock unpaid before it is cancelled.
    pub unpaid_hold_minutes: i64,
    /// How often the server's housekeeping (releasing unpaid orders) runs.
    pub housekeeping_every: std::time::Duration,
    /// The mail server; with none, e-mails wait in the outbox.
    pub smtp: Option<SmtpConfig>,
    /// How often the notification worker looks for events to dispatch and messages to send.
    pub delivery_every: std::time::Duration,
}

/// How the connection to the mail server is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmtpTls {
    /// Plain, then upgraded with STARTTLS (refused if the server cannot): port 587.
    StartTls,
    /// TLS from the first byte (SMTPS): port 465.
    Tls,
    /// Plain text: only for a relay on the same machine or network.
    None,
}

#[derive(Debug, Clone)]
pub struct SmtpConfig {
    pub host: String,
    pub port: u16,
    pub tls: SmtpTls,
    pub user: Option<String>,
    pub password: Option<String>,
    /// The sender, `Name <address>` or an address.
    pub from: String,
    /// Certificates (PEM) trusted besides the public roots: a company's own CA signing its mail
    /// server's certificate.
    pub ca_pem: Option<Vec<u8>>,
}

impl SmtpConfig {
    /// From `KABINET_SMTP_*`; `None` when no host is set.
    pub fn from_env() -> Result<Option<Self>, String> {
        let Some(host) = non_empty("KABINET_SMTP_HOST") else { return Ok(None) };
        let tls = match non_empty("KABINET_SMTP_TLS").as_deref().map(str::trim) {
            None | Some("starttls") => SmtpTls::StartTls,
            Some("tls") => SmtpTls::Tls,
            Some("none") => SmtpTls::None,
            Some(other) => return Err(format!("KABINET_SMTP_TLS must be starttls, tls or none, not {other:?}")),
        };
        let port = match non_empty("KABINET_SMTP_PORT") {
            Some(p) => p.trim().parse::<u16>().map_err(|_| format!("KABINET_SMTP_PORT is not a port: {p:?}"))?,
            None => match tls {
                SmtpTls::StartTls => 587,
                SmtpTls::Tls => 465,
                SmtpTls::None => 25,
            },
        };
        let from = non_empty("KABINET_SMTP_FROM")
            .ok_or("KABINET_SMTP_FROM (the sender address) is required with KABINET_SMTP_HOST")?;
        let ca_pem = match non_empty("KABINET_SMTP_CA_FILE") {
            Some(path) => Some(std::fs::read(path.trim()).map_err(|e| format!("KABINET_SMTP_CA_FILE {path:?}: {e}"))?),
            None => None,
        };
        Ok(Some(Self {
            host,
            port,
            tls,
            user: non_empty("KABINET_SMTP_USER"),
            password: non_empty("KABINET_SMTP_PASSWORD"),
            from,
            ca_pem,
        }))
    }
}

/// An address or a network (`10.0.0.0/8`, `::1`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IpRange {
    addr: IpAddr,
    prefix: u8,
}

impl IpRange {
    pub fn parse(text: &str) -> Option<Self> {
        let (addr, prefix) = match text.trim().split_once('/') {
            Some((a, p)) => (a.parse::<IpAddr>().ok()?, p.parse::<u8>().ok()?),
            None => {
                let a = text.trim().parse::<IpAddr>().ok()?;
                (a, if a.is_ipv4() { 32 } else { 128 })
            }
        };
        let max = if addr.is_ipv4() { 32 } else { 128 };
        (prefix <= max).then_some(Self { addr, prefix })
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        let bits = |a: IpAddr| -> (u128, u32) {
            match a {
                IpAddr::V4(v) => (u128::from(u32::from(v)), 32),
                IpAddr::V6(v) => (u128::from(v), 128),
            }
        };
        let ((net, width), (candidate, candidate_width)) = (bits(self.addr), bits(ip));
        if width != candidate_width {
            return false;
        }
        let shift = width - u32::from(self.prefix);
        shift >= 128 || (net >> shift) == (candidate >> shift)
    }
}

const LOOPBACK: IpRange = IpRange { addr: IpAddr::V4(std::net::Ipv4Addr::LOCALHOST), prefix: 32 };
const LOOPBACK6: IpRange = IpRange { addr: IpAddr::V6(std::net::Ipv6Addr::LOCALHOST), prefix: 128 };

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
        let unpaid_hold_minutes = match non_empty("KABINET_UNPAID_HOLD_MINUTES") {
            None => 30,
            Some(v) => v.parse::<i64>().ok().filter(|m| (1..=10_080).contains(m)).ok_or_else(|| {
                format!("KABINET_UNPAID_HOLD_MINUTES must be a whole number from 1 to 10080 (a week), not {v:?}")
            })?,
        };
        let mut trusted_proxies = Vec::new();
        if flag("KABINET_TRUST_PROXY") {
            // A proxy on the same machine, unless the list says otherwise.
            trusted_proxies = vec![LOOPBACK, LOOPBACK6];
        }
        if let Some(list) = non_empty("KABINET_TRUSTED_PROXIES") {
            trusted_proxies = list
                .split(',')
                .map(|item| {
                    IpRange::parse(item)
                        .ok_or_else(|| format!("KABINET_TRUSTED_PROXIES: {item:?} is not an address or network"))
                })
                .collect::<Result<_, _>>()?;
        }
        let demo = flag("KABINET_DEMO");
        Ok(Self {
            database_url: non_empty("DATABASE_URL"),
            data_dir: non_empty("KABINET_DATA_DIR").map(PathBuf::from).unwrap_or_else(|| PathBuf::from("data")),
            secret: non_empty("KABINET_SECRET"),
            secure_cookies: flag("KABINET_SECURE_COOKIES"),
            public_url: non_empty("KABINET_PUBLIC_URL"),
            demo,
            trusted_proxies,
            sandbox_payments: match non_empty("KABINET_SANDBOX_PAYMENTS") {
                Some(_) => flag("KABINET_SANDBOX_PAYMENTS"),
                None => demo,
            },
            sandbox_sms: match non_empty("KABINET_SANDBOX_SMS") {
                Some(_) => flag("KABINET_SANDBOX_SMS"),
                None => demo,
            },
            session_days,
            unpaid_hold_minutes,
            housekeeping_every: std::time::Duration::from_secs(60),
            smtp: SmtpConfig::from_env()?,
            delivery_every: std::time::Duration::from_secs(1),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_and_networks() {
        let net = IpRange::parse("10.0.0.0/8").unwrap();
        assert!(net.contains("10.200.3.4".parse().unwrap()));
        assert!(!net.contains("11.0.0.1".parse().unwrap()));
        assert!(!net.contains("::1".parse().unwrap()));
        let one = IpRange::parse("::1").unwrap();
        assert!(one.contains("::1".parse().unwrap()));
        assert!(IpRange::parse("0.0.0.0/0").unwrap().contains("8.8.8.8".parse().unwrap()));
        assert_eq!(IpRange::parse("10.0.0.0/33"), None);
        assert_eq!(IpRange::parse("proxy"), None);
    }
}
