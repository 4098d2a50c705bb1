//! First start on an empty database: a demo merchant, site, test and live
//! API keys and one session ready to pay, so the service can be tried at once.

use crate::{
    new_session,
    store::{Scope, Store},
};
use serde_json::json;

pub struct Demo {
    pub api_key: String,
    /// Takes real money once the site has a provider route (README, "Going live").
    pub live_api_key: String,
    pub dashboard_email: String,
    pub dashboard_password: String,
    pub site_id: String,
    pub session_id: String,
}

pub async fn seed_if_empty(store: &Store) -> anyhow::Result<Option<Demo>> {
    if store.merchant_count().await? > 0 {
        return Ok(None);
    }
    let merchant = store.create_merchant("Demo Merchant").await?;
    let site = store.create_site(&merchant.id, "Demo Shop").await?;
    let (_, api_key) = store.create_api_key(&merchant.id, &Scope::ALL, false).await?;
    let (_, live_api_key) = store.create_api_key(&merchant.id, &Scope::ALL, true).await?;
    let dashboard_email = "demo@kassa.test".to_string();
    let dashboard_password = crate::ids::random_base62()[..16].to_string();
    let hash = crate::dashboard::auth::hash_password(&dashboard_password)?;
    store.insert_dashboard_user(&merchant.id, &dashboard_email, &hash).await?;
    let request = serde_json::from_value(json!({
        "currency": "EUR",
        "line_items": [
            {"name": "Organic cotton T-shirt", "quantity": 2, "unit_amount": 1900},
            {"name": "Canvas tote bag", "quantity": 1, "unit_amount": 1250}
        ],
        "customer_email": "ada@example.com",
        "order_id": "demo-1001",
        "metadata": {"demo": "true"}
    }))?;
    let new = new_session::validate(request, &merchant.id, new_session::Route::sandbox(site.id.clone()))
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let session = store.create_session(new).await?;
    Ok(Some(Demo {
        api_key,
        live_api_key,
        dashboard_email,
        dashboard_password,
        site_id: site.id,
        session_id: session.id,
    }))
}
