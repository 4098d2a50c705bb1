//! `/v1/sites`: a merchant's shops, and which web origins may embed their
//! checkout with the widget.

use super::{
    extract::{ApiJson, ApiKey},
    idempotency,
};
use crate::{
    branding,
    error::ApiError,
    origins,
    store::{Scope, SiteChange, SiteRecord},
    time::rfc3339,
    AppState,
};
use axum::{
    extract::{Path, State},
    http::{HeaderMap, StatusCode},
    response::Response,
    Json,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Serialize, ToSchema)]
pub struct SiteObject {
    pub id: String,
    /// Always `site`.
    pub object: &'static str,
    pub name: String,
    /// Origins (`https://shop.example`) whose pages may embed the checkout.
    pub allowed_origins: Vec<String>,
    pub branding: BrandingObject,
    pub created_at: String,
}

/// How the site's checkout looks to customers.
#[derive(Debug, Serialize, ToSchema)]
pub struct BrandingObject {
    /// Shown instead of `name` when set.
    pub display_name: Option<String>,
    pub logo_url: Option<String>,
    /// The pay button's colour, `#rrggbb`.
    pub accent_color: Option<String>,
    /// The pay button's text colour Kassa chose for the accent (white or
    /// black, whichever reads better); null without an accent.
    pub button_text_color: Option<&'static str>,
}

impl From<SiteRecord> for SiteObject {
    fn from(site: SiteRecord) -> Self {
        SiteObject {
            allowed_origins: site.origins(),
            branding: BrandingObject {
                button_text_color: site.accent_color.as_deref().map(branding::text_on),
                display_name: site.display_name.clone(),
                logo_url: site.logo_url.clone(),
                accent_color: site.accent_color.clone(),
            },
            id: site.id,
            object: "site",
            name: site.name,
            created_at: rfc3339(site.created_at),
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateSiteRequest {
    /// Shown to customers on the checkout (1 to 100 characters).
    pub name: Option<String>,
    /// Replaces the list; an empty list stops all embedding. At most 20.
    pub allowed_origins: Option<Vec<String>>,
    /// Fields left out stay as they are; an empty string clears one.
    pub branding: Option<BrandingRequest>,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BrandingRequest {
    /// The name customers see, 1 to 100 characters.
    pub display_name: Option<String>,
    /// An https address of the logo image.
    pub logo_url: Option<String>,
    /// `#rrggbb` (or `#rgb`) for the pay button; its text colour is chosen
    /// to stay readable on it.
    pub accent_color: Option<String>,
}

/// List the merchant's sites.
#[utoipa::path(get, path = "/v1/sites", tag = "sites",
    responses((status = 200, body = Vec<SiteObject>)), security(("bearer" = [])))]
pub async fn list_sites(State(state): State<AppState>, key: ApiKey) -> Result<Json<Vec<SiteObject>>, ApiError> {
    let merchant_id = key.require(Scope::SessionsRead)?;
    Ok(Json(state.store.sites_of(merchant_id).await?.into_iter().map(SiteObject::from).collect()))
}

/// Retrieve a site.
#[utoipa::path(get, path = "/v1/sites/{id}", tag = "sites", params(("id" = String, Path)),
    responses((status = 200, body = SiteObject), (status = 404)), security(("bearer" = [])))]
pub async fn retrieve_site(
    State(state): State<AppState>,
    key: ApiKey,
    Path(id): Path<String>,
) -> Result<Json<SiteObject>, ApiError> {
    let merchant_id = key.require(Scope::SessionsRead)?;
    let site = state.store.site(merchant_id, &id).await?.ok_or_else(|| ApiError::not_found("site", &id))?;
    Ok(Json(site.into()))
}

/// Rename a site, set the origins allowed to embed its checkout, or change
/// how its checkout looks.
#[utoipa::path(post, path = "/v1/sites/{id}", tag = "sites", request_body = UpdateSiteRequest,
    params(("id" = String, Path), ("Idempotency-Key" = Option<String>, Header)),
    responses((status = 200, body = SiteObject), (status = 400), (status = 404)), security(("bearer" = [])))]
pub async fn update_site(
    State(state): State<AppState>,
    key: ApiKey,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: ApiJson<UpdateSiteRequest>,
) -> Result<Response, ApiError> {
    let merchant_id = key.require(Scope::SitesWrite)?.to_string();
    let request = body.value;
    crate::new_session::check_text("name", &request.name, 100)?;
    let name = request.name.as_deref().map(str::trim);
    let origins = match &request.allowed_origins {
        Some(list) => Some(
            origins::parse_all(list.iter().map(String::as_str))
                .map_err(|e| ApiError::invalid("allowed_origins", "origin_invalid", e))?,
        ),
        None => None,
    };
    let brand = request.branding.unwrap_or_default();
    let (display_name, logo_url, accent_color) =
        branding::check(brand.display_name.as_deref(), brand.logo_url.as_deref(), brand.accent_color.as_deref())
            .map_err(|refused| {
                ApiError::invalid(format!("branding.{}", refused.field), refused.code, refused.message)
            })?;
    let route = format!("POST /v1/sites/{id}");
    let change = SiteChange {
        name,
        origins: origins.as_deref(),
        display_name: display_name.as_deref(),
        logo_url: logo_url.as_deref(),
        accent_color: accent_color.as_deref(),
    };
    let change = async {
        let site = state.store.update_site(&merchant_id, &id, &change).await?;
        let body = serde_json::to_string(&SiteObject::from(site)).map_err(|e| ApiError::Internal(e.into()))?;
        Ok((StatusCode::OK, body))
    };
    idempotency::run(&state, &merchant_id, &headers, &route, &body.raw, change).await
}
