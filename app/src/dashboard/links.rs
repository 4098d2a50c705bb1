use crate::failure::Failure;
use leptos::{prelude::*, server_fn::ServerFn};

#[server(prefix = "/dashboard/fn", endpoint = "create_link")]
pub async fn create_link(
    #[server(default)] title: String,
    #[server(default)] currency: String,
    #[server(default)] amount: String,
    #[server(default)] min_amount: String,
    #[server(default)] max_amount: String,
    #[server(default)] adjustable_quantity: String,
) -> Result<(), Failure> {
    let adjustable_quantity = adjustable_quantity == "true";
    let link = crate::desk::NewLinkForm { title, currency, amount, min_amount, max_amount, adjustable_quantity };
    crate::desk::desk_fn!(create_link(link))
}

#[server(prefix = "/dashboard/fn", endpoint = "rename_link")]
pub async fn rename_link(#[server(default)] link: String, #[server(default)] title: String) -> Result<(), Failure> {
    crate::desk::desk_fn!(on_link(&link, crate::desk::LinkAction::Rename { title }))
}

/// Switches a link on or off.
#[server(prefix = "/dashboard/fn", endpoint = "switch_link")]
pub async fn switch_link(#[server(default)] link: String) -> Result<(), Failure> {
    crate::desk::desk_fn!(on_link(&link, crate::desk::LinkAction::Switch))
}

#[derive(Clone, Debug, PartialEq)]
pub struct LinkRow {
    pub id: String,
    pub title: String,
    pub url: String,
    /// e.g. `€25.00` or `€5.00 – €100.00`.
    pub price: String,
    pub active: bool,
    pub visits: i64,
    pub sessions: i64,
    pub paid: i64,
    pub revenue: String,
    /// The link as a QR code (SVG made on the server).
    pub qr_svg: String,
    /// The HTML of a buy button that opens this link's checkout in place.
    pub button_snippet: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct LinksView {
    pub links: Vec<LinkRow>,
    pub notice: Option<String>,
    pub error: Option<String>,
}

/// "1 visit", "2 visits".
fn count(n: i64, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

#[component]
pub fn Links(view: LinksView, csrf: String) -> impl IntoView {
    let LinksView { links, notice, error } = view;
    let hidden = move || view! { <input type="hidden" name="csrf" value=csrf.clone()/> };
    let rows = links
        .into_iter()
        .map(|l| {
            let status = if l.active { "enabled" } else { "disabled" };
            let label = format!("Payment link {}", l.title);
            view! {
                <section class="panel link" aria-label=label>
                    <div class="link-head">
                        <div>
                            <h2>{l.title.clone()}</h2>
                            <p>{l.price}" · "<span class=format!("badge badge-{status}")>{if l.active { "active" } else { "inactive" }}</span></p>
                            <p class="figures" data-testid="figures">
                                {format!("{} · {} · {} paid · {} revenue", count(l.visits, "visit"), count(l.sessions, "session"), l.paid, l.revenue)}
                            </p>
                        </div>
                        <div class="qr" role="img" aria-label=format!("QR code for {}", l.url) inner_html=l.qr_svg></div>
                    </div>
                    <super::CopyButton text=l.url.clone() label="Copy link".to_string()/>
                    " "
                    <super::CopyButton text=l.button_snippet label="Copy buy button HTML".to_string()/>
                    <div class="inline">
                        <form method="post" action=SwitchLink::PATH>
                            {hidden()}
                            <input type="hidden" name="link" value=l.id.clone()/>
                            <button type="submit" class="secondary">{if l.active { "Deactivate" } else { "Activate" }}</button>
                        </form>
                        <form method="post" action=RenameLink::PATH class="inline">
                            {hidden()}
                            <input type="hidden" name="link" value=l.id.clone()/>
                            <label>"Title"<input name="title" value=l.title.clone() maxlength="200" required/></label>
                            <button type="submit" class="secondary">"Rename"</button>
                        </form>
                    </div>
                </section>
            }
        })
        .collect_view();
    view! {
        <h1>"Payment links"</h1>
        {notice.map(|n| view! { <div class="notice-box" role="status">{n}</div> })}
        {error.map(|e| view! { <div class="decline" role="alert">{e}</div> })}
        <section class="panel" aria-label="New payment link">
            <h2>"New payment link"</h2>
            <form method="post" action=CreateLink::PATH class="inline">
                {hidden()}
                <label>"Title"<input name="title" required maxlength="200"/></label>
                <label>"Currency"<input name="currency" value="EUR" required maxlength="3"/></label>
                <label>"Price (fixed)"<input name="amount" inputmode="decimal" placeholder="25.00"/></label>
                <label>"Or from"<input name="min_amount" inputmode="decimal" placeholder="5.00"/></label>
                <label>"to"<input name="max_amount" inputmode="decimal" placeholder="100.00"/></label>
                <label class="check"><input type="checkbox" name="adjustable_quantity" value="true"/>"Customer chooses the quantity"</label>
                <button type="submit">"Create link"</button>
            </form>
        </section>
        {rows}
    }
}
