use leptos::prelude::*;

/// Copies `text` to the clipboard. Without JavaScript the text stays in a
/// read-only field beside it, to copy by hand.
#[island]
pub fn CopyButton(text: String, label: String) -> impl IntoView {
    let copied = RwSignal::new(false);
    let value = text.clone();
    view! {
        <span class="copy">
            <input type="text" readonly value=text aria-label=label.clone()/>
            <button type="button" class="secondary" on:click=move |_| {
                crate::browser::copy_text(&value);
                copied.set(true);
            }>{move || if copied.get() { "Copied".to_string() } else { label.clone() }}</button>
        </span>
    }
}
