use super::{auth::Signed, not_found, server_error, when};
use crate::{
    new_session::currency_exponent,
    pages::render_with,
    store::{AttemptRecord, EventRecord, Login, SessionRecord},
    AppState,
};
use app::dashboard::{
    dashboard_shell, Actions, AttemptRow, DashboardPage, DeliveryRow, Entry, Nav, RefundRow, SessionDetail,
    TimelineItem,
};
use app::lifecycle::{apply, Event, Outcome, Status};
use app::money::{format_amount, major_units};
use axum::{
    extract::{Path, Request, State},
    http::StatusCode,
    response::Response,
};
use serde_json::Value;

fn entry(label: &str, value: impl Into<String>) -> Entry {
    Entry { label: label.to_string(), value: value.into() }
}

/// The payment's ids at its processor: `pi_… · charge ch_…`, or `—`.
fn at_provider(s: &crate::store::SessionRecord) -> String {
    match (&s.payment_ref, s.payment_charge.as_deref().filter(|c| !c.is_empty())) {
        (Some(intent), Some(charge)) => format!("{intent} · charge {charge}"),
        (Some(intent), None) => intent.clone(),
        _ => "—".into(),
    }
}

fn or_dash(value: &Option<String>) -> String {
    value.clone().filter(|v| !v.is_empty()).unwrap_or_else(|| "—".into())
}

/// "Chrome 131 on Mac OS X (pc)" from a user agent.
fn device(user_agent: &str) -> String {
    match woothee::parser::Parser::new().parse(user_agent) {
        Some(r) => format!("{} {} on {} ({})", r.name, r.version, r.os, r.category),
        None => user_agent.chars().take(80).collect(),
    }
}

fn timeline_item(event: &EventRecord, money: &dyn Fn(i64) -> String) -> TimelineItem {
    let data: Value = serde_json::from_str(&event.data).unwrap_or_default();
    let text = |key: &str| data.get(key).and_then(Value::as_str).unwrap_or("").to_string();
    let (title, detail) = match event.kind.as_str() {
        "checkout.session.created" => {
            ("Session created".into(), data.get("amount").and_then(Value::as_i64).map(money).unwrap_or_default())
        }
        "checkout.session.opened" => ("Customer opened the payment page".into(), device(&text("user_agent"))),
        "checkout.session.details_given" => ("Customer gave their email".into(), text("customer_email")),
        "payment_attempt.created" => (
            "Payment attempt started".into(),
            format!("{} •••• {}", app::checks::Brand::parse(&text("brand")).label(), text("last4")),
        ),
        "payment_attempt.requires_action" => ("3-D Secure challenge shown".into(), String::new()),
        "payment_attempt.processing" => ("Waiting for the bank".into(), String::new()),
        "payment_attempt.succeeded" => ("Payment attempt succeeded".into(), String::new()),
        "payment_attempt.refunded" => (
            "Late payment given back".into(),
            format!(
                "{} taken by the provider after the checkout stopped waiting, refunded ({})",
                data.get("amount").and_then(Value::as_i64).map(money).unwrap_or_default(),
                text("provider_refund")
            ),
        ),
        "payment_method.saved" => (
            "Card saved for later payments".into(),
            format!(
                "{} •••• {} for {} ({})",
                app::checks::Brand::parse(&text("brand")).label(),
                text("last4"),
                text("customer"),
                text("payment_method")
            ),
        ),
        "payment_method.detached" => {
            ("Saved card removed".into(), format!("{} by the {}", text("payment_method"), text("detached_by")))
        }
        "payment_attempt.failed" => {
            ("Payment attempt failed".into(), format!("{} ({})", text("failure_message"), text("failure_code")))
        }
        "checkout.session.async_payment_succeeded" => ("The bank confirmed the payment".into(), String::new()),
        "checkout.session.async_payment_failed" => ("The bank refused the payment".into(), String::new()),
        "checkout.session.completed" => ("Session completed".into(), format!("outcome: {}", text("outcome"))),
        "checkout.session.expired" => ("Session expired".into(), String::new()),
        "checkout.session.blocked" => (
            "Blocked: too many failed attempts".into(),
            format!("{} attempts failed; the checkout takes no more", data["failed_attempts"].as_i64().unwrap_or(0)),
        ),
        "checkout.session.cancelled" if text("closed_by") == "customer" => {
            ("Customer cancelled the checkout".into(), String::new())
        }
        "checkout.session.cancelled" => ("Session cancelled".into(), String::new()),
        "checkout.session.recovery_created" => ("Recovery session created".into(), text("recovery_session_id")),
        "payment.captured" => ("Payment captured".into(), String::new()),
        "receipt.sent" => ("Receipt sent".into(), text("email")),
        "refund.created" => (
            format!("Refunded {}", data.get("amount").and_then(Value::as_i64).map(money).unwrap_or_default()),
            text("reason"),
        ),
        other => (other.to_string(), String::new()),
    };
    TimelineItem { time: when(event.created_at), title, detail }
}

