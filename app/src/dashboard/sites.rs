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
