//! Which provider takes a session's payments: the sandbox in test mode, the
//! site's provider route in live mode, built from its sealed credentials
//! each time it is needed (so a key saved a moment ago is the one used).

use super::stripe::{Stripe, StripeKeys, StripeUrls};
use super::{PaymentProvider, ProviderError, Sandbox};
use crate::{secrets::Sealer, store::Store};
use std::sync::Arc;
use std::time::Duration;

pub struct Providers {
    pub sandbox: Arc<Sandbox>,
    pub stripe: StripeUrls,
    /// For the processors' APIs: unlike webhooks' client it may reach the
    /// address configured for them (a stand-in on loopback in the tests).
    http: reqwest::Client,
}

/// How long a call to a processor may take: Stripe's own libraries wait 80 s;
/// a customer waiting on the pay button should not.
const CALL_TIMEOUT: Duration = Duration::from_secs(30);

impl Providers {
    pub fn new(sandbox: Sandbox, stripe: StripeUrls) -> anyhow::Result<Providers> {
        let http =
            reqwest::Client::builder().timeout(CALL_TIMEOUT).redirect(reqwest::redirect::Policy::none()).build()?;
        Ok(Providers { sandbox: Arc::new(sandbox), stripe, http })
    }

    /// The provider named `name` for site `site_id`: the sandbox, or the
    /// site's route when it is the one named.
    pub async fn get(
        &self,
        store: &Store,
        sealer: &Sealer,
        name: &str,
        site_id: &str,
    ) -> Result<Arc<dyn PaymentProvider>, ProviderError> {
        if name == "sandbox" {
            return Ok(self.sandbox.clone());
        }
        match self.stripe_of(store, sealer, site_id).await? {
            Some(stripe) if name == "stripe" => Ok(Arc::new(stripe)),
            _ => Err(ProviderError::Unreachable(format!("site {site_id} has no `{name}` route"))),
        }
    }

    /// The site's Stripe account, when its route is Stripe.
    pub async fn stripe_of(
        &self,
        store: &Store,
        sealer: &Sealer,
        site_id: &str,
    ) -> Result<Option<Stripe>, ProviderError> {
        let route = store.provider_route(site_id).await.map_err(|e| ProviderError::Unreachable(e.to_string()))?;
        let Some(route) = route.filter(|r| r.provider == "stripe") else {
            return Ok(None);
        };
        let unsealed = |sealed: &str| {
            sealer
                .open(sealed)
                .ok_or_else(|| ProviderError::Unreachable("the route's credentials do not unseal".into()))
        };
        let keys = StripeKeys {
            secret_key: unsealed(&route.secret_key)?,
            publishable_key: route.publishable_key.clone(),
            webhook_secret: unsealed(&route.webhook_secret)?,
        };
        Ok(Some(Stripe::new(self.http.clone(), &self.stripe.api_base, keys)))
    }
}
