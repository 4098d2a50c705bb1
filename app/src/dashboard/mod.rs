//! The merchant's dashboard: server-rendered pages; forms post and redirect,
//! so they work without JavaScript. The server loads a [`DashboardPage`] and
//! hands it over in context, as for the customer's pages.

mod copy;
mod detail;
mod links;
mod list;
mod live;
mod overview;
pub mod sign_in;
mod sites;
mod webhooks;

pub use copy::CopyButton;
pub use links::{LinkRow, LinksView};
pub use live::{LiveRegion, SessionsTable};
pub use overview::{DayBar, OverviewView};
pub use sites::{RouteRow, SiteRow, SitesView};
pub use webhooks::{EndpointRow, WebhooksView};

use crate::failure::Failure;
use leptos::{prelude::*, server_fn::ServerFn};
use serde::{Deserialize, Serialize};

/// Signs out: the login is forgotten here and in the browser.
#[server(prefix = "/dashboard/fn", endpoint = "sign_out")]
pub async fn sign_out() -> Result<(), Failure> {
    use crate::desk;
    let signed_out = desk::dashboard()?.sign_out(&desk::request()?).await;
    desk::answer_setting(signed_out.map(|(path, cookie)| (path, Some(cookie))))
}

/// Switches the dashboard between live and test data.
#[server(prefix = "/dashboard/fn", endpoint = "switch_mode")]
pub async fn switch_mode(#[server(default)] to: String, #[server(default)] back: String) -> Result<(), Failure> {
    crate::desk::desk_fn!(switch_mode(to == "live", back))
}

