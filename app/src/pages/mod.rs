//! The customer's pages. The server loads what a page shows and hands it over
//! in context as a [`Page`]; the components only render it, and the one
//! interactive part, the card form, is an island.

mod challenge;
mod closed;
pub mod form;
pub mod form_data;
mod home;
mod link;
mod pay;
mod processor;
mod receipt;
mod return_page;
mod shell;
mod summary;

use serde::{Deserialize, Serialize};
pub use shell::{document, shell};

pub use challenge::AnswerChallenge;
pub use form::Pay;
pub use link::ChooseOnLink;
pub use pay::CancelCheckout;
pub use processor::PayToken;
pub use return_page::SessionNow;

/// Where a session stands, as stored: the answer of the `session_now`
/// server function. `version` changes whenever the stored session does.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StoredSession {
    pub version: i64,
    pub status: crate::lifecycle::Status,
    pub outcome: crate::lifecycle::Outcome,
}

/// Where the browser asks where session `id` stands (`session_now`).
pub fn watch_url(id: &str) -> String {
    use leptos::server_fn::ServerFn;
    format!("{}?session={id}", SessionNow::PATH)
}

/// The stylesheet's URL, with its content hash when the server knows it.
#[derive(Clone, Debug, PartialEq)]
pub struct Stylesheet(pub String);

/// Where a customer page is shown: Kassa's own hosted page, or framed on a
/// merchant's site by the widget. Handed to the pages in context.
#[derive(Clone, Debug, PartialEq, Default)]
pub enum Frame {
    #[default]
    Hosted,
    /// Inside the widget's iframe; `origins` may frame it and hear from it.
    Embedded { origins: Vec<String> },
}

impl Frame {
    /// Every link and form of a page stays on its own surface.
    pub fn prefix(&self) -> &'static str {
        match self {
            Frame::Hosted => "",
            Frame::Embedded { .. } => "/embed",
        }
    }

    pub fn current() -> Frame {
        leptos::prelude::use_context::<Frame>().unwrap_or_default()
    }
}

/// One line of the order.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LineView {
    pub name: String,
    pub quantity: i64,
    pub total: String,
}

