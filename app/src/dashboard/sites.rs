use leptos::prelude::*;

#[derive(Clone, Debug, PartialEq)]
pub struct SiteRow {
    pub id: String,
    pub name: String,
    /// One origin per line, as the form shows them.
    pub origins: String,
    /// The HTML a merchant pastes to embed this site's checkout.
    pub snippet: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct SitesView {
    pub sites: Vec<SiteRow>,
    pub error: Option<String>,
}

/// Each site's name, and the web pages allowed to embed its checkout.
#[component]
pub fn Sites(view: SitesView, csrf: String) -> impl IntoView {
    let SitesView { sites, error } = view;
    let rows = sites
        .into_iter()
        .map(|site| {
            let label = format!("Site {}", site.name);
            let origins_id = format!("origins-{}", site.id);
            view! {
                <section class="panel" aria-label=label>
                    <h2>{site.name.clone()}</h2>
                    <p class="hint">{site.id.clone()}</p>
                    <form method="post" action=format!("/dashboard/sites/{}", site.id) class="stack">
                        <input type="hidden" name="csrf" value=csrf.clone()/>
                        <label>"Name shown to customers"<input name="name" value=site.name maxlength="100" required/></label>
                        <label for=origins_id.clone()>"Websites that may embed the checkout"</label>
                        <textarea id=origins_id name="origins" rows="3" placeholder="https://shop.example" aria-describedby="origins-hint">
                            {site.origins}
                        </textarea>
                        <p class="hint" id="origins-hint">
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
        {error.map(|e| view! { <div class="decline" role="alert">{e}</div> })}
        {rows}
    }
}
