use crate::checks::{check_form, Field, FormInput, Problem};
use leptos::{ev::SubmitEvent, prelude::*};

/// The card form: the one island of the hosted page. Rendered on the server
/// as a plain form that posts without JavaScript; once hydrated it checks
/// the card before sending, shows a busy button, counts down to expiry and
/// reloads when the session changes elsewhere.
#[island]
pub fn CheckoutForm(
    session_id: String,
    /// Where the form posts: the hosted page's or the embedded one's.
    action: String,
    email: String,
    problems: Vec<String>,
    pay_label: String,
    expires_at_ms: i64,
    now_ms: i64,
    version: i64,
) -> impl IntoView {
    let initial: Vec<Problem> = problems.iter().filter_map(|code| Problem::from_code(code)).collect();
    let problems = RwSignal::new(initial);
    let busy = RwSignal::new(false);
    let now = RwSignal::new(now_ms);
    let email = RwSignal::new(email);
    let number = RwSignal::new(String::new());
    let expiry = RwSignal::new(String::new());
    let cvc = RwSignal::new(String::new());

    let watched = session_id.clone();
    Effect::new(move |_| crate::browser::watch_session(&watched, version, expires_at_ms, now, busy));

    let on_submit = move |ev: SubmitEvent| {
        let (email, number, expiry, cvc) = (email.get(), number.get(), expiry.get(), cvc.get());
        let input = FormInput { email: &email, number: &number, expiry: &expiry, cvc: &cvc };
        match check_form(&input, crate::browser::today()) {
            Ok(_) => {
                problems.set(Vec::new());
                busy.set(true);
            }
            Err(found) => {
                ev.prevent_default();
                if let Some(first) = found.first() {
                    crate::browser::focus(first.field().id());
                }
                problems.set(found);
            }
        }
    };

    let count = move || problems.with(Vec::len);
    view! {
        <form method="post" action=action novalidate on:submit=on_submit class="pay-form">
            <p class="sr-only" aria-live="assertive">
                {move || match count() {
                    0 => String::new(),
                    1 => "1 field needs your attention.".to_string(),
                    n => format!("{n} fields need your attention."),
                }}
            </p>
            {input_field(Field::Email, "Email", "email", "email", "email", email, problems)}
            {input_field(Field::Number, "Card number", "card_number", "text", "cc-number", number, problems)}
            <div class="row">
                {input_field(Field::Expiry, "Expiry (MM / YY)", "card_expiry", "text", "cc-exp", expiry, problems)}
                {input_field(Field::Cvc, "Security code (CVC)", "card_cvc", "text", "cc-csc", cvc, problems)}
            </div>
            <button type="submit" class="pay" disabled=move || busy.get() aria-busy=move || busy.get().to_string()>
                {move || if busy.get() { "Processing…".to_string() } else { pay_label.clone() }}
            </button>
            <p class="expires" data-testid="expires">{move || expires_in(expires_at_ms - now.get())}</p>
        </form>
    }
}

fn input_field(
    field: Field,
    label: &'static str,
    name: &'static str,
    kind: &'static str,
    autocomplete: &'static str,
    value: RwSignal<String>,
    problems: RwSignal<Vec<Problem>>,
) -> impl IntoView {
    let id = field.id();
    let error_id = format!("{id}-error");
    let error = move || problems.with(|all| all.iter().find(|p| p.field() == field).map(|p| p.message()));
    let numeric = matches!(field, Field::Number | Field::Expiry | Field::Cvc);
    // The attribute is what a browser without JavaScript shows; the property keeps it live after.
    let initial = value.get_untracked();
    view! {
        <div class="field" class:invalid=move || error().is_some()>
            <label for=id>{label}</label>
            <input
                id=id
                name=name
                type=kind
                autocomplete=autocomplete
                inputmode=numeric.then_some("numeric")
                required
                value=initial
                aria-invalid=move || error().is_some().to_string()
                aria-describedby=error_id.clone()
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
            />
            <p class="field-error" id=error_id>{error}</p>
        </div>
    }
}

/// "Expires in 29:41": the time left to pay.
pub fn expires_in(left_ms: i64) -> String {
    if left_ms <= 0 {
        return "This checkout has expired.".to_string();
    }
    let seconds = left_ms / 1000;
    let (h, m, s) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
    if h > 0 {
        format!("Expires in {h}:{m:02}:{s:02}")
    } else {
        format!("Expires in {m}:{s:02}")
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn countdown_text() {
        assert_eq!(super::expires_in(29 * 60_000 + 41_000), "Expires in 29:41");
        assert_eq!(super::expires_in(3_600_000 + 5_000), "Expires in 1:00:05");
        assert_eq!(super::expires_in(0), "This checkout has expired.");
    }
}
