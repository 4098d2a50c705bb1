use leptos::prelude::*;

#[derive(Clone, Debug, PartialEq)]
pub struct EndpointRow {
    pub id: String,
    pub url: String,
    pub events: String,
    /// `enabled` or `disabled`.
    pub status: String,
    pub disabled_reason: Option<String>,
    /// (when, event type, delivery status, last answer) of the latest deliveries.
    pub deliveries: Vec<(String, String, String, String)>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct WebhooksView {
    pub endpoints: Vec<EndpointRow>,
    pub event_types: Vec<String>,
    /// A secret just made: shown this once.
    pub new_secret: Option<(String, String)>,
    pub notice: Option<String>,
    pub error: Option<String>,
}

#[component]
pub fn Webhooks(view: WebhooksView, csrf: String) -> impl IntoView {
    let WebhooksView { endpoints, event_types, new_secret, notice, error } = view;
    let hidden = move || view! { <input type="hidden" name="csrf" value=csrf.clone()/> };
    let checkboxes = event_types
        .into_iter()
        .map(|kind| view! { <label class="check"><input type="checkbox" name="events" value=kind.clone()/>{kind.clone()}</label> })
        .collect_view();
    let rows = endpoints
        .into_iter()
        .map(|e| {
            let base = format!("/dashboard/webhooks/{}", e.id);
            let toggle = if e.status == "enabled" { "Disable" } else { "Enable" };
            let deliveries = e
                .deliveries
                .into_iter()
                .map(|(when, kind, status, last)| view! { <tr><td>{when}</td><td>{kind}</td><td>{status}</td><td>{last}</td></tr> })
                .collect_view();
            view! {
                <section class="panel endpoint" aria-label=format!("Endpoint {}", e.url)>
                    <h2 class="url">{e.url.clone()}</h2>
                    <p>
                        <span class=format!("badge badge-{}", e.status) data-testid="endpoint-status">{e.status.clone()}</span>
                        " "{e.disabled_reason.clone().unwrap_or_default()}
                    </p>
                    <p class="hint">"Events: "{e.events}" · "{e.id.clone()}</p>
                    <div class="inline">
                        <form method="post" action=format!("{base}/toggle")>{hidden()}<button type="submit" class="secondary">{toggle}</button></form>
                        <form method="post" action=format!("{base}/test")>{hidden()}<button type="submit" class="secondary">"Send test event"</button></form>
                        <form method="post" action=format!("{base}/roll")>{hidden()}<button type="submit" class="secondary">"Roll secret"</button></form>
                        <form method="post" action=format!("{base}/delete")>{hidden()}<button type="submit" class="secondary">"Delete"</button></form>
                    </div>
                    <div class="table-wrap"><table>
                        <thead><tr><th scope="col">"When"</th><th scope="col">"Event"</th><th scope="col">"Status"</th><th scope="col">"Last answer"</th></tr></thead>
                        <tbody>{deliveries}</tbody>
                    </table></div>
                </section>
            }
        })
        .collect_view();
    view! {
        <h1>"Webhooks"</h1>
        {notice.map(|n| view! { <div class="notice-box" role="status">{n}</div> })}
        {error.map(|e| view! { <div class="decline" role="alert">{e}</div> })}
        {new_secret.map(|(id, secret)| view! {
            <div class="notice-box" role="status">
                <p>"The signing secret of "{id}" (shown once; store it now):"</p>
                <p><code data-testid="secret">{secret}</code></p>
            </div>
        })}
        <section class="panel" aria-label="New endpoint">
            <h2>"Add an endpoint"</h2>
            <form method="post" action="/dashboard/webhooks">
                {hidden()}
                <div class="field"><label for="endpoint-url">"URL"</label><input id="endpoint-url" name="url" type="url" required placeholder="https://shop.example/kassa-hook"/></div>
                <fieldset class="events">
                    <legend>"Events (none ticked: all events)"</legend>
                    {checkboxes}
                </fieldset>
                <button type="submit">"Add endpoint"</button>
            </form>
        </section>
        {rows}
    }
}
