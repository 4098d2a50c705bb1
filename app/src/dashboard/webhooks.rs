use crate::failure::Failure;
use leptos::{prelude::*, server_fn::ServerFn};

/// Adds an endpoint for the ticked events (none ticked: every event).
#[server(prefix = "/dashboard/fn", endpoint = "create_endpoint")]
pub async fn create_endpoint(
    #[server(default)] url: String,
    #[server(default)] events: Vec<String>,
) -> Result<(), Failure> {
    crate::desk::desk_fn!(create_endpoint(url, events))
}

/// Enables a disabled endpoint, or disables an enabled one.
#[server(prefix = "/dashboard/fn", endpoint = "switch_endpoint")]
pub async fn switch_endpoint(#[server(default)] endpoint: String) -> Result<(), Failure> {
    crate::desk::desk_fn!(on_endpoint(&endpoint, crate::desk::EndpointAction::Switch))
}

#[server(prefix = "/dashboard/fn", endpoint = "test_endpoint")]
pub async fn test_endpoint(#[server(default)] endpoint: String) -> Result<(), Failure> {
    crate::desk::desk_fn!(on_endpoint(&endpoint, crate::desk::EndpointAction::SendTest))
}

/// A new signing secret; the old one goes on signing for a day.
#[server(prefix = "/dashboard/fn", endpoint = "roll_endpoint_secret")]
pub async fn roll_endpoint_secret(#[server(default)] endpoint: String) -> Result<(), Failure> {
    crate::desk::desk_fn!(on_endpoint(&endpoint, crate::desk::EndpointAction::RollSecret))
}

#[server(prefix = "/dashboard/fn", endpoint = "delete_endpoint")]
pub async fn delete_endpoint(#[server(default)] endpoint: String) -> Result<(), Failure> {
    crate::desk::desk_fn!(on_endpoint(&endpoint, crate::desk::EndpointAction::Delete))
}

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
    let hidden = {
        let csrf = csrf.clone();
        move || view! { <input type="hidden" name="csrf" value=csrf.clone()/> }
    };
    let checkboxes = event_types
        .into_iter()
        .map(|kind| view! { <label class="check"><input type="checkbox" name="events[]" value=kind.clone()/>{kind.clone()}</label> })
        .collect_view();
    let rows = endpoints
        .into_iter()
        .map(|e| {
            let (endpoint, csrf) = (e.id.clone(), csrf.clone());
            let form = move |action: &'static str, label: &'static str| {
                view! {
                    <form method="post" action=action>
                        <input type="hidden" name="csrf" value=csrf.clone()/>
                        <input type="hidden" name="endpoint" value=endpoint.clone()/>
                        <button type="submit" class="secondary">{label}</button>
                    </form>
                }
            };
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
                        {form(SwitchEndpoint::PATH, toggle)}
                        {form(TestEndpoint::PATH, "Send test event")}
                        {form(RollEndpointSecret::PATH, "Roll secret")}
                        {form(DeleteEndpoint::PATH, "Delete")}
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
            <form method="post" action=CreateEndpoint::PATH>
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