fn actions(state: &AppState, s: &SessionRecord, money: &dyn Fn(i64) -> String, exponent: u8) -> Actions {
    let paid = s.amount_captured.unwrap_or(0);
    let remaining = paid - s.amount_refunded.unwrap_or(0);
    let refund = Event::Refund { amount: remaining, paid, refunded: paid - remaining };
    let refundable = apply(s.state(), refund).is_ok();
    let st = s.state();
    Actions {
        refundable: refundable.then(|| money(remaining)),
        refundable_input: major_units(remaining.max(0), exponent),
        can_expire: apply(st, Event::Expire).is_ok(),
        can_cancel: apply(st, Event::Cancel).is_ok(),
        hosted_url: (st.status == Status::Open).then(|| format!("{}/pay/{}", state.public_url, s.id)),
        can_recover: st.outcome == Outcome::Unpaid || matches!(st.status, Status::Expired | Status::Cancelled),
        order_url: s.woocommerce().map(|w| w.admin_url()),
        portal_url: s.portal_token.as_ref().map(|t| format!("{}/r/{t}", state.public_url)),
        can_resend_receipt: s.receipt_email().is_some() && matches!(st.outcome, Outcome::Paid | Outcome::Reserved),
    }
}

/// The session's webhook deliveries, and a timeline line for each try.
async fn deliveries(
    state: &AppState,
    session_id: &str,
    events: &[EventRecord],
) -> Result<(Vec<DeliveryRow>, Vec<(i64, TimelineItem)>), crate::store::StoreError> {
    let mut rows = Vec::new();
    let mut items = Vec::new();
    for d in state.store.deliveries_of_session(session_id).await? {
        let url = state.store.endpoint_by_id(&d.endpoint_id).await?.map(|e| e.url).unwrap_or_default();
        let event_type = events.iter().find(|e| e.id == d.event_id).map(|e| e.kind.clone()).unwrap_or_default();
        let tries = state.store.webhook_attempts(&d.id).await?;
        let answer = |t: &crate::store::WebhookAttemptRecord| match (t.http_status, &t.error) {
            (Some(status), _) => format!("{status} in {} ms", t.latency_ms),
            (None, Some(error)) => error.clone(),
            (None, None) => "no answer".into(),
        };
        for t in &tries {
            items.push((
                t.attempted_at,
                TimelineItem {
                    time: when(t.attempted_at),
                    title: format!("Webhook {event_type} sent"),
                    detail: format!("{url}: {}", answer(t)),
                },
            ));
        }
        rows.push(DeliveryRow {
            last: tries.last().map(answer).unwrap_or_else(|| "not sent yet".into()),
            tries: tries.len(),
            id: d.id,
            event_type,
            url,
            status: d.status,
        });
    }
    Ok((rows, items))
}

fn attempt_row(a: AttemptRecord) -> AttemptRow {
    AttemptRow {
        created: when(a.created_at),
        card: format!(
            "{} •••• {} ({:02}/{})",
            app::checks::Brand::parse(&a.method_brand).label(),
            a.method_last4,
            a.method_exp_month,
            a.method_exp_year
        ),
        status: a.status.to_string(),
        failure: match (a.failure_code, a.failure_message) {
            (Some(code), Some(message)) => format!("{message} ({code})"),
            _ => String::new(),
        },
        at_provider: match &a.provider_ref {
            Some(reference) => format!("{} {reference}", a.provider),
            None => "—".into(),
        },
        id: a.id,
    }
}

