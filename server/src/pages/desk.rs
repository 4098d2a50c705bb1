//! The customer's server functions (`app::desk::Checkout`), done over the
//! services: each answers with the path the browser goes to next, where the
//! page shows the stored state.

use super::handlers::{client_ip, fresh, waiting_challenge};
use super::refused::{self, Refused};
use super::surface::Surface;
use crate::{
    payments::{self, PayError, PayResult},
    store::{ClosedBy, StoreError},
    AppState,
};
use app::checks::PayForm;
use app::desk::{Checkout, LinkChoice, PayTarget};
use app::failure::Failure;
use app::lifecycle::{Event, LifecycleError};
use app::pages::StoredSession;
use axum::{
    extract::{Request, State},
    http::request::Parts,
    response::Response,
};
use leptos::prelude::provide_context;
use std::sync::Arc;

pub struct CheckoutDesk(pub AppState);

#[async_trait::async_trait]
impl Checkout for CheckoutDesk {
    async fn pay(&self, request: &Parts, to: PayTarget, form: PayForm) -> Result<String, Failure> {
        let state = &self.0;
        let surface = Surface::of(request);
        let client = client_ip(state, &request.extensions, &request.headers);
        let id = match to {
            PayTarget::Session(id) => id,
            PayTarget::Link(slug) => return super::links::pay_at_once(state, surface, &slug, form, client).await,
        };
        let key = refused::pay_key(&id);
        match payments::pay(state, &id, &form, client).await {
            Err(PayError::Invalid(problems)) => {
                fresh(state, &id).await?.ok_or(Failure::NotFound)?;
                refused::keep(state, &key, &Refused::card(&problems, &form.email)).await?;
                Ok(surface.path(&format!("/pay/{id}")))
            }
            // An attempt was made (or another got there first): the old
            // refusal is no longer news.
            Ok(result) => {
                refused::forget(state, &key).await;
                Ok(after_paying(surface, &id, result))
            }
            Err(PayError::Refused(e)) => {
                refused::forget(state, &key).await;
                after_refusal(surface, &id, e)
            }
            Err(e @ PayError::Provider(_)) => Err(e.into()),
        }
    }

    async fn pay_token(&self, request: &Parts, id: &str, email: String, token: String) -> Result<String, Failure> {
        let state = &self.0;
        let surface = Surface::of(request);
        let client = client_ip(state, &request.extensions, &request.headers);
        let key = refused::pay_key(id);
        match payments::pay_token(state, id, token, &email, client).await {
            Err(PayError::Invalid(problems)) => {
                fresh(state, id).await?.ok_or(Failure::NotFound)?;
                refused::keep(state, &key, &Refused::card(&problems, &email)).await?;
                Ok(surface.path(&format!("/pay/{id}")))
            }
            Ok(result) => {
                refused::forget(state, &key).await;
                Ok(after_paying(surface, id, result))
            }
            Err(PayError::Refused(e)) => {
                refused::forget(state, &key).await;
                after_refusal(surface, id, e)
            }
            Err(e @ PayError::Provider(_)) => Err(e.into()),
        }
    }

    async fn answer_challenge(
        &self,
        request: &Parts,
        id: &str,
        attempt_id: &str,
        approved: bool,
    ) -> Result<String, Failure> {
        let state = &self.0;
        let surface = Surface::of(request);
        // Expired now if its time is up, so a late answer reaches no provider.
        fresh(state, id).await?.ok_or(Failure::NotFound)?;
        let Some(attempt) = waiting_challenge(state, id, attempt_id).await? else {
            return Ok(surface.path(&format!("/pay/{id}")));
        };
        match payments::complete_challenge(state, &attempt, approved).await {
            Ok(result @ (PayResult::Declined | PayResult::Challenge(_))) => Ok(after_paying(surface, id, result)),
            Ok(_) | Err(PayError::Refused(StoreError::Conflict | StoreError::Lifecycle(_))) => {
                Ok(surface.path(&format!("/pay/{id}/return")))
            }
            Err(e) => Err(e.into()),
        }
    }

