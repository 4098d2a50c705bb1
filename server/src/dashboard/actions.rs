//! What a merchant can do to a session from its page: the same store calls
//! the API uses, then back to the session's page with what was done, or why
//! not, waiting in a notice.

use super::notices::{self, Notice};
use crate::{
    domain_error::DomainError,
    new_session::currency_exponent,
    pages::functions::unavailable,
    store::{ClosedBy, Login, SessionRecord, StoreError},
    AppState,
};
use app::desk::SessionAction;
use app::failure::Failure;
use app::lifecycle::Event;

/// Does `action` to the signed-in merchant's session `id`; another
/// merchant's session is simply not found.
pub async fn on_session(state: &AppState, login: &Login, id: &str, action: SessionAction) -> Result<String, Failure> {
    let session = state.store.merchant_session(&login.merchant_id, id).await?.ok_or(Failure::NotFound)?;
    let page = format!("/dashboard/sessions/{id}");
    let notice = match act(state, &session, action).await {
        Ok((target, done)) => Notice::done(format!("/dashboard/sessions/{target}"), done),
        Err(DomainError::NotFound { .. } | DomainError::Store(StoreError::NotFound(..))) => {
            return Err(Failure::NotFound)
        }
        Err(refused) if refused.is_refusal() => Notice::refused(page, refused.to_string()),
        Err(e) => return Err(unavailable(e)),
    };
    notices::keep(state, &notices::login_key(login), notice).await
}

/// The session's page to go back to, and what to say there.
async fn act(
    state: &AppState,
    session: &SessionRecord,
    action: SessionAction,
) -> Result<(String, &'static str), DomainError> {
    let id = session.id.clone();
    match action {
        SessionAction::Refund { amount, reason } => {
            let exponent = currency_exponent(&session.currency)?;
            let amount = app::money::parse_amount(&amount, exponent).filter(|a| *a > 0).ok_or_else(|| {
                DomainError::invalid(
                    "amount",
                    "amount_invalid",
                    format!("Enter the amount to refund, like {}", app::money::major_units(1250, exponent)),
                )
            })?;
            let reason = Some(reason.trim()).filter(|r| !r.is_empty());
            crate::refunding::refund(state, session, Some(amount), reason).await?;
            Ok((id, "Refund made."))
        }
        SessionAction::Expire => {
            state.store.close_session(&id, Event::Expire, ClosedBy::Merchant).await?;
            Ok((id, "The session has expired; the customer can no longer pay it."))
        }
        SessionAction::Cancel => {
            state.store.close_session(&id, Event::Cancel, ClosedBy::Merchant).await?;
            Ok((id, "The session is cancelled."))
        }
        SessionAction::Recover => Ok((
            recover(state, session).await?,
            "This is a new session with the same items and customer: send them its payment link.",
        )),
        SessionAction::ResendReceipt => {
            let email = session.receipt_email().map(str::to_string).ok_or_else(|| DomainError::Conflict {
                code: "no_email",
                message: "This session has no customer email to send a receipt to.".into(),
            })?;
            if !matches!(session.state().outcome, app::lifecycle::Outcome::Paid | app::lifecycle::Outcome::Reserved) {
                return Err(DomainError::Conflict {
                    code: "not_paid",
                    message: "Only a paid session has a receipt.".into(),
                });
            }
            state.store.resend_receipt(&session.merchant_id, &id, &email).await?;
            Ok((id, "The receipt will be sent again in a moment."))
        }
        SessionAction::Redeliver { delivery } => {
            let found = state.store.delivery(&session.merchant_id, &delivery).await?;
            if found.and_then(|d| d.session_id).as_deref() != Some(id.as_str()) {
                return Err(DomainError::no_such("delivery", "webhook delivery", delivery));
            }
            state.store.redeliver(&session.merchant_id, &delivery).await?;
            Ok((id, "The webhook will be sent again in a moment."))
        }
    }
}

/// A new session with the same items and customer, for one that failed or
/// was abandoned; the old one's timeline points to it.
async fn recover(state: &AppState, old: &SessionRecord) -> Result<String, DomainError> {
    let new = crate::new_session::recovering(old);
    Ok(state.store.create_recovery(old, &new).await?.id)
}
