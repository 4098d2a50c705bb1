//! The two surfaces customer pages are served on: Kassa's hosted page
//! (`/pay/...`, `/l/...`) and the widget's frame (`/embed/pay/...`,
//! `/embed/l/...`). The same handlers serve both; a page stays on the
//! surface it was opened on.

use crate::AppState;
use app::pages::Frame;
use axum::{extract::FromRequestParts, http::request::Parts};
use std::convert::Infallible;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Surface {
    Hosted,
    Embedded,
}

impl<S: Send + Sync> FromRequestParts<S> for Surface {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Surface::of(parts))
    }
}

impl Surface {
    /// The surface a request was made on: its path's, or, for a server
    /// function (served at one path for both), the one its route noted.
    pub fn of(parts: &Parts) -> Surface {
        match parts.extensions.get::<Surface>() {
            Some(surface) => *surface,
            None if parts.uri.path().starts_with("/embed/") => Surface::Embedded,
            None => Surface::Hosted,
        }
    }

    pub fn prefix(self) -> &'static str {
        match self {
            Surface::Hosted => "",
            Surface::Embedded => "/embed",
        }
    }

    /// A path on this surface, e.g. `/embed/pay/cs_…/return`.
    pub fn path(self, path: &str) -> String {
        format!("{}{path}", self.prefix())
    }

    /// The frame a page of `site_id` renders in: framed only by the site's
    /// listed origins, and by nobody when the site is unknown.
    pub async fn frame(self, state: &AppState, site_id: Option<&str>) -> Frame {
        match self {
            Surface::Hosted => Frame::Hosted,
            Surface::Embedded => {
                let site = match site_id {
                    Some(id) => state.store.site_by_id(id).await.ok().flatten(),
                    None => None,
                };
                Frame::Embedded { origins: site.map(|s| s.origins()).unwrap_or_default() }
            }
        }
    }
}
