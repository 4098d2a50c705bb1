//! Outgoing mail: through SMTP when `KASSA_SMTP_URL` is set, otherwise as
//! `.eml` files in `<data-dir>/outbox`, so the default set-up needs no mail
//! server.

use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::path::Path;

pub enum Mailer {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Outbox(AsyncFileTransport<Tokio1Executor>),
}

impl Mailer {
    pub fn new(smtp_url: Option<&str>, data_dir: &Path) -> anyhow::Result<Mailer> {
        Ok(match smtp_url {
            Some(url) => Mailer::Smtp(AsyncSmtpTransport::<Tokio1Executor>::from_url(url)?.build()),
            None => {
                let outbox = data_dir.join("outbox");
                std::fs::create_dir_all(&outbox)?;
                Mailer::Outbox(AsyncFileTransport::new(outbox))
            }
        })
    }

    pub(crate) async fn send(&self, message: Message) -> Result<(), String> {
        match self {
            Mailer::Smtp(smtp) => smtp.send(message).await.map(drop).map_err(|e| e.to_string()),
            Mailer::Outbox(outbox) => outbox.send(message).await.map(drop).map_err(|e| e.to_string()),
        }
    }
}
