//! The OpenAPI document says what the code checks: the error answers every
//! operation can give, and each field's bounds, so that a client generated
//! from it (or schemathesis, which fuzzes Kassa from it in `make test`)
//! sends what Kassa takes. utoipa writes the shapes; the bounds are laid on
//! here, in one table, next to the limits they copy.

use crate::new_session::MAX_AMOUNT;
use serde_json::{json, Value};

/// A host as Kassa takes it in a URL: labels of letters, digits and dashes,
/// the last one starting with a letter (so never an IP address).
const HOST: &str = r"([A-Za-z0-9-]+\.)*[A-Za-z][A-Za-z0-9-]*";
/// A path without spaces, queries or fragments.
const PATH: &str = r"(/[A-Za-z0-9._~!$&'()*+,;=:@%/-]*)?";

fn url_pattern() -> String {
    format!(r"^https?://{HOST}(:[1-9][0-9]{{0,3}})?{PATH}$")
}

/// Text of 1 to `max` characters that is not blank (`text::is_blank`).
fn text(max: usize) -> Value {
    json!({"minLength": 1, "maxLength": max, "pattern": r"\S"})
}

fn metadata() -> Value {
    json!({
        "maxProperties": 50,
        "propertyNames": {"minLength": 1, "maxLength": 40},
        "additionalProperties": {"type": "string", "maxLength": 500},
    })
}

/// Every ISO 4217 currency with a minor unit: what `currency_exponent` takes.
fn currencies() -> Vec<String> {
    use iso_currency::{Currency, IntoEnumIterator};
    let mut codes: Vec<String> =
        Currency::iter().filter(|c| c.exponent().is_some()).map(|c| c.code().to_string()).collect();
    codes.sort();
    codes
}

/// (schema, property, bounds) for every request field with bounds.
fn field_bounds() -> Vec<(&'static str, &'static str, Value)> {
    let amount = |min: i64| json!({"minimum": min, "maximum": MAX_AMOUNT});
    let url = json!({"maxLength": 2048, "pattern": url_pattern()});
    let email = json!({"maxLength": 254, "pattern": r"^[!-?A-~]+@[!-\-/-?A-~][!-?A-~]*\.[!-?A-~]*[!-\-/-?A-~]$"});
    let currency = json!({"enum": currencies()});
    let mut events: Vec<&str> = crate::webhooks::EVENT_TYPES.to_vec();
    events.push("*");
    let origin = format!(r"^\s*(https?://{HOST}(:[1-9][0-9]{{0,3}})?/?)?\s*$");
    vec![
        ("CreateSessionRequest", "amount", amount(0)),
        ("CreateSessionRequest", "currency", currency.clone()),
        ("CreateSessionRequest", "customer_email", email),
        ("CreateSessionRequest", "order_id", text(200)),
        ("CreateSessionRequest", "customer_id", text(200)),
        ("CreateSessionRequest", "success_url", url.clone()),
        ("CreateSessionRequest", "cancel_url", url.clone()),
        ("CreateSessionRequest", "metadata", metadata()),
        ("CreateSessionRequest", "expires_in", json!({"minimum": 1800, "maximum": 86400})),
        ("CreateSessionRequest", "expires_at", json!({"format": "date-time"})),
        ("CreateSessionRequest", "capture", json!({"enum": ["automatic", "manual", null]})),
        ("CreateSessionRequest", "sequence", json!({"enum": ["one_time", "first_in_series", "next_in_series", null]})),
        (
            "CreateSessionRequest",
            "locale",
            json!({"maxLength": 35, "pattern": r"^(auto|[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*)$"}),
        ),
        ("LineItemInput", "name", text(200)),
        ("LineItemInput", "quantity", json!({"minimum": 1, "maximum": 10000})),
        ("LineItemInput", "unit_amount", amount(0)),
        ("WooOrder", "store_url", url.clone()),
        ("WooOrder", "order_id", text(64)),
        ("WooOrder", "order_key", text(64)),
        ("CreateLinkRequest", "title", text(200)),
        ("CreateLinkRequest", "currency", currency),
        ("CreateLinkRequest", "amount", amount(1)),
        ("CreateLinkRequest", "min_amount", amount(1)),
        ("CreateLinkRequest", "max_amount", amount(1)),
        ("CreateLinkRequest", "max_quantity", json!({"minimum": 1, "maximum": 1000})),
        ("CreateLinkRequest", "metadata", metadata()),
        ("CreateLinkRequest", "success_url", url.clone()),
        ("UpdateLinkRequest", "title", text(200)),
        ("CreateRefundRequest", "amount", amount(1)),
        ("CreateRefundRequest", "reason", json!({"maxLength": 500})),
        ("UpdateSiteRequest", "name", text(100)),
        (
            "UpdateSiteRequest",
            "allowed_origins",
            json!({"maxItems": crate::origins::MAX_ORIGINS, "items": {"type": "string", "pattern": origin}}),
        ),
        ("BrandingRequest", "display_name", json!({"maxLength": 100})),
        (
            "BrandingRequest",
            "logo_url",
            json!({"maxLength": 2000, "pattern": format!(r"^\s*(https://{HOST}(:[1-9][0-9]{{0,3}})?{PATH})?\s*$")}),
        ),
        ("BrandingRequest", "accent_color", json!({"pattern": r"^\s*(#([0-9A-Fa-f]{3}|[0-9A-Fa-f]{6}))?\s*$"})),
        ("EndpointRequest", "url", url),
        ("EndpointRequest", "description", json!({"maxLength": 500})),
        ("EndpointRequest", "enabled_events", json!({"minItems": 1, "items": {"type": "string", "enum": events}})),
        ("RollRequest", "expires_in", json!({"minimum": 0, "maximum": 604800})),
        ("RouteRequest", "provider", json!({"enum": crate::provider_route::PROVIDERS})),
        ("RouteRequest", "secret_key", json!({"pattern": r"^\s*[sr]k_(live|test)_[A-Za-z0-9]{8,247}\s*$"})),
        ("RouteRequest", "publishable_key", json!({"pattern": r"^\s*pk_(live|test)_[A-Za-z0-9]{8,247}\s*$"})),
        ("RouteRequest", "webhook_secret", json!({"pattern": r"^\s*whsec_[A-Za-z0-9+/=]{8,200}\s*$"})),
    ]
}

