"""What the OpenAPI document cannot say, for schemathesis's valid cases.

JSON Schema bounds one field at a time; a few of Kassa's rules tie fields
together or to the clock. Cases generated as valid are brought within them
here, so that "valid by the document" means "valid": a refusal of one of
these is still a failure. Cases generated as invalid are left as they are.
"""

from datetime import datetime, timedelta, timezone

import schemathesis
from schemathesis import GenerationMode

MAX_AMOUNT = 99_999_999_999


def _positive(case):
    # The stateful phase sends valid requests only, and says nothing of a mode.
    return case.meta is None or case.meta.generation.mode == GenerationMode.POSITIVE


@schemathesis.hook
def map_case(ctx, case):
    if not _positive(case) or not isinstance(case.body, dict):
        return case
    route = (case.operation.method.upper(), case.operation.path)
    if route == ("POST", "/v1/checkout/sessions"):
        _session(case.body)
    elif route == ("POST", "/v1/payment_links"):
        _link(case.body)
    elif route == ("PUT", "/v1/sites/{id}/provider_route"):
        _route(case.body)
    return case


def _session(body):
    # `amount` is the line items' sum when both are given, and one of the two is needed.
    items = body.get("line_items") or []
    total = 0
    for item in items:
        item["unit_amount"] = min(item["unit_amount"], MAX_AMOUNT // (item["quantity"] * max(len(items), 1)))
        total += item["unit_amount"] * item["quantity"]
    if items and body.get("amount") is not None:
        body["amount"] = total
    if not items and body.get("amount") is None:
        body["amount"] = 1000
    # A saved method is charged only by `next_in_series`, and the fuzzer has
    # none of its own to name; saving one needs the customer's id.
    if body.get("sequence") == "next_in_series":
        body["sequence"] = "one_time"
    body.pop("payment_method", None)
    if body.get("sequence") == "first_in_series" or body.get("save_payment_method"):
        body.setdefault("customer_id", "cus-fuzz")
        if body["customer_id"] is None:
            body["customer_id"] = "cus-fuzz"
    # `expires_in` or `expires_at`, the latter 30 minutes to 24 hours from now.
    if body.get("expires_at") is not None:
        body.pop("expires_in", None)
        at = datetime.now(timezone.utc) + timedelta(hours=1)
        body["expires_at"] = at.strftime("%Y-%m-%dT%H:%M:%SZ")


def _link(body):
    # A fixed `amount`, or `min_amount` up to `max_amount`.
    if body.get("amount") is not None:
        body.pop("min_amount", None)
        body.pop("max_amount", None)
    else:
        low, high = body.get("min_amount") or 100, body.get("max_amount") or 10_000
        body["min_amount"], body["max_amount"] = min(low, high), max(low, high)
    # The largest order (top amount times quantity) must fit the largest amount.
    top = body.get("amount") or body["max_amount"]
    if body.get("adjustable_quantity"):
        body["max_quantity"] = max(1, min(body.get("max_quantity") or 10, MAX_AMOUNT // top))


def _route(body):
    # The publishable key is of the secret key's mode (live or test).
    secret, publishable = body.get("secret_key"), body.get("publishable_key")
    if isinstance(secret, str) and isinstance(publishable, str):
        mode = "live" if "_live_" in secret else "test"
        other = "test" if mode == "live" else "live"
        body["publishable_key"] = publishable.replace(f"pk_{other}_", f"pk_{mode}_", 1)