/// Who is signed in, for the header and the forms' CSRF token.
#[derive(Clone, Debug, PartialEq)]
pub struct Nav {
    pub merchant_name: String,
    pub email: String,
    pub csrf: String,
    /// Live data, or test data (marked as such on every page).
    pub live: bool,
    /// This page, to come back to after switching modes.
    pub here: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct TabLink {
    pub label: &'static str,
    pub count: i64,
    pub href: String,
    pub current: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SessionRow {
    pub id: String,
    pub created: String,
    pub email: String,
    pub order_id: String,
    pub amount: String,
    pub state: String,
    pub source: String,
}

#[derive(Clone, Debug, PartialEq, Default)]
pub struct ListQuery {
    pub tab: String,
    pub q: String,
    pub source: String,
    pub from: String,
    pub to: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct SessionsView {
    pub tabs: Vec<TabLink>,
    pub rows: Vec<SessionRow>,
    /// Where the open list asks for its rows again, to show new sessions and changed states.
    pub rows_href: String,
    pub query: ListQuery,
    pub next_href: Option<String>,
    pub first_href: Option<String>,
    /// The same list as CSV.
    pub export_href: String,
    /// A query the server refused (e.g. a malformed date), in words.
    pub error: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    pub label: String,
    pub value: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct AttemptRow {
    pub id: String,
    pub created: String,
    pub card: String,
    pub status: String,
    pub failure: String,
    /// The provider and its own id for the payment (`stripe pi_…`), or `—`.
    pub at_provider: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct RefundRow {
    pub id: String,
    pub created: String,
    pub amount: String,
    pub reason: String,
    /// The processor's own id for the refund (`re_…`), or `—`.
    pub at_provider: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct DeliveryRow {
    pub id: String,
    pub event_type: String,
    pub url: String,
    pub status: String,
    pub tries: usize,
    /// The last try's answer, e.g. `200 in 35 ms`.
    pub last: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct TimelineItem {
    pub time: String,
    pub title: String,
    pub detail: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Actions {
    /// What remains to refund, e.g. `€12.50`, when a refund is possible.
    pub refundable: Option<String>,
    /// The same in major units for the form, e.g. `12.50`.
    pub refundable_input: String,
    pub can_expire: bool,
    pub can_cancel: bool,
    /// The hosted page, while the customer can still pay there.
    pub hosted_url: Option<String>,
    /// A failed or abandoned session can be offered again as a new one.
    pub can_recover: bool,
    /// The WooCommerce order in WordPress admin.
    pub order_url: Option<String>,
    /// The customer's receipt and status page.
    pub portal_url: Option<String>,
    /// Paid, with an email to send the receipt to.
    pub can_resend_receipt: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct SessionDetail {
    pub id: String,
    /// A live session, or a test one (the page is marked as test data).
    pub livemode: bool,
    pub state: &'static str,
    pub amount: String,
    pub fields: Vec<Entry>,
    pub customer: Vec<Entry>,
    pub attempts: Vec<AttemptRow>,
    pub refunds: Vec<RefundRow>,
    pub deliveries: Vec<DeliveryRow>,
    pub timeline: Vec<TimelineItem>,
    pub actions: Actions,
    /// What the last action did, or why it was refused.
    pub notice: Option<String>,
    pub error: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum DashboardPage {
    SignIn { email: String, error: Option<String> },
    Sessions { nav: Nav, view: SessionsView },
    Session { nav: Nav, view: Box<SessionDetail> },
    Overview { nav: Nav, view: OverviewView },
    Webhooks { nav: Nav, view: WebhooksView },
    Links { nav: Nav, view: LinksView },
    Sites { nav: Nav, view: SitesView },
}

/// The CSS class of a state badge.
pub fn badge_class(state: &str) -> String {
    format!("badge badge-{}", state.to_lowercase().replace(' ', "-"))
}

pub fn dashboard_shell(options: LeptosOptions) -> impl IntoView {
    let Some(page) = use_context::<DashboardPage>() else { return ().into_any() };
    let title = match &page {
        DashboardPage::SignIn { .. } => "Sign in · Kassa".to_string(),
        DashboardPage::Sessions { .. } => "Checkout sessions · Kassa".to_string(),
        DashboardPage::Session { view, .. } => format!("{} · Kassa", view.id),
        DashboardPage::Overview { .. } => "Overview · Kassa".to_string(),
        DashboardPage::Webhooks { .. } => "Webhooks · Kassa".to_string(),
        DashboardPage::Links { .. } => "Payment links · Kassa".to_string(),
        DashboardPage::Sites { .. } => "Sites · Kassa".to_string(),
    };
    let interactive = matches!(
        page,
        DashboardPage::Session { .. }
            | DashboardPage::Sessions { .. }
            | DashboardPage::Links { .. }
            | DashboardPage::Sites { .. }
    );
    let private = view! { <meta name="robots" content="noindex"/> }.into_any();
    crate::pages::document(options, "en", title, interactive, Some(private), "dashboard", body(page)).into_any()
}

fn body(page: DashboardPage) -> AnyView {
    match page {
        DashboardPage::SignIn { email, error } => view! { <sign_in::SignInPage email error/> }.into_any(),
        DashboardPage::Sessions { nav, view } => {
            view! { <Header nav=nav.clone()/> <main class="dash"><list::Sessions view/></main> }.into_any()
        }
        DashboardPage::Overview { nav, view } => {
            view! { <Header nav/> <main class="dash"><overview::Overview view/></main> }.into_any()
        }
        DashboardPage::Links { nav, view } => {
            let csrf = nav.csrf.clone();
            view! { <Header nav/> <main class="dash"><links::Links view csrf/></main> }.into_any()
        }
        DashboardPage::Sites { nav, view } => {
            let csrf = nav.csrf.clone();
            view! { <Header nav/> <main class="dash"><sites::Sites view csrf/></main> }.into_any()
        }
        DashboardPage::Webhooks { nav, view } => {
            let csrf = nav.csrf.clone();
            view! { <Header nav/> <main class="dash"><webhooks::Webhooks view csrf/></main> }.into_any()
        }
        DashboardPage::Session { nav, view } => {
            let csrf = nav.csrf.clone();
            view! { <Header nav/> <main class="dash"><detail::Detail view=*view csrf/></main> }.into_any()
        }
    }
}

#[component]
fn Header(nav: Nav) -> impl IntoView {
    let (to, switch_label) = if nav.live { ("test", "View test data") } else { ("live", "View live data") };
    let marker = (!nav.live).then(|| {
        view! {
            <div class="test-data" role="note">
                <strong>"Test data"</strong>
                " — sessions made with test keys (sk_test_…) and paid on the sandbox. No real money moves."
            </div>
        }
    });
    view! {
        {marker}
        <header class="dash-header">
            <a class="brand" href="/dashboard">"Kassa"</a>
            <span class="merchant-name">{nav.merchant_name}</span>
            <nav class="dash-nav" aria-label="Dashboard">
                <a href="/dashboard/overview">"Overview"</a>
                <a href="/dashboard">"Sessions"</a>
                <a href="/dashboard/links">"Payment links"</a>
                <a href="/dashboard/webhooks">"Webhooks"</a>
                <a href="/dashboard/sites">"Sites"</a>
            </nav>
            <form method="post" action=SwitchMode::PATH class="mode-switch">
                <input type="hidden" name="csrf" value=nav.csrf.clone()/>
                <input type="hidden" name="to" value=to/>
                <input type="hidden" name="back" value=nav.here/>
                <span class=if nav.live { "mode mode-live" } else { "mode mode-test" }>
                    {if nav.live { "Live" } else { "Test mode" }}
                </span>
                <button type="submit" class="link">{switch_label}</button>
            </form>
            <form method="post" action=SignOut::PATH class="sign-out">
                <input type="hidden" name="csrf" value=nav.csrf/>
                <span class="who">{nav.email}</span>
                <button type="submit" class="link">"Sign out"</button>
            </form>
        </header>
    }
}
