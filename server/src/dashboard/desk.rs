//! The dashboard's server functions (`app::desk::Dashboard`), and the guard
//! in front of them: a signed-in login and its CSRF token in the form, or
//! nothing runs. Each function answers with the page to go to, where what
//! it did (or why not) waits in a notice.

use super::{actions, auth, links, sites, webhooks};
use crate::{pages::refuse_cross_site, store::Login, AppState};
use app::desk::{Dashboard, EndpointAction, LinkAction, NewLinkForm, RouteForm, SessionAction, SiteForm};
use app::failure::Failure;
use axum::{
    body::Body,
    extract::{Request, State},
    http::{request::Parts, StatusCode},
    middleware::{from_fn_with_state, Next},
    response::{IntoResponse, Redirect, Response},
    routing::post,
    Router,
};
use leptos::prelude::provide_context;
use std::sync::Arc;
use subtle::ConstantTimeEq;
use tower_http::limit::RequestBodyLimitLayer;

pub struct DashboardDesk(pub AppState);

/// The login the guard found for this request.
fn login(request: &Parts) -> Result<Login, Failure> {
    request.extensions.get::<Login>().cloned().ok_or(Failure::Unavailable)
}

#[async_trait::async_trait]
impl Dashboard for DashboardDesk {
    async fn sign_in(
        &self,
        request: &Parts,
        email: String,
        password: String,
    ) -> Result<(String, Option<String>), Failure> {
        auth::sign_in(&self.0, request, email, password).await
    }

    async fn sign_out(&self, request: &Parts) -> Result<(String, String), Failure> {
        auth::sign_out(&self.0, request).await
    }

    async fn on_session(&self, request: &Parts, session: &str, action: SessionAction) -> Result<String, Failure> {
        actions::on_session(&self.0, &login(request)?, session, action).await
    }

    async fn create_link(&self, request: &Parts, link: NewLinkForm) -> Result<String, Failure> {
        links::create(&self.0, &login(request)?, link).await
    }

    async fn on_link(&self, request: &Parts, link: &str, action: LinkAction) -> Result<String, Failure> {
        links::on_link(&self.0, &login(request)?, link, action).await
    }

    async fn create_endpoint(&self, request: &Parts, url: String, events: Vec<String>) -> Result<String, Failure> {
        webhooks::create(&self.0, &login(request)?, url, events).await
    }

    async fn on_endpoint(&self, request: &Parts, endpoint: &str, action: EndpointAction) -> Result<String, Failure> {
        webhooks::on_endpoint(&self.0, &login(request)?, endpoint, action).await
    }

    async fn save_site(&self, request: &Parts, site: &str, form: SiteForm) -> Result<String, Failure> {
        sites::save(&self.0, &login(request)?, site, form).await
    }

    async fn save_route(&self, request: &Parts, site: &str, route: RouteForm) -> Result<String, Failure> {
        sites::save_route(&self.0, &login(request)?, site, route).await
    }

    async fn switch_mode(&self, request: &Parts, live: bool, back: String) -> Result<String, Failure> {
        auth::switch_mode(&self.0, request, live, &back).await
    }
}

/// `/dashboard/fn/…`: signing in refuses other sites' forms (login CSRF);
/// every other function needs a login and its token.
pub fn routes(state: AppState) -> Router<AppState> {
    use leptos::server_fn::ServerFn;
    let limit = RequestBodyLimitLayer::new(crate::pages::functions::FORM_LIMIT);
    Router::new()
        .route(
            app::dashboard::sign_in::SignIn::PATH,
            post(serve).route_layer(from_fn_with_state(state.clone(), refuse_cross_site)),
        )
        .route("/dashboard/fn/{*name}", post(serve).route_layer(from_fn_with_state(state, guard)))
        .layer(limit)
}

async fn serve(State(state): State<AppState>, request: Request) -> Response {
    let desk: Arc<dyn Dashboard> = Arc::new(DashboardDesk(state));
    crate::pages::functions::serve(request, move || provide_context(desk.clone())).await
}

/// Lets through a form from a signed-in login carrying that login's CSRF
/// token, with the login noted for the function; a visitor signed out goes
/// to sign in.
async fn guard(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let Some(token) = auth::cookie_token(request.headers()) else {
        return Redirect::to("/dashboard/sign-in").into_response();
    };
    let login = match state.store.login(&token).await {
        Ok(Some(login)) => login,
        Ok(None) => return Redirect::to("/dashboard/sign-in").into_response(),
        Err(e) => return super::server_error(e),
    };
    let (mut parts, body) = request.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, crate::pages::functions::FORM_LIMIT).await else {
        return StatusCode::PAYLOAD_TOO_LARGE.into_response();
    };
    let csrf = url::form_urlencoded::parse(&bytes).find(|(k, _)| k == "csrf").map(|(_, v)| v.into_owned());
    let matches = csrf.is_some_and(|csrf| bool::from(login.csrf_token.as_bytes().ct_eq(csrf.as_bytes())));
    if !matches {
        return (StatusCode::FORBIDDEN, "This form has expired. Go back, reload the page and try again.")
            .into_response();
    }
    parts.extensions.insert(login);
    next.run(Request::from_parts(parts, Body::from(bytes))).await
}