/// (operation's path, parameter, bounds) for query parameters.
fn parameter_bounds() -> Vec<(&'static str, &'static str, Value)> {
    let limit = json!({"minimum": 1, "maximum": 100});
    let mut kinds: Vec<Value> = crate::webhooks::EVENT_TYPES.iter().map(|k| json!(k)).collect();
    kinds.push(Value::Null);
    vec![
        ("/v1/checkout/sessions", "limit", limit.clone()),
        ("/v1/checkout/sessions", "status", json!({"enum": ["open", "complete", "expired", "cancelled", null]})),
        ("/v1/events", "limit", limit),
        ("/v1/events", "type", json!({"enum": kinds})),
    ]
}

/// What an `Idempotency-Key` may be (`idempotency::key`).
fn idempotency_key() -> Value {
    // 1 to 255 visible characters; HTTP drops spaces around a header's value.
    json!({"type": "string", "pattern": "^[ \t]*[!-~]([ -~]{0,253}[!-~])?[ \t]*$"})
}

fn error_body() -> Value {
    json!({
        "type": "object",
        "required": ["error", "traceId"],
        "properties": {
            "error": {
                "type": "object",
                "required": ["type", "code", "message"],
                "properties": {
                    "type": {"type": "string", "description": "invalid_request_error, authentication_error, permission_error, idempotency_error, rate_limit_error or api_error"},
                    "code": {"type": "string", "description": "What went wrong, for programs, e.g. `parameter_invalid`"},
                    "message": {"type": "string", "description": "What to fix, for people"},
                    "param": {"type": ["string", "null"], "description": "The field at fault"},
                },
            },
            "traceId": {"type": "string"},
        },
    })
}

