//! The customer's words. Translations live with the server (Fluent files in
//! `server/locales/`); a page asks the [`Words`] in its context for a
//! message by id, so no translation data or code reaches the WebAssembly.
//! The one island reads its few strings from the page (`pages/form_data.rs`).

use std::sync::Arc;

/// A value put into a message: text as it is, or a count that picks a
/// plural form.
#[derive(Clone, Debug, PartialEq)]
pub enum Arg {
    Text(String),
    Count(i64),
}

impl From<String> for Arg {
    fn from(text: String) -> Self {
        Arg::Text(text)
    }
}

impl From<&str> for Arg {
    fn from(text: &str) -> Self {
        Arg::Text(text.to_string())
    }
}

impl From<i64> for Arg {
    fn from(count: i64) -> Self {
        Arg::Count(count)
    }
}

type Lookup = dyn Fn(&str, &[(&str, Arg)]) -> Option<String> + Send + Sync;

/// The messages of one language, as the server resolved it for this customer.
#[derive(Clone)]
pub struct Words {
    /// A BCP 47 tag, e.g. `de`: the page's `lang` and the money format's.
    pub lang: &'static str,
    lookup: Arc<Lookup>,
}

impl Words {
    /// `lookup` answers None for an id the language lacks.
    pub fn new(
        lang: &'static str,
        lookup: impl Fn(&str, &[(&str, Arg)]) -> Option<String> + Send + Sync + 'static,
    ) -> Self {
        Words { lang, lookup: Arc::new(lookup) }
    }

    /// The message `id`. A test keeps every id the code uses in every
    /// language; the id itself stands in should one slip through.
    pub fn t(&self, id: &str) -> String {
        self.t_with(id, &[])
    }

    /// The message `id` with its placeholders filled in.
    pub fn t_with(&self, id: &str, args: &[(&str, Arg)]) -> String {
        (self.lookup)(id, args).unwrap_or_else(|| id.to_string())
    }

    /// The message `id`, if the language has one: for ids made from codes
    /// a provider sends, which may be new.
    pub fn try_t(&self, id: &str) -> Option<String> {
        (self.lookup)(id, &[])
    }

    /// The words of the page being rendered; the server provides them with
    /// every customer page.
    pub fn current() -> Words {
        leptos::prelude::use_context::<Words>().expect("customer pages are rendered with the customer's words")
    }
}

impl std::fmt::Debug for Words {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Words").field("lang", &self.lang).finish()
    }
}
