//! The customer's pages: the hosted checkout, the 3-D Secure step and the
//! return page. Handlers load what a page shows into an [`app::pages::Page`]
//! and Leptos renders it; forms post to server functions (`functions.rs`
//! serves them, the dashboard's too) answered with a redirect, so everything
//! works with JavaScript off; `failure.rs` words what went wrong as a page.

mod cross_site;
mod desk;
pub mod failure;
pub mod functions;
mod handlers;
pub(crate) mod links;
mod refused;
mod surface;
mod view;

pub(crate) use cross_site::refuse_cross_site;
pub use handlers::router;
pub use view::{order as order_view, render, render_with};
