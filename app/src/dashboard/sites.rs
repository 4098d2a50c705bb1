use crate::failure::Failure;
use leptos::{prelude::*, server_fn::ServerFn};

/// A site's name, the look of its checkout and the origins that may embed it.
#[server(prefix = "/dashboard/fn", endpoint = "save_site")]
pub async fn save_site(
    #[server(default)] site: String,
    #[server(default)] name: String,
    #[server(default)] display_name: String,
    #[server(default)] logo_url: String,
    #[server(default)] accent_color: String,
    #[server(default)] origins: String,
) -> Result<(), Failure> {
    let form = crate::desk::SiteForm { name, display_name, logo_url, accent_color, origins };
    crate::desk::desk_fn!(save_site(&site, form))
}

/// Where a site's live payments go, and its keys: the secret ones are
/// sealed when saved and never shown again.
#[server(prefix = "/dashboard/fn", endpoint = "save_route")]
pub async fn save_route(
    #[server(default)] site: String,
    #[server(default)] provider: String,
    #[server(default)] secret_key: String,
    #[server(default)] publishable_key: String,
    #[server(default)] webhook_secret: String,
) -> Result<(), Failure> {
    let route = crate::desk::RouteForm { provider, secret_key, publishable_key, webhook_secret };
    crate::desk::desk_fn!(save_route(&site, route))
}

/// A site's saved provider route, as much of it as may be shown.
#[derive(Clone, Debug, PartialEq)]
pub struct RouteRow {
    pub provider: String,
    pub publishable_key: String,
    pub secret_key_last4: String,
    /// Stripe live keys; false: Stripe's own test data.
    pub live_keys: bool,
    pub updated: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct SiteRow {
    pub id: String,
    pub name: String,
    /// One origin per line, as the form shows them.
    pub origins: String,
    /// The HTML a merchant pastes to embed this site's checkout.
    pub snippet: String,
    /// Empty when not set.
    pub display_name: String,
    pub logo_url: String,
    pub accent_color: String,
    /// The pay button's text colour Kassa chose for the accent.
    pub button_text: Option<String>,
    /// Where live payments go, once set.
    pub route: Option<RouteRow>,
    /// Where Stripe sends this site's webhooks.
    pub stripe_webhook_url: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct SitesView {
    pub sites: Vec<SiteRow>,
    /// What the last save did, or why it was refused.
    pub notice: Option<String>,
    pub error: Option<String>,
}

/// Each site's name, its checkout's look, and the web pages allowed to
/// embed its checkout.
#[component]
pub fn Sites(view: SitesView, csrf: String) -> impl IntoView {
    let SitesView { sites, notice, error } = view;
    let rows = sites
        .into_iter()
        .map(|site| {
            let label = format!("Site {}", site.name);
            let origins_id = format!("origins-{}", site.id);
            let hint_id = format!("origins-hint-{}", site.id);
            let accent_hint_id = format!("accent-hint-{}", site.id);
            let accent_hint = match &site.button_text {
                Some(text) => format!("The pay button's text will be {text}: Kassa picks white or black, whichever reads better."),
                None => "Empty: Kassa's own blue. The pay button's text colour is picked to stay readable.".to_string(),
            };
            view! {
                <section class="panel" aria-label=label>
                    <h2>{site.name.clone()}</h2>
                    <p class="hint">{site.id.clone()}</p>
                    <form method="post" action=SaveSite::PATH class="stack">
                        <input type="hidden" name="csrf" value=csrf.clone()/>
                        <input type="hidden" name="site" value=site.id.clone()/>
                        <label>"Site name"<input name="name" value=site.name maxlength="100" required/></label>
                        <label>
                            "Name shown to customers (empty: the site name)"
                            <input name="display_name" value=site.display_name maxlength="100"/>
                        </label>
                        <label>
                            "Logo (an https:// address of an image)"
                            <input name="logo_url" type="url" value=site.logo_url placeholder="https://shop.example/logo.png"/>
                        </label>
                        <label>
                            "Accent colour of the pay button (#rrggbb)"
                            <input name="accent_color" value=site.accent_color placeholder="#2f4fd8" pattern="#[0-9a-fA-F]{3}([0-9a-fA-F]{3})?" aria-describedby=accent_hint_id.clone()/>
                        </label>
                        <p class="hint" id=accent_hint_id>{accent_hint}</p>
                        <label for=origins_id.clone()>"Websites that may embed the checkout"</label>
                        <textarea id=origins_id name="origins" rows="3" placeholder="https://shop.example" aria-describedby=hint_id.clone()>
                            {site.origins}
                        </textarea>
                        <p class="hint" id=hint_id>
                            "One origin per line (scheme, host and port, no path). Pages anywhere else cannot frame the checkout."
                        </p>
                        <button type="submit">"Save"</button>
                    </form>
                    <LiveRoute site=site.id.clone() route=site.route webhook_url=site.stripe_webhook_url csrf=csrf.clone()/>
                    <h3>"Embed the checkout"</h3>
                    <p class="hint">"Paste this where the checkout should appear; put the session id your server created in place of the example's."</p>
                    <pre class="snippet"><code>{site.snippet.clone()}</code></pre>
                    <super::CopyButton text=site.snippet label="Copy snippet".to_string()/>
                </section>
            }
        })
        .collect_view();
    view! {
        <h1>"Sites"</h1>
        {notice.map(|n| view! { <div class="notice-box" role="status">{n}</div> })}
        {error.map(|e| view! { <div class="decline" role="alert">{e}</div> })}
        {rows}
    }
}

/// The form that routes a site's live payments to Stripe. The secrets are
/// never put back in the form: saving again replaces them.
#[component]
fn LiveRoute(site: String, route: Option<RouteRow>, webhook_url: String, csrf: String) -> impl IntoView {
    let heading_id = format!("route-{site}");
    let status = match &route {
        Some(route) => {
            let keys = if route.live_keys { "live keys" } else { "Stripe test keys" };
            format!(
                "Live payments go to {} ({keys}, secret key ending {}, publishable key {}), saved {}.",
                route.provider, route.secret_key_last4, route.publishable_key, route.updated
            )
        }
        None => {
            "No live payments yet: sessions made with a live key (sk_live_…) are refused until this is set.".to_string()
        }
    };
    let button = if route.is_some() { "Replace keys" } else { "Go live" };
    view! {
        <h3 id=heading_id.clone()>"Live payments"</h3>
        <p class="route-status">{status}</p>
        <form method="post" action=SaveRoute::PATH class="stack" aria-labelledby=heading_id>
            <input type="hidden" name="csrf" value=csrf/>
            <input type="hidden" name="site" value=site/>
            <input type="hidden" name="provider" value="stripe"/>
            <label>"Stripe secret key"<input name="secret_key" type="password" autocomplete="off" placeholder="sk_live_…" required/></label>
            <label>"Stripe publishable key"<input name="publishable_key" autocomplete="off" placeholder="pk_live_…" required/></label>
            <p class="hint">
                "In Stripe's dashboard, add a webhook endpoint at "
                <code>{webhook_url}</code>
                " for payment_intent events, then paste its signing secret here."
            </p>
            <label>"Webhook signing secret"<input name="webhook_secret" type="password" autocomplete="off" placeholder="whsec_…" required/></label>
            <button type="submit">{button}</button>
        </form>
    }
}
