use super::{badge_class, CopyButton, Entry, SessionDetail};
use crate::failure::Failure;
use leptos::{prelude::*, server_fn::ServerFn};

/// Refunds part or all of a paid session.
#[server(prefix = "/dashboard/fn", endpoint = "refund")]
pub async fn refund_session(
    #[server(default)] session: String,
    #[server(default)] amount: String,
    #[server(default)] reason: String,
) -> Result<(), Failure> {
    crate::desk::desk_fn!(on_session(&session, crate::desk::SessionAction::Refund { amount, reason }))
}

#[server(prefix = "/dashboard/fn", endpoint = "expire")]
pub async fn expire_session(#[server(default)] session: String) -> Result<(), Failure> {
    crate::desk::desk_fn!(on_session(&session, crate::desk::SessionAction::Expire))
}

#[server(prefix = "/dashboard/fn", endpoint = "cancel")]
pub async fn cancel_session(#[server(default)] session: String) -> Result<(), Failure> {
    crate::desk::desk_fn!(on_session(&session, crate::desk::SessionAction::Cancel))
}

/// A new session with the same order and customer, for one that failed or was abandoned.
#[server(prefix = "/dashboard/fn", endpoint = "recover")]
pub async fn recover_session(#[server(default)] session: String) -> Result<(), Failure> {
    crate::desk::desk_fn!(on_session(&session, crate::desk::SessionAction::Recover))
}

#[server(prefix = "/dashboard/fn", endpoint = "resend_receipt")]
pub async fn resend_receipt(#[server(default)] session: String) -> Result<(), Failure> {
    crate::desk::desk_fn!(on_session(&session, crate::desk::SessionAction::ResendReceipt))
}

/// Sends one of the session's webhook deliveries again.
#[server(prefix = "/dashboard/fn", endpoint = "redeliver")]
pub async fn redeliver_webhook(
    #[server(default)] session: String,
    #[server(default)] delivery: String,
) -> Result<(), Failure> {
    crate::desk::desk_fn!(on_session(&session, crate::desk::SessionAction::Redeliver { delivery }))
}

fn entries(list: Vec<Entry>) -> impl IntoView {
    view! {
        <dl class="entries">
            {list.into_iter().map(|e| view! { <dt>{e.label}</dt><dd>{e.value}</dd> }).collect_view()}
        </dl>
    }
}

