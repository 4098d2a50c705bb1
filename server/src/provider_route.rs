//! Setting a site's provider route: which processor takes its live
//! payments, with its credentials checked for shape and sealed before they
//! are stored. Taken by the API and the dashboard alike.

use crate::{
    domain_error::DomainError,
    store::{ProviderRoute, Scope},
    Services,
};

/// A route as the merchant sends it.
#[derive(Debug, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RouteRequest {
    /// The processor: `stripe`.
    pub provider: String,
    /// Stripe's secret key (`sk_live_…`; a restricted `rk_live_…` works too,
    /// and `sk_test_…` tries the route on Stripe's test data). Sealed; never shown again.
    pub secret_key: String,
    /// Stripe's publishable key (`pk_live_…`), of the same mode: Stripe.js needs it on the checkout page.
    pub publishable_key: String,
    /// The signing secret (`whsec_…`) of the Stripe webhook endpoint that
    /// points at this site's `webhook_url`. Sealed; never shown again.
    pub webhook_secret: String,
}

/// The providers a site may route live payments to.
pub const PROVIDERS: &[&str] = &["stripe"];

/// A Stripe key's mode, or None when `key` is not one of `prefixes`' shape.
fn key_mode(key: &str, prefixes: &[&str]) -> Option<&'static str> {
    let rest = prefixes.iter().find_map(|p| key.strip_prefix(p))?;
    let (mode, secret) = rest.split_once('_')?;
    let shaped = (8..=247).contains(&secret.len()) && secret.bytes().all(|b| b.is_ascii_alphanumeric());
    match mode {
        "live" if shaped => Some("live"),
        "test" if shaped => Some("test"),
        _ => None,
    }
}

/// Checks and seals `request` as site `site_id`'s route.
pub async fn set_route(
    services: &Services,
    merchant_id: &str,
    site_id: &str,
    request: RouteRequest,
) -> Result<ProviderRoute, DomainError> {
    services.store.site(merchant_id, site_id).await?.ok_or_else(|| DomainError::no_such("id", "site", site_id))?;
    let provider = request.provider.trim();
    if !PROVIDERS.contains(&provider) {
        return Err(DomainError::invalid("provider", "provider_unknown", "the provider must be `stripe`"));
    }
    let secret_key = request.secret_key.trim();
    let publishable_key = request.publishable_key.trim();
    let webhook_secret = request.webhook_secret.trim();
    let secret_mode = key_mode(secret_key, &["sk_", "rk_"]).ok_or_else(|| {
        DomainError::invalid(
            "secret_key",
            "secret_key_invalid",
            "the secret key must look like sk_live_… (or rk_live_…)",
        )
    })?;
    let publishable_mode = key_mode(publishable_key, &["pk_"]).ok_or_else(|| {
        DomainError::invalid(
            "publishable_key",
            "publishable_key_invalid",
            "the publishable key must look like pk_live_…",
        )
    })?;
    if secret_mode != publishable_mode {
        return Err(DomainError::invalid(
            "publishable_key",
            "keys_mismatched",
            format!("the secret key is a {secret_mode} key but the publishable key a {publishable_mode} one"),
        ));
    }
    let secret_shaped = webhook_secret.strip_prefix("whsec_").is_some_and(|s| {
        (8..=200).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphanumeric() || b"+/=".contains(&b))
    });
    if !secret_shaped {
        return Err(DomainError::invalid(
            "webhook_secret",
            "webhook_secret_invalid",
            "the webhook signing secret must look like whsec_… (Stripe shows it on the webhook endpoint)",
        ));
    }
    let route = ProviderRoute {
        site_id: site_id.to_string(),
        provider: provider.to_string(),
        secret_key: services.sealer.seal(secret_key),
        secret_key_last4: secret_key[secret_key.len() - 4..].to_string(),
        publishable_key: publishable_key.to_string(),
        webhook_secret: services.sealer.seal(webhook_secret),
        created_at: 0,
        updated_at: 0,
    };
    Ok(services.store.save_provider_route(&route).await?)
}

/// Where the provider sends its callbacks for site `site_id`.
pub fn webhook_url(public_url: &str, provider: &str, site_id: &str) -> String {
    format!("{public_url}/providers/{provider}/webhook/{site_id}")
}

/// The scope that sets a route.
pub const SCOPE: Scope = Scope::SitesWrite;

#[cfg(test)]
mod tests {
    #[test]
    fn stripe_keys_are_told_by_their_shape_and_mode() {
        let mode = |k| super::key_mode(k, &["sk_", "rk_"]);
        assert_eq!(mode("sk_live_51Habcdefgh"), Some("live"));
        assert_eq!(mode("rk_test_51Habcdefgh"), Some("test"));
        assert_eq!(mode("sk_live_short"), None);
        assert_eq!(mode("sk_prod_51Habcdefgh"), None);
        assert_eq!(mode("pk_live_51Habcdefgh"), None);
        assert_eq!(mode("sk_live_51Habc defgh"), None);
        assert_eq!(mode(""), None);
    }
}