/// Loads everything the detail page shows.
async fn detail_view(
    state: &AppState,
    login: &Login,
    id: &str,
    notice: Option<String>,
    error: Option<String>,
) -> Result<Option<SessionDetail>, crate::store::StoreError> {
    let Some(s) = state.store.merchant_session(&login.merchant_id, id).await? else { return Ok(None) };
    let s = state.store.expire_if_due(s).await?;
    let attempts = state.store.attempts_of(&s.id).await?;
    let refunds = state.store.refunds_of(&s.id).await?;
    let events = state.store.events_of_session(&s.id).await?;
    let (deliveries, delivery_items) = deliveries(state, &s.id, &events).await?;
    let exponent = currency_exponent(&s.currency).unwrap_or(2);
    let currency = s.currency.clone();
    let money = move |minor: i64| format_amount(minor, &currency, exponent);
    let last_card = attempts
        .last()
        .map(|a| format!("{} •••• {}", app::checks::Brand::parse(&a.method_brand).label(), a.method_last4));
    let items: Vec<crate::new_session::LineItemInput> = serde_json::from_str(&s.line_items).unwrap_or_default();
    let products = items.iter().map(|i| format!("{} × {}", i.quantity, i.name)).collect::<Vec<_>>().join(", ");
    let failure = match (&s.failure_code, &s.failure_message) {
        (Some(code), Some(message)) => format!("{message} ({code})"),
        _ => "—".into(),
    };
    let fields = vec![
        entry("Session", s.id.clone()),
        entry("Status / outcome", format!("{} / {}", s.status, s.outcome)),
        entry("Amount", money(s.amount)),
        entry("Currency", s.currency.clone()),
        entry("Amount refunded", money(s.amount_refunded.unwrap_or(0))),
        entry("Payment", or_dash(&s.payment_id)),
        entry("Source", s.source.to_string()),
        entry("Sequence", s.sequence.to_string()),
        entry("Saved card", or_dash(&s.payment_method_id)),
        entry("Capture", s.capture.to_string()),
        entry("Order id", or_dash(&s.order_id)),
        entry("Mode", if s.livemode != 0 { "Live" } else { "Test (sandbox)" }),
        entry("Provider route", s.provider.clone()),
        entry("At the provider", at_provider(&s)),
        entry("Settlement currency", s.settlement_currency.clone()),
        entry("Last error", failure),
        entry("Return URL", or_dash(&s.success_url)),
        entry("Cancel URL", or_dash(&s.cancel_url)),
        entry("Locale", or_dash(&s.locale)),
        entry("Metadata", s.metadata.clone()),
        entry("Site", s.site_id.clone()),
        entry("WooCommerce store", s.woo_store_url.clone().unwrap_or_else(|| "—".into())),
        entry("WooCommerce order", or_dash(&s.woo_order_id)),
        entry("WooCommerce order key", or_dash(&s.woo_order_key)),
        entry("Created", when(s.created_at)),
        entry("Updated", when(s.updated_at)),
        entry("Expires", when(s.expires_at)),
    ];
    let customer = vec![
        entry("Customer id (yours)", or_dash(&s.customer)),
        entry("Email (from the merchant)", or_dash(&s.customer_email)),
        entry("Email (typed at the checkout)", or_dash(&s.payer_email)),
        entry("IP address", or_dash(&s.customer_ip)),
        entry("Location", crate::location::shown(s.customer_country.as_deref(), s.customer_city.as_deref())),
        entry("Device & browser", s.customer_user_agent.as_deref().map(device).unwrap_or_else(|| "—".into())),
        entry("Preferred language", or_dash(&s.customer_language)),
        entry("Payment method", or_dash(&last_card)),
        entry("Products", if products.is_empty() { "—".into() } else { products }),
    ];
    Ok(Some(SessionDetail {
        id: s.id.clone(),
        livemode: s.livemode != 0,
        state: app::views::dashboard_state(&s.snapshot()).label(),
        amount: money(s.amount),
        actions: actions(state, &s, &money, exponent),
        timeline: {
            let mut items: Vec<(i64, TimelineItem)> =
                events.iter().map(|e| (e.created_at, timeline_item(e, &money))).chain(delivery_items).collect();
            items.sort_by_key(|(at, _)| *at);
            items.into_iter().map(|(_, item)| item).collect()
        },
        deliveries,
        attempts: attempts.into_iter().map(attempt_row).collect(),
        refunds: refunds
            .into_iter()
            .map(|r| RefundRow {
                id: r.id,
                created: when(r.created_at),
                amount: money(r.amount),
                reason: r.reason.unwrap_or_default(),
                at_provider: r.provider_ref.unwrap_or_else(|| "—".into()),
            })
            .collect(),
        fields,
        customer,
        notice,
        error,
    }))
}

async fn render_detail(
    state: &AppState,
    login: Login,
    view: SessionDetail,
    status: StatusCode,
    request: Request,
) -> Response {
    // The marker follows the session shown; switching modes goes to that mode's list.
    let nav = Nav { live: view.livemode, ..super::nav(login, "/dashboard") };
    render_with(state, DashboardPage::Session { nav, view: Box::new(view) }, dashboard_shell, status, request).await
}

pub async fn session(
    State(state): State<AppState>,
    Signed(login): Signed,
    Path(id): Path<String>,
    request: Request,
) -> Response {
    let notice = super::notices::take(&state, &super::notices::login_key(&login), request.uri().path()).await;
    match detail_view(&state, &login, &id, notice.done, notice.error).await {
        Ok(Some(view)) => render_detail(&state, login, view, StatusCode::OK, request).await,
        Ok(None) => not_found(),
        Err(e) => server_error(e),
    }
}
