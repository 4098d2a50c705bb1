//! Receipt emails, written in the customer's language and sent through the
//! service's `Mailer` (see `mail.rs`).

use crate::{
    i18n,
    store::{ReceiptRecord, StoreError},
    Services,
};
use app::i18n::Arg;
use lettre::{
    message::{header::ContentType, Mailbox},
    Message,
};

/// The receipt's text, in the customer's language (the session's, else the
/// one their browser asked for on the checkout page): what was bought, what
/// was paid, and the link back.
async fn body(state: &Services, session: &crate::store::SessionRecord) -> Result<(String, String), StoreError> {
    let lang = i18n::negotiate(session.locale.as_deref(), session.customer_language.as_deref());
    let w = i18n::words(lang);
    let order = crate::pages::order_view(state, session, &w).await;
    let card = state.store.paid_attempt(&session.id).await?;
    let merchant = || ("merchant", Arg::from(order.brand.name.as_str()));
    let mut text = format!("{}\n\n", w.t_with("email-thanks", &[merchant()]));
    for line in &order.lines {
        text += &format!("  {} × {}   {}\n", line.name, line.quantity, line.total);
    }
    text += &format!("  {}   {}\n\n", w.t("email-total-paid"), order.total);
    if let Some(card) = card {
        let card_text = i18n::card(&w, &card.method_brand, &card.method_last4);
        let date = i18n::date(&w, card.updated_at);
        text += &format!("{}\n", w.t_with("receipt-paid-with", &[("card", card_text.into()), ("date", date.into())]));
    }
    if let Some(token) = &session.portal_token {
        let link = format!("{}/r/{token}", state.public_url);
        text += &format!("{}\n", w.t_with("email-receipt-link", &[("link", link.into())]));
    }
    text += &format!("{}\n", w.t_with("receipt-reference", &[("reference", session.id.as_str().into())]));
    let subject = w.t_with("email-subject", &[merchant(), ("total", order.total.as_str().into())]);
    Ok((subject, text))
}

async fn send_one(state: &Services, receipt: &ReceiptRecord) -> Result<(), StoreError> {
    let Some(session) = state.store.session(&receipt.session_id).await? else { return Ok(()) };
    let (subject, text) = body(state, &session).await?;
    let to = receipt.email.parse::<Mailbox>();
    let message = to.map_err(|e| e.to_string()).and_then(|to| {
        Message::builder()
            .from(state.mail_from.clone())
            .to(to)
            .subject(subject)
            .header(ContentType::TEXT_PLAIN)
            .body(text)
            .map_err(|e| e.to_string())
    });
    let sent = match message {
        Ok(message) => state.mailer.send(message).await,
        Err(e) => Err(e),
    };
    match sent {
        Ok(()) => state.store.receipt_sent(receipt).await,
        Err(error) => {
            tracing::warn!(receipt = %receipt.id, %error, "receipt not sent");
            let retry =
                (receipt.attempts < 8).then(|| crate::time::now_ms() + 60_000 * 2i64.pow(receipt.attempts as u32));
            state.store.receipt_failed(receipt, &error, retry).await
        }
    }
}

/// Sends every receipt that is due.
pub async fn send_due(state: &Services, now: i64) -> Result<usize, StoreError> {
    let due = state.store.claim_due_receipts(now, 20, 60_000).await?;
    for receipt in &due {
        send_one(state, receipt).await?;
    }
    Ok(due.len())
}