/// Everything about one session, what happened to it, and what can be done.
#[component]
pub fn Detail(view: SessionDetail, csrf: String) -> impl IntoView {
    let SessionDetail {
        id,
        state,
        amount,
        fields,
        customer,
        attempts,
        refunds,
        deliveries,
        timeline,
        actions,
        notice,
        error,
        // Shown by the header's test-data marker.
        livemode: _,
    } = view;
    let hidden = {
        let id = id.clone();
        move || view! { <input type="hidden" name="csrf" value=csrf.clone()/><input type="hidden" name="session" value=id.clone()/> }
    };
    let attempts_view = attempts
        .into_iter()
        .map(|a| {
            view! { <tr><td>{a.id}</td><td>{a.created}</td><td>{a.card}</td><td>{a.status}</td><td>{a.failure}</td><td>{a.at_provider}</td></tr> }
        })
        .collect_view();
    let refunds_view = refunds
        .into_iter()
        .map(|r| view! { <tr><td>{r.id}</td><td>{r.created}</td><td class="num">{r.amount}</td><td>{r.reason}</td><td>{r.at_provider}</td></tr> })
        .collect_view();
    let deliveries_view = deliveries
        .into_iter()
        .map(|d| {
            view! {
                <tr>
                    <td>{d.event_type}</td>
                    <td class="url">{d.url}</td>
                    <td>{d.status}</td>
                    <td class="num">{d.tries}</td>
                    <td>{d.last}</td>
                    <td>
                        <form method="post" action=RedeliverWebhook::PATH>
                            {hidden()}
                            <input type="hidden" name="delivery" value=d.id/>
                            <button type="submit" class="secondary small">"Send again"</button>
                        </form>
                    </td>
                </tr>
            }
        })
        .collect_view();
    let timeline_view = timeline
        .into_iter()
        .map(|t| {
            view! {
                <li>
                    <time>{t.time}</time>
                    <strong>{t.title}</strong>
                    {(!t.detail.is_empty()).then(|| view! { <span class="detail">{t.detail}</span> })}
                </li>
            }
        })
        .collect_view();
    view! {
        <p><a href="/dashboard">"← All sessions"</a></p>
        <h1 class="detail-title">
            <span data-testid="amount">{amount}</span>
            " "
            <span class=badge_class(state) data-testid="state">{state}</span>
        </h1>
        <p class="session-id">{id.clone()}</p>
        {notice.map(|n| view! { <div class="notice-box" role="status">{n}</div> })}
        {error.map(|e| view! { <div class="decline" role="alert">{e}</div> })}
        <section class="panel actions" aria-label="Actions">
            <h2>"Actions"</h2>
            {actions.refundable.map(|remaining| view! {
                <form method="post" action=RefundSession::PATH class="inline">
                    {hidden()}
                    <label>"Refund amount (up to "{remaining}")"
                        <input name="amount" inputmode="decimal" value=actions.refundable_input.clone() required/>
                    </label>
                    <label>"Reason"<input name="reason" maxlength="500"/></label>
                    <button type="submit">"Refund"</button>
                </form>
            })}
            {actions.can_expire.then(|| view! {
                <form method="post" action=ExpireSession::PATH class="inline">{hidden()}<button type="submit" class="secondary">"Expire now"</button></form>
            })}
            {actions.can_cancel.then(|| view! {
                <form method="post" action=CancelSession::PATH class="inline">{hidden()}<button type="submit" class="secondary">"Cancel session"</button></form>
            })}
            {actions.can_recover.then(|| view! {
                <form method="post" action=RecoverSession::PATH class="inline">{hidden()}<button type="submit" class="secondary">"Create recovery link"</button></form>
            })}
            {actions.hosted_url.map(|url| view! { <CopyButton text=url label="Copy payment page link".to_string()/> })}
            {actions.can_resend_receipt.then(|| view! {
                <form method="post" action=ResendReceipt::PATH class="inline">{hidden()}<button type="submit" class="secondary">"Resend receipt"</button></form>
            })}
            {actions.portal_url.map(|url| view! { <CopyButton text=url label="Copy customer's receipt link".to_string()/> })}
            {actions.order_url.map(|url| view! { <p><a href=url target="_blank" rel="noopener noreferrer">"View order in WordPress"</a></p> })}
        </section>
        <div class="columns">
            <section class="panel" aria-label="Details"><h2>"Details"</h2>{entries(fields)}</section>
            <section class="panel" aria-label="Customer and context"><h2>"Customer & context"</h2>{entries(customer)}</section>
        </div>
        <section class="panel" aria-label="Timeline">
            <h2>"Timeline"</h2>
            <ol class="timeline" data-testid="timeline">{timeline_view}</ol>
        </section>
        <section class="panel" aria-label="Payment attempts">
            <h2>"Payment attempts"</h2>
            <div class="table-wrap"><table>
                <thead><tr><th scope="col">"Attempt"</th><th scope="col">"When"</th><th scope="col">"Card"</th><th scope="col">"Result"</th><th scope="col">"Failure"</th><th scope="col">"At the provider"</th></tr></thead>
                <tbody>{attempts_view}</tbody>
            </table></div>
        </section>
        <section class="panel" aria-label="Webhook deliveries">
            <h2>"Webhook deliveries"</h2>
            <div class="table-wrap"><table>
                <thead><tr><th scope="col">"Event"</th><th scope="col">"Endpoint"</th><th scope="col">"Status"</th><th scope="col" class="num">"Tries"</th><th scope="col">"Last answer"</th><th scope="col"><span class="sr-only">"Actions"</span></th></tr></thead>
                <tbody>{deliveries_view}</tbody>
            </table></div>
        </section>
        <section class="panel" aria-label="Refunds">
            <h2>"Refunds"</h2>
            <div class="table-wrap"><table>
                <thead><tr><th scope="col">"Refund"</th><th scope="col">"When"</th><th scope="col" class="num">"Amount"</th><th scope="col">"Reason"</th><th scope="col">"At the provider"</th></tr></thead>
                <tbody>{refunds_view}</tbody>
            </table></div>
        </section>
    }
}
