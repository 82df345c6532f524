//! E-mail through an SMTP server (lettre): an adapter of `app::ports::Mailer`. Plain text in
//! UTF-8; the Message-ID comes from the outbox message's key, the same on every attempt.

use std::time::Duration;

use app::ports::{MailError, Mailer};
use lettre::message::header::ContentType;
use lettre::message::{Mailbox, Message};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};

use crate::config::{SmtpConfig, SmtpTls};

pub struct Smtp {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl Smtp {
    pub fn new(config: &SmtpConfig) -> Result<Self, String> {
        let from: Mailbox =
            config.from.parse().map_err(|e| format!("KABINET_SMTP_FROM is not an address ({:?}): {e}", config.from))?;
        // The server's certificate is checked against the public roots and the configured CA.
        let parameters = || {
            let mut tls = TlsParameters::builder(config.host.clone());
            if let Some(pem) = &config.ca_pem {
                let ca = Certificate::from_pem(pem).map_err(|e| format!("KABINET_SMTP_CA_FILE: {e}"))?;
                tls = tls.add_root_certificate(ca);
            }
            tls.build().map_err(|e| format!("SMTP {}: {e}", config.host))
        };
        let plain = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&config.host);
        let builder = match config.tls {
            SmtpTls::StartTls => plain.tls(Tls::Required(parameters()?)),
            SmtpTls::Tls => plain.tls(Tls::Wrapper(parameters()?)),
            SmtpTls::None => plain,
        };
        let mut builder = builder.port(config.port).timeout(Some(Duration::from_secs(20)));
        if let Some(user) = &config.user {
            builder = builder.credentials(Credentials::new(user.clone(), config.password.clone().unwrap_or_default()));
        }
        Ok(Self { transport: builder.build(), from })
    }
}

#[async_trait::async_trait]
impl Mailer for Smtp {
    async fn send(&self, to: &str, subject: &str, body: &str, message_id: &str) -> Result<(), MailError> {
        let to: Mailbox = to.parse().map_err(|e| MailError::Permanent(format!("address {to:?}: {e}")))?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(subject)
            .message_id(Some(message_id.to_string()))
            .header(ContentType::TEXT_PLAIN)
            .body(body.to_string())
            .map_err(|e| MailError::Permanent(e.to_string()))?;
        match self.transport.send(message).await {
            Ok(_) => Ok(()),
            Err(e) if e.is_permanent() => Err(MailError::Permanent(e.to_string())),
            Err(e) => Err(MailError::Temporary(e.to_string())),
        }
    }
}
