//! The customer's forms (pay, the 3-D Secure answer, a payment link's amount)
//! accept posts from Kassa's own pages only. They carry no cookie to steal,
//! but a page elsewhere must not be able to make a customer's browser answer
//! a challenge or submit a checkout it has never shown them. Browsers say
//! where a request comes from (`Sec-Fetch-Site`, else `Origin`), which lets
//! every form be checked without a token in it: the rule of Go's
//! `http.CrossOriginProtection` and of the Fetch Metadata guidance.

use crate::{i18n::words_for, AppState};
use axum::{
    extract::{Request, State},
    http::{header, HeaderMap, Method, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
};

/// Refuses a state-changing request a browser says came from another site.
pub async fn refuse_cross_site(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if is_safe(request.method()) || from_this_site(request.headers(), &state.public_url) {
        return next.run(request).await;
    }
    tracing::warn!(path = %request.uri().path(), "refused a form posted from another site");
    let words = words_for(None, request.headers());
    (StatusCode::FORBIDDEN, [(header::CACHE_CONTROL, "no-store")], words.t("cross-site-refused")).into_response()
}

fn is_safe(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// Whether the browser that sent this says it came from a Kassa page: this
/// host, or the public URL a proxy in front may have rewritten it from. A
/// request that says nothing is not from a browser (or from one too old to
/// tell), and so not something another site can make a customer send.
fn from_this_site(headers: &HeaderMap, public_url: &str) -> bool {
    let text = |name| headers.get(name).and_then(|v| v.to_str().ok());
    if let Some(site) = text("sec-fetch-site") {
        // `none`: the customer's own doing (a bookmark, the address bar).
        return site == "same-origin" || site == "none";
    }
    let Some(origin) = text(header::ORIGIN.as_str()) else { return true };
    let this_host =
        text(header::HOST.as_str()).is_some_and(|host| origin.split_once("://").is_some_and(|(_, a)| a == host));
    this_host || origin == public_url.trim_end_matches('/')
}

#[cfg(test)]
mod tests {
    use super::*;

    const PUBLIC: &str = "http://127.0.0.1:3000";

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        pairs.iter().map(|(name, value)| (header::HeaderName::from_static(name), value.parse().unwrap())).collect()
    }

    #[test]
    fn fetch_metadata_decides_when_the_browser_sends_it() {
        assert!(from_this_site(&headers(&[("sec-fetch-site", "same-origin")]), PUBLIC));
        assert!(from_this_site(&headers(&[("sec-fetch-site", "none")]), PUBLIC));
        assert!(!from_this_site(&headers(&[("sec-fetch-site", "cross-site")]), PUBLIC));
        // A sibling subdomain is another site's page as far as a form goes.
        assert!(!from_this_site(&headers(&[("sec-fetch-site", "same-site")]), PUBLIC));
        // It wins over an Origin that would pass.
        let both =
            headers(&[("sec-fetch-site", "cross-site"), ("origin", "http://pay.example"), ("host", "pay.example")]);
        assert!(!from_this_site(&both, PUBLIC));
    }

    #[test]
    fn without_it_the_origin_must_be_this_host() {
        assert!(from_this_site(&headers(&[("origin", "https://pay.example"), ("host", "pay.example")]), PUBLIC));
        assert!(from_this_site(&headers(&[("origin", "http://127.0.0.1:3000"), ("host", "127.0.0.1:3000")]), PUBLIC));
        assert!(!from_this_site(&headers(&[("origin", "https://evil.example"), ("host", "pay.example")]), PUBLIC));
        assert!(!from_this_site(&headers(&[("origin", "http://127.0.0.1:3001"), ("host", "127.0.0.1:3000")]), PUBLIC));
        // Sandboxed frames and some redirects send the opaque origin `null`.
        assert!(!from_this_site(&headers(&[("origin", "null"), ("host", "pay.example")]), PUBLIC));
        assert!(!from_this_site(&headers(&[("origin", "https://pay.example")]), PUBLIC));
        // Behind a proxy that rewrote the Host: the public URL's origin.
        let proxied = headers(&[("origin", "https://pay.example"), ("host", "10.0.0.5:3000")]);
        assert!(from_this_site(&proxied, "https://pay.example"));
        assert!(!from_this_site(&proxied, "https://pay.example.evil"));
    }

    #[test]
    fn a_request_that_says_nothing_is_no_browsers() {
        assert!(from_this_site(&headers(&[]), PUBLIC));
        assert!(from_this_site(&headers(&[("host", "pay.example")]), PUBLIC));
    }
}