/// The error answers an operation can give, beside its own.
fn error_answers(method: &str, has_body: bool) -> Vec<(&'static str, &'static str)> {
    let mut answers = vec![
        ("400", "The request is malformed or a field is invalid; `error.param` names it."),
        ("401", "No API key, or one that is not valid."),
        ("403", "The API key lacks the scope this needs."),
        ("404", "No such object for this merchant."),
        ("429", "Too many requests with this key; wait the seconds `Retry-After` says."),
    ];
    if method != "get" {
        answers.push(("409", "The object's state does not allow this, or the Idempotency-Key is in use."));
    }
    if has_body {
        answers.push(("415", "The body must be JSON, sent as `Content-Type: application/json`."));
    }
    answers
}

/// The document utoipa built, with the bounds and error answers laid on.
pub fn bounded(doc: &utoipa::openapi::OpenApi) -> Value {
    let mut doc = serde_json::to_value(doc).unwrap_or_default();
    let schemas = &mut doc["components"]["schemas"];
    schemas["ApiError"] = error_body();
    for (schema, property, bounds) in field_bounds() {
        merge(&mut schemas[schema]["properties"][property], bounds);
    }
    // Creating an endpoint needs a `url`, which an update may leave out.
    let mut create = schemas["EndpointRequest"].clone();
    create["required"] = json!(["url"]);
    create["properties"]["url"]["type"] = json!("string");
    schemas["CreateEndpointRequest"] = create;
    let create_body = &mut doc["paths"]["/v1/webhook_endpoints"]["post"]["requestBody"]["content"]["application/json"];
    create_body["schema"] = json!({"$ref": "#/components/schemas/CreateEndpointRequest"});

    for (path, name, bounds) in parameter_bounds() {
        let parameters = doc["paths"][path]["get"].get_mut("parameters").and_then(Value::as_array_mut);
        for parameter in parameters.into_iter().flatten() {
            if parameter["name"] == name {
                merge(&mut parameter["schema"], bounds.clone());
            }
        }
    }
    let Some(paths) = doc["paths"].as_object_mut() else { return doc };
    for operations in paths.values_mut() {
        let Some(operations) = operations.as_object_mut() else { continue };
        for (method, operation) in operations.iter_mut() {
            for parameter in operation.get_mut("parameters").and_then(Value::as_array_mut).into_iter().flatten() {
                if parameter["name"] == "Idempotency-Key" {
                    parameter["schema"] = idempotency_key();
                }
            }
            let has_body = operation.get("requestBody").is_some();
            for (status, description) in error_answers(method, has_body) {
                let answer = &mut operation["responses"][status];
                answer["description"] = json!(description);
                answer["content"] = json!({"application/json": {"schema": {"$ref": "#/components/schemas/ApiError"}}});
            }
        }
    }
    doc
}

/// Lays `bounds`' keys onto `target`.
fn merge(target: &mut Value, bounds: Value) {
    if let (Some(target), Value::Object(bounds)) = (target.as_object_mut(), bounds) {
        target.extend(bounds);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_bound_lands_on_a_field_the_document_has() {
        let (_, doc) = crate::api::router();
        for (schema, property, bounds) in field_bounds() {
            let field = &doc["components"]["schemas"][schema]["properties"][property];
            for key in bounds.as_object().unwrap().keys() {
                assert!(field.get(key).is_some(), "{schema}.{property} has no {key}: {field}");
            }
        }
        for (path, name, _) in parameter_bounds() {
            let parameters = doc["paths"][path]["get"]["parameters"].as_array().unwrap();
            let parameter = parameters.iter().find(|p| p["name"] == name).expect(name);
            assert_eq!(parameter["in"], "query", "{path} {name}");
            assert!(parameter["schema"].get("enum").or(parameter["schema"].get("minimum")).is_some());
        }
        let currencies = &doc["components"]["schemas"]["CreateSessionRequest"]["properties"]["currency"]["enum"];
        assert!(currencies.as_array().unwrap().contains(&json!("EUR")));
        assert!(!currencies.as_array().unwrap().contains(&json!("XAU")), "no minor unit, not taken");
        let refund = &doc["paths"]["/v1/refunds"]["post"]["responses"];
        for status in ["201", "400", "401", "403", "404", "409", "415", "429"] {
            assert!(refund.get(status).is_some(), "POST /v1/refunds documents {status}");
        }
    }
}
