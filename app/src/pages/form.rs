use super::form_data::{FormData, FormText};
use crate::checks::{check_form, Concealed, Field, FormInput, Problem};
use crate::failure::Failure;
use leptos::{ev::SubmitEvent, prelude::*};

/// The card form's post: pays the session (a retry after a decline as much
/// as the first try) or, for a fixed-price payment link, makes its session
/// and pays that. The browser's own submit sends it, JavaScript or not.
#[server(prefix = "/fn", endpoint = "pay")]
pub async fn pay(
    #[server(default)] session: String,
    #[server(default)] link: String,
    #[server(default)] email: String,
    #[server(default)] card_number: Concealed,
    #[server(default)] card_expiry: String,
    #[server(default)] card_cvc: Concealed,
) -> Result<(), Failure> {
    use crate::desk::{self, PayTarget};
    let to = if link.is_empty() { PayTarget::Session(session) } else { PayTarget::Link(link) };
    let form = crate::checks::PayForm { email, card_number: card_number.0, card_expiry, card_cvc: card_cvc.0 };
    desk::answer(desk::checkout()?.pay(&desk::request()?, to, form).await)
}

/// The card form: the one island of the hosted page. Rendered on the server
/// as a plain form that posts without JavaScript; once hydrated it checks
/// the card before sending, shows a busy button, counts down to expiry and
/// reloads when the session changes elsewhere.
///
/// Its inputs come from [`FormData`], not props (see `form_data.rs`).
#[island]
pub fn CheckoutForm() -> impl IntoView {
    // Both sides read the same data; without it (a page not written by
    // `FormDataScript`) the server renders no form.
    FormData::current().map(checkout_form)
}

fn checkout_form(data: FormData) -> impl IntoView {
    let FormData { session_id, link, action, email, problems, text, expires_at_ms, now_ms, version } = data;
    let initial: Vec<Problem> = problems.iter().filter_map(|code| Problem::from_code(code)).collect();
    // A form the server sent back (no JavaScript) opens on its first error;
    // not in the widget's frame, where browsers refuse autofocus.
    let framed = action.starts_with("/embed/");
    let first_invalid = initial.first().map(|p| p.field()).filter(|_| !framed);
    let problems = RwSignal::new(initial);
    let busy = RwSignal::new(false);
    let now = RwSignal::new(now_ms);
    let email = RwSignal::new(email);
    let number = RwSignal::new(String::new());
    let expiry = RwSignal::new(String::new());
    let cvc = RwSignal::new(String::new());

    // A payment link's form has no session to watch until it is paid.
    let watched = session_id.clone();
    if !watched.is_empty() {
        Effect::new(move |_| crate::browser::watch_session(&watched, version, expires_at_ms, now, busy));
    }
    // What the post pays: the session, or the link that makes one.
    let (target, value) = if link.is_empty() { ("session", session_id) } else { ("link", link) };

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
                let first = found.first().map(|p| p.field().id());
                problems.set(found);
                if let Some(id) = first {
                    crate::browser::focus(id);
                }
            }
        }
    };

    let count = move || problems.with(Vec::len);
    let text = StoredValue::new(text);
    let field = move |f: Field, label: fn(&FormText) -> String, name, kind, autocomplete, value| {
        let input = Input { field: f, name, kind, autocomplete, autofocus: first_invalid == Some(f) };
        input_field(input, text.with_value(label), value, problems, text)
    };
    view! {
        <form method="post" action=action novalidate on:submit=on_submit class="pay-form">
            <input type="hidden" name=target value=value/>
            <p class="sr-only" aria-live="assertive">
                {move || text.read_value().attention(count())}
            </p>
            {field(Field::Email, |t| t.email.clone(), "email", "email", "email", email)}
            {field(Field::Number, |t| t.card_number.clone(), "card_number", "text", "cc-number", number)}
            <div class="row">
                {field(Field::Expiry, |t| t.expiry.clone(), "card_expiry", "text", "cc-exp", expiry)}
                {field(Field::Cvc, |t| t.cvc.clone(), "card_cvc", "text", "cc-csc", cvc)}
            </div>
            <button type="submit" class="pay" disabled=move || busy.get() aria-busy=move || busy.get().to_string()>
                {move || text.with_value(|t| if busy.get() { t.processing.clone() } else { t.pay.clone() })}
            </button>
            <p class="expires" data-testid="expires">
                {move || text.with_value(|t| expires_in(expires_at_ms - now.get(), &t.expires_in, &t.expired))}
            </p>
        </form>
    }
}

/// What one input of the form is.
struct Input {
    field: Field,
    name: &'static str,
    kind: &'static str,
    autocomplete: &'static str,
    autofocus: bool,
}

fn input_field(
    input: Input,
    label: String,
    value: RwSignal<String>,
    problems: RwSignal<Vec<Problem>>,
    text: StoredValue<FormText>,
) -> impl IntoView {
    let Input { field, name, kind, autocomplete, autofocus } = input;
    let id = field.id();
    let error_id = format!("{id}-error");
    let error = move || {
        problems.with(|all| all.iter().find(|p| p.field() == field).map(|p| text.with_value(|t| t.problem(*p))))
    };
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
                autofocus=autofocus
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

/// "Expires in 29:41": the time left to pay, put into the customer's
/// sentence for it, or what to say once it has run out.
pub fn expires_in(left_ms: i64, sentence: &str, expired: &str) -> String {
    if left_ms <= 0 {
        return expired.to_string();
    }
    let seconds = left_ms / 1000;
    let (h, m, s) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
    let time = if h > 0 { format!("{h}:{m:02}:{s:02}") } else { format!("{m}:{s:02}") };
    sentence.replace("{time}", &time)
}

#[cfg(test)]
mod tests {
    #[test]
    fn countdown_text() {
        let at = |ms| super::expires_in(ms, "Läuft ab in {time}", "Abgelaufen.");
        assert_eq!(at(29 * 60_000 + 41_000), "Läuft ab in 29:41");
        assert_eq!(at(3_600_000 + 5_000), "Läuft ab in 1:00:05");
        assert_eq!(at(0), "Abgelaufen.");
    }
}