/// The merchant as their customers know them: the name, a logo, and the
/// pay button's colours (fill and the text colour chosen to read on it).
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Brand {
    pub name: String,
    pub logo_url: Option<String>,
    pub accent: Option<Accent>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Accent {
    pub fill: String,
    pub text: String,
}

/// What every page shows about the order.
#[derive(Clone, Debug, PartialEq)]
pub struct OrderView {
    pub session_id: String,
    /// Changes whenever the stored session does.
    pub version: i64,
    pub brand: Brand,
    pub lines: Vec<LineView>,
    pub total: String,
    /// Nothing is charged: the card is only verified (and saved), `amount: 0`.
    pub verification: bool,
}

impl OrderView {
    /// The pay button's words: what pressing it does.
    pub fn pay_label(&self, w: &crate::i18n::Words) -> String {
        if self.verification {
            w.t("save-card-button")
        } else {
            w.t_with("pay-button", &[("total", self.total.as_str().into())])
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct PayView {
    pub order: OrderView,
    pub email: String,
    /// The last declined try, in words the customer can act on.
    pub decline: Option<String>,
    /// Problem codes from a form the server refused (the no-JavaScript path).
    pub problems: Vec<String>,
    pub expires_at_ms: i64,
    pub now_ms: i64,
    /// Changes whenever the stored session does; the open page watches it.
    pub version: i64,
    pub cancel_url: Option<String>,
    /// The payment link whose card form this is, before any session
    /// exists: paying posts to the link, which makes the session then.
    pub link: Option<String>,
    /// A live session routed to Stripe: the card is typed into Stripe's
    /// own element instead of Kassa's form.
    pub processor: Option<ProcessorView>,
}

/// What the customer's browser needs for a processor's own card element.
#[derive(Clone, Debug, PartialEq)]
pub struct ProcessorView {
    /// Stripe's publishable key (public by design).
    pub publishable_key: String,
    /// Where Stripe.js is loaded from.
    pub js_url: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ChallengeView {
    pub order: OrderView,
    pub attempt_id: String,
    pub card: String,
    /// A processor's challenge (Stripe's 3-D Secure through Stripe.js, on
    /// the PaymentIntent's client secret); None for the sandbox bank's.
    pub processor: Option<(ProcessorView, String)>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ReturnState {
    /// Still waiting on the provider: the page looks again shortly.
    Pending,
    Paid {
        continue_url: Option<String>,
    },
    /// The try failed and the customer may try again.
    Failed {
        reason: String,
    },
}

#[derive(Clone, Debug, PartialEq)]
pub struct ReturnView {
    pub order: OrderView,
    pub state: ReturnState,
}

/// Why the session takes no more payments.
#[derive(Clone, Debug, PartialEq)]
pub enum ClosedReason {
    Paid { continue_url: Option<String> },
    Expired { back_url: Option<String> },
    Cancelled { back_url: Option<String> },
    Failed { reason: String, back_url: Option<String> },
}

/// The customer's receipt and the payment's status, behind an unguessable link.
#[derive(Clone, Debug, PartialEq)]
pub struct ReceiptView {
    pub order: OrderView,
    /// e.g. `Paid`, `Partially refunded`, `Open`.
    pub state: String,
    pub paid_with: Option<String>,
    pub paid_at: Option<String>,
    /// (when, amount) of each refund.
    pub refunds: Vec<(String, String)>,
    /// The card this session saved for later payments, if it did.
    pub saved_card: Option<SavedCardView>,
    /// The receipt link's token, for the form that removes the card.
    pub token: String,
}

/// A card saved for later payments, as the customer sees it on their receipt.
#[derive(Clone, Debug, PartialEq)]
pub struct SavedCardView {
    /// `pm_…`
    pub method: String,
    /// e.g. `Visa •••• 4242`.
    pub card: String,
    /// When it was removed; none while it is still saved.
    pub removed_on: Option<String>,
}

/// A payment link that asks the customer for an amount or a quantity first.
#[derive(Clone, Debug, PartialEq)]
pub struct LinkView {
    pub slug: String,
    pub title: String,
    pub brand: Brand,
    /// The fixed price, e.g. `€25.00`, or None when the customer chooses.
    pub price: Option<String>,
    /// e.g. `Between €5.00 and €100.00`.
    pub range: Option<String>,
    pub currency: String,
    pub max_quantity: Option<i64>,
    pub amount: String,
    pub error: Option<LinkError>,
}

/// Why the server sent a payment link's form back, and which input it is about.
#[derive(Clone, Debug, PartialEq)]
pub struct LinkError {
    pub field: Option<LinkField>,
    pub message: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkField {
    Amount,
    Quantity,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Page {
    Receipt(ReceiptView),
    Link(LinkView),
    /// An unknown or switched-off payment link.
    LinkUnavailable,
    Pay(PayView),
    Challenge(ChallengeView),
    Return(ReturnView),
    Closed {
        order: OrderView,
        reason: ClosedReason,
    },
    NotFound,
    /// Something failed on our side: what to do, and the trace id to quote.
    ServerError {
        message: String,
        reference: String,
    },
    /// `/`: what this Kassa is and where to go from here.
    Home {
        public_url: String,
    },
}

impl Page {
    /// The processor whose own script this page runs, if any.
    pub fn processor(&self) -> Option<&ProcessorView> {
        match self {
            Page::Pay(view) => view.processor.as_ref(),
            Page::Challenge(view) => view.processor.as_ref().map(|(p, _)| p),
            _ => None,
        }
    }

    /// The page as the widget frames it: no links away to the merchant's
    /// pages (the host page hears the outcome and moves on by itself).
    pub fn embedded(self) -> Page {
        match self {
            Page::Pay(view) => Page::Pay(PayView { cancel_url: None, ..view }),
            Page::Return(ReturnView { order, state: ReturnState::Paid { .. } }) => {
                Page::Return(ReturnView { order, state: ReturnState::Paid { continue_url: None } })
            }
            Page::Closed { order, reason } => Page::Closed {
                order,
                reason: match reason {
                    ClosedReason::Paid { .. } => ClosedReason::Paid { continue_url: None },
                    ClosedReason::Expired { .. } => ClosedReason::Expired { back_url: None },
                    ClosedReason::Cancelled { .. } => ClosedReason::Cancelled { back_url: None },
                    ClosedReason::Failed { reason, .. } => ClosedReason::Failed { reason, back_url: None },
                },
            },
            page => page,
        }
    }

    /// What the widget tells the merchant's page: the state shown, the
    /// session, its version (so one outcome is told once) and any reason.
    pub fn outcome(&self) -> (&'static str, Option<&OrderView>, Option<&str>) {
        match self {
            // No session yet to tell the merchant's page about.
            Page::Pay(v) if v.link.is_some() => ("open", None, v.decline.as_deref()),
            Page::Pay(v) => match &v.decline {
                Some(reason) => ("failed", Some(&v.order), Some(reason.as_str())),
                None => ("open", Some(&v.order), None),
            },
            Page::Challenge(v) => ("action_required", Some(&v.order), None),
            Page::Return(v) => match &v.state {
                ReturnState::Pending => ("pending", Some(&v.order), None),
                ReturnState::Paid { .. } => ("paid", Some(&v.order), None),
                ReturnState::Failed { reason } => ("failed", Some(&v.order), Some(reason.as_str())),
            },
            Page::Closed { order, reason } => match reason {
                ClosedReason::Paid { .. } => ("paid", Some(order), None),
                ClosedReason::Expired { .. } => ("expired", Some(order), None),
                ClosedReason::Cancelled { .. } => ("cancelled", Some(order), None),
                ClosedReason::Failed { reason, .. } => ("failed", Some(order), Some(reason.as_str())),
            },
            Page::Link(_) => ("open", None, None),
            Page::Receipt(_)
            | Page::LinkUnavailable
            | Page::NotFound
            | Page::ServerError { .. }
            | Page::Home { .. } => ("unavailable", None, None),
        }
    }

    /// The merchant's look, on pages about one of their sessions or links.
    pub fn brand(&self) -> Option<&Brand> {
        match self {
            Page::Link(v) => Some(&v.brand),
            page => page.outcome().1.map(|order| &order.brand),
        }
    }

    pub fn title(&self, w: &crate::i18n::Words) -> String {
        let merchant = |name: &str| ("merchant", name.into());
        match self {
            Page::Pay(v) if v.order.verification => w.t_with("title-save-card", &[merchant(&v.order.brand.name)]),
            Page::Pay(v) => {
                w.t_with("title-pay", &[("total", v.order.total.as_str().into()), merchant(&v.order.brand.name)])
            }
            Page::Challenge(_) => w.t("title-challenge"),
            Page::Receipt(v) => w.t_with("title-receipt", &[merchant(&v.order.brand.name)]),
            Page::Link(v) => format!("{} · {}", v.title, v.brand.name),
            Page::LinkUnavailable => w.t("title-link-unavailable"),
            Page::Return(_) => w.t("title-return"),
            Page::Closed { reason: ClosedReason::Paid { .. }, .. } => w.t("title-paid"),
            Page::Closed { reason: ClosedReason::Expired { .. }, .. } => w.t("title-expired"),
            Page::Closed { reason: ClosedReason::Cancelled { .. }, .. } => w.t("title-cancelled"),
            Page::Closed { reason: ClosedReason::Failed { .. }, .. } => w.t("title-failed"),
            Page::NotFound => w.t("title-not-found"),
            Page::ServerError { .. } => w.t("title-server-error"),
            Page::Home { .. } => "Kassa".into(),
        }
    }
}