    /// On the hosted page the customer then goes back to the shop; in the
    /// widget the cancelled checkout tells the merchant's page.
    async fn forget_card(&self, _request: &Parts, receipt: &str, method: &str) -> Result<String, Failure> {
        let state = &self.0;
        let session = state.store.session_by_portal_token(receipt).await?.ok_or(Failure::NotFound)?;
        // Only the card this receipt's session saved; anything else is not found.
        let method = state.store.payment_method(method).await?.filter(|m| m.session_id == session.id);
        let method = method.ok_or(Failure::NotFound)?;
        crate::series::detach(state, &method, "customer").await.map_err(crate::pages::functions::unavailable)?;
        Ok(format!("/r/{receipt}"))
    }

    async fn cancel(&self, request: &Parts, id: &str) -> Result<String, Failure> {
        let state = &self.0;
        let surface = Surface::of(request);
        let session = fresh(state, id).await?.ok_or(Failure::NotFound)?;
        match state.store.close_session(id, Event::Cancel, ClosedBy::Customer).await {
            Ok(_) => {}
            // Paid, expired or closed meanwhile, or a payment in flight: the
            // checkout page shows where it stands.
            Err(StoreError::Conflict | StoreError::Lifecycle(_)) => return Ok(surface.path(&format!("/pay/{id}"))),
            Err(e) => return Err(e.into()),
        }
        Ok(match (surface, session.cancel_url) {
            (Surface::Hosted, Some(url)) => url,
            _ => surface.path(&format!("/pay/{id}")),
        })
    }

    async fn choose(&self, request: &Parts, link: &str, choice: LinkChoice) -> Result<String, Failure> {
        let client = client_ip(&self.0, &request.extensions, &request.headers);
        super::links::choose(&self.0, Surface::of(request), link, choice, client).await
    }

    async fn session_now(&self, id: &str) -> Result<StoredSession, Failure> {
        let session = fresh(&self.0, id).await?.ok_or(Failure::NotFound)?;
        let now = session.state();
        Ok(StoredSession { version: session.updated_at, status: now.status, outcome: now.outcome })
    }
}

/// Where the customer goes once the pay button did its work.
pub(super) fn after_paying(surface: Surface, id: &str, result: PayResult) -> String {
    match result {
        PayResult::Succeeded | PayResult::Processing => surface.path(&format!("/pay/{id}/return")),
        PayResult::Declined => surface.path(&format!("/pay/{id}")),
        PayResult::Challenge(attempt) => surface.path(&format!("/pay/{id}/challenge/{attempt}")),
    }
}

/// Where the customer goes when the store refused to start the payment.
pub(super) fn after_refusal(surface: Surface, id: &str, refusal: StoreError) -> Result<String, Failure> {
    match refusal {
        // Another click, tab or process got there first: show where it stands.
        StoreError::Conflict | StoreError::Lifecycle(LifecycleError::AttemptInFlight) => {
            Ok(surface.path(&format!("/pay/{id}/return")))
        }
        StoreError::Lifecycle(_) => Ok(surface.path(&format!("/pay/{id}"))),
        e => Err(e.into()),
    }
}

/// `/fn/…` and `/embed/fn/…`: the customer's server functions, the surface
/// noted for them to answer on.
pub async fn serve(State(state): State<AppState>, surface: Surface, mut request: Request) -> Response {
    if surface == Surface::Embedded {
        let path = request.uri().path_and_query().map(|p| p.as_str()).unwrap_or("/");
        if let Ok(uri) = path.trim_start_matches("/embed").parse() {
            *request.uri_mut() = uri;
        }
    }
    request.extensions_mut().insert(surface);
    let desk: Arc<dyn Checkout> = Arc::new(CheckoutDesk(state));
    crate::pages::functions::serve(request, move || provide_context(desk.clone())).await
}
