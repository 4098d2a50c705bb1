//! What a merchant can do to a session from its page. Each action is a
//! form post checked for CSRF, done by the same store calls the API uses,
//! and answered with a redirect back (or the page again, saying why not).

use super::{
    auth::Signed,
    detail::{detail_view, render_detail},
    not_found, server_error,
};
use crate::{
    error::ApiError,
    ids::new_id,
    new_session::currency_exponent,
    store::{ClosedBy, NewSession, Store},
    time::now_ms,
    AppState,
};
use app::lifecycle::Event;
use axum::{
    extract::{Path, Request, State},
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
};
use serde::Deserialize;

#[derive(Deserialize, Default)]
#[serde(default)]
struct ActionForm {
    csrf: String,
    amount: String,
    reason: String,
}

async fn read_form(request: Request) -> (axum::http::request::Parts, ActionForm) {
    let (parts, body) = request.into_parts();
    let form = match axum::body::to_bytes(body, 16 * 1024).await {
        Ok(bytes) => serde_urlencoded::from_bytes(&bytes).unwrap_or_default(),
        Err(_) => ActionForm::default(),
    };
    (parts, form)
}

/// Runs `change` for the signed-in merchant's session `id`, then goes back to its page.
async fn act<F, Fut>(state: AppState, signed: Signed, id: String, request: Request, done: &str, change: F) -> Response
where
    F: FnOnce(AppState, crate::store::SessionRecord, ActionForm) -> Fut,
    Fut: std::future::Future<Output = Result<String, ApiError>>,
{
    let (parts, form) = read_form(request).await;
    if let Err(refused) = signed.check_csrf(&form.csrf) {
        return *refused;
    }
    let login = signed.0;
    let session = match state.store.merchant_session(&login.merchant_id, &id).await {
        Ok(Some(session)) => session,
        Ok(None) => return not_found(),
        Err(e) => return server_error(e),
    };
    match change(state.clone(), session, form).await {
        Ok(target) => Redirect::to(&format!("/dashboard/sessions/{target}?done={done}")).into_response(),
        Err(ApiError::NotFound { .. }) => not_found(),
        Err(ApiError::Internal(e)) => server_error(e),
        Err(refused) => {
            let status = if matches!(refused, ApiError::Invalid { .. }) {
                StatusCode::BAD_REQUEST
            } else {
                StatusCode::CONFLICT
            };
            let request = Request::from_parts(parts, axum::body::Body::empty());
            match detail_view(&state, &login, &id, None, Some(refused.to_string())).await {
                Ok(Some(view)) => render_detail(&state, login, view, status, request).await,
                Ok(None) => not_found(),
                Err(e) => server_error(e),
            }
        }
    }
}

pub async fn refund(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<String>,
    request: Request,
) -> Response {
    act(state, signed, id, request, "refund", |state, session, form| async move {
        let exponent = currency_exponent(&session.currency)?;
        let amount = app::money::parse_amount(&form.amount, exponent).filter(|a| *a > 0).ok_or_else(|| {
            ApiError::invalid(
                "amount",
                "amount_invalid",
                format!("Enter the amount to refund, like {}", app::money::major_units(1250, exponent)),
            )
        })?;
        let reason = Some(form.reason.trim()).filter(|r| !r.is_empty());
        state.store.refund(&session.id, Some(amount), reason).await?;
        Ok(session.id)
    })
    .await
}

pub async fn expire(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<String>,
    request: Request,
) -> Response {
    act(state, signed, id, request, "expire", |state, session, _| async move {
        state.store.close_session(&session.id, Event::Expire, ClosedBy::Merchant).await?;
        Ok(session.id)
    })
    .await
}

pub async fn cancel(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<String>,
    request: Request,
) -> Response {
    act(state, signed, id, request, "cancel", |state, session, _| async move {
        state.store.close_session(&session.id, Event::Cancel, ClosedBy::Merchant).await?;
        Ok(session.id)
    })
    .await
}

/// A new session with the same items and customer, for one that failed or was abandoned.
pub async fn recover(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<String>,
    request: Request,
) -> Response {
    act(state, signed, id, request, "recover", |state, old, _| async move {
        let new = NewSession {
            id: new_id("cs"),
            merchant_id: old.merchant_id.clone(),
            site_id: old.site_id.clone(),
            source: app::lifecycle::Source::parse(&old.source).unwrap_or(app::lifecycle::Source::Api).as_str(),
            sequence: app::lifecycle::Sequence::OneTime.as_str(),
            capture: app::lifecycle::Capture::parse(&old.capture)
                .unwrap_or(app::lifecycle::Capture::Automatic)
                .as_str(),
            amount: old.amount,
            currency: old.currency.clone(),
            line_items: serde_json::from_str(&old.line_items).unwrap_or_default(),
            customer_email: old.customer_email.clone().or_else(|| old.payer_email.clone()),
            order_id: old.order_id.clone(),
            metadata: serde_json::from_str(&old.metadata).unwrap_or_default(),
            success_url: old.success_url.clone(),
            cancel_url: old.cancel_url.clone(),
            locale: old.locale.clone(),
            expires_at: now_ms() + 24 * 60 * 60 * 1000,
            woocommerce: old.woocommerce(),
            payment_link_id: None,
        };
        let mut tx = state.store.begin().await.map_err(ApiError::from)?;
        let created = Store::insert_session(&mut tx, &new).await?;
        Store::note_recovery(&mut tx, &old, &created.id).await?;
        tx.commit().await.map_err(|e| ApiError::Internal(e.into()))?;
        Ok(created.id)
    })
    .await
}

/// Sends one of the session's webhook deliveries again.
pub async fn redeliver(
    State(state): State<AppState>,
    signed: Signed,
    Path((id, delivery)): Path<(String, String)>,
    request: Request,
) -> Response {
    act(state, signed, id, request, "redeliver", |state, session, _| async move {
        let found = state.store.delivery(&session.merchant_id, &delivery).await?;
        if found.and_then(|d| d.session_id).as_deref() != Some(session.id.as_str()) {
            return Err(ApiError::not_found("webhook delivery", delivery));
        }
        state.store.redeliver(&session.merchant_id, &delivery).await?;
        Ok(session.id)
    })
    .await
}

/// Sends the customer's receipt again.
pub async fn resend_receipt(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<String>,
    request: Request,
) -> Response {
    act(state, signed, id, request, "receipt", |state, session, _| async move {
        let email = session.receipt_email().map(str::to_string).ok_or_else(|| ApiError::Conflict {
            code: "no_email",
            message: "This session has no customer email to send a receipt to.".into(),
        })?;
        if !matches!(session.state().outcome, app::lifecycle::Outcome::Paid | app::lifecycle::Outcome::Reserved) {
            return Err(ApiError::Conflict { code: "not_paid", message: "Only a paid session has a receipt.".into() });
        }
        state.store.resend_receipt(&session.merchant_id, &session.id, &email).await?;
        Ok(session.id)
    })
    .await
}
