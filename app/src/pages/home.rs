use leptos::prelude::*;

/// `/` of a running Kassa: what it is, and the three ways in. Read by the
/// person who just started it, so it speaks as the README does (English).
#[component]
pub fn HomePage(public_url: String) -> impl IntoView {
    let create = format!(
        "curl -s {public_url}/v1/checkout/sessions \\\n  -H \"Authorization: Bearer $KEY\" \
         -H 'Content-Type: application/json' \\\n  -d '{{\"amount\": 2500, \"currency\": \"EUR\"}}'"
    );
    view! {
        <section class="card home">
            <h1>"Kassa"</h1>
            <p>
                "A self-hosted checkout-session service: your backend creates a checkout session, your customer "
                "pays on its hosted page, and the status API says what happened."
            </p>
            <ul class="home-links">
                <li><a href="/dashboard">"Dashboard"</a>" — every session, its attempts and its timeline."</li>
                <li><a href="/openapi.json">"API document"</a>" — the merchant API and the status API (OpenAPI 3.1)."</li>
            </ul>
            <h2>"Try it"</h2>
            <p>
                "With the test key Kassa printed on its first start (" <code>"KEY=sk_test_…"</code>
                "), create a session, open the " <code>"url"</code> " it returns and pay with "
                <code>"4242 4242 4242 4242"</code> ", any future expiry and any CVC:"
            </p>
            <pre><code>{create}</code></pre>
        </section>
    }
}
