use leptos::prelude::*;

/// Copies `text` to the clipboard. Without JavaScript the text stays in a
/// read-only field beside it, to copy by hand. Plain HTML: the browser
/// build copies whatever a `data-copy` button carries (`browser::enhance`),
/// so the button needs no island and no props of its own.
#[component]
pub fn CopyButton(text: String, label: String) -> impl IntoView {
    view! {
        <span class="copy">
            <input type="text" readonly value=text.clone() aria-label=label.clone()/>
            <button type="button" class="secondary" data-copy=text>{label}</button>
        </span>
    }
}
