//! The customer's language. Fluent (Mozilla's localisation system, through
//! `fluent-templates`) rather than `leptos_i18n`: the messages stay on the
//! server, where the pages are rendered, so the WebAssembly carries no
//! translations; translators get plain `.ftl` files with plural rules; and
//! the one island reads the handful of strings it shows from the page.

use app::i18n::{Arg, Words};
use fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader};
use std::{borrow::Cow, collections::HashMap};

fluent_templates::static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "en",
        // No Unicode isolation marks around placeables: amounts and names
        // are shown in plain HTML, and the marks would end up in titles.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

/// The languages the customer's pages speak; the first is the fallback.
pub const LANGUAGES: [&str; 5] = ["en", "de", "fr", "es", "nl"];

/// The session's `locale` when Kassa speaks it, else the browser's first
/// preference it speaks (from `Accept-Language`), else English.
pub fn negotiate(session_locale: Option<&str>, accept_language: Option<&str>) -> &'static str {
    let available: Vec<LanguageIdentifier> = LANGUAGES.iter().filter_map(|tag| tag.parse().ok()).collect();
    let pick = |requested: Vec<LanguageIdentifier>| {
        fluent_langneg::negotiate_languages(&requested, &available, None, fluent_langneg::NegotiationStrategy::Lookup)
            .first()
            .map(|found| found.language.as_str().to_string())
    };
    let from_session = session_locale.filter(|tag| *tag != "auto").and_then(|tag| tag.parse().ok());
    let chosen = from_session
        .and_then(|tag| pick(vec![tag]))
        .or_else(|| accept_language.and_then(|header| pick(fluent_langneg::accepted_languages::parse(header))));
    chosen.and_then(|lang| LANGUAGES.iter().find(|l| **l == lang).copied()).unwrap_or(LANGUAGES[0])
}

/// The messages of `lang`, for the pages to render with.
pub fn words(lang: &'static str) -> Words {
    let id: LanguageIdentifier = lang.parse().unwrap_or_default();
    Words::new(lang, move |message, args| {
        let args: HashMap<Cow<'static, str>, FluentValue<'static>> = args
            .iter()
            .map(|(name, arg)| {
                let value = match arg {
                    Arg::Text(text) => FluentValue::from(text.clone()),
                    Arg::Count(n) => FluentValue::from(*n),
                };
                (Cow::Owned(name.to_string()), value)
            })
            .collect();
        LOCALES.try_lookup_complete(&id, message, Some(&args))
    })
}

/// The words for a customer's page: the session's language if it has one,
/// else the browser's.
pub fn words_for(session_locale: Option<&str>, headers: &axum::http::HeaderMap) -> Words {
    let accept = headers.get(axum::http::header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok());
    words(negotiate(session_locale, accept))
}

/// `Visa •••• 4242`; a brand Kassa has no name for is a "card" in the
/// customer's words.
pub fn card(words: &Words, brand: &str, last4: &str) -> String {
    let name = match app::checks::Brand::parse(brand) {
        app::checks::Brand::Unknown => words.t("card-brand-unknown"),
        known => known.label().to_string(),
    };
    format!("{name} •••• {last4}")
}

/// `25 November 2026`, `25. November 2026`, `25 de noviembre de 2026`.
pub fn date(words: &Words, ms: i64) -> String {
    let when = time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    let month = words.t(&format!("month-{}", u8::from(when.month())));
    words.t_with(
        "date",
        &[
            ("day", Arg::Count(i64::from(when.day()))),
            ("month", month.into()),
            ("year", Arg::Count(i64::from(when.year()))),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn ids(lang: &str) -> BTreeSet<String> {
        let path = format!("{}/locales/{lang}/checkout.ftl", env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let resource = fluent_syntax::parser::parse(text.as_str())
            .unwrap_or_else(|(_, errors)| panic!("{path} does not parse: {errors:?}"));
        resource
            .body
            .iter()
            .filter_map(|entry| match entry {
                fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_string()),
                _ => None,
            })
            .collect()
    }

    /// Every message the code asks for, read from the sources: the id of each
    /// call of `t` or `t_with` with a literal id, on its line or the next.
    fn used_ids() -> BTreeSet<String> {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
        let mut used = BTreeSet::new();
        for dir in ["app/src", "app/src/pages", "server/src/pages", "server/src"] {
            for entry in std::fs::read_dir(format!("{root}/{dir}")).unwrap() {
                let path = entry.unwrap().path();
                if path.extension().is_some_and(|e| e == "rs") {
                    let text = std::fs::read_to_string(&path).unwrap();
                    for call in [".t(", ".t_with("] {
                        for part in text.split(call).skip(1) {
                            let id = part.trim_start().strip_prefix('"').and_then(|rest| rest.split('"').next());
                            // Message ids only (this very scan names the calls in strings).
                            if let Some(id) = id.filter(|id| id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
                            {
                                used.insert(id.to_string());
                            }
                        }
                    }
                }
            }
        }
        used
    }

    #[test]
    fn every_language_has_every_message() {
        let english = ids("en");
        assert!(english.len() > 80, "{}", english.len());
        for lang in LANGUAGES {
            let theirs = ids(lang);
            let missing: Vec<_> = english.difference(&theirs).collect();
            let extra: Vec<_> = theirs.difference(&english).collect();
            assert!(missing.is_empty(), "{lang} lacks {missing:?}");
            assert!(extra.is_empty(), "{lang} has messages English lacks: {extra:?}");
        }
    }

    #[test]
    fn every_message_the_code_asks_for_exists() {
        let english = ids("en");
        let used = used_ids();
        assert!(used.len() > 40, "{used:?}");
        let missing: Vec<_> = used.difference(&english).collect();
        assert!(missing.is_empty(), "no message for {missing:?}");
        assert!(used.contains("date"), "calls spread over lines are read too");
        // Ids the code builds: one per problem code, decline code, state and month.
        for problem in app::checks::Problem::ALL {
            assert!(english.contains(&format!("problem-{}", problem.code())), "{}", problem.code());
        }
        for code in [crate::store::TOO_MANY_ATTEMPTS, crate::payments::TOO_MANY_FAILURES] {
            assert!(english.contains(&format!("decline-{code}")), "{code}");
        }
        for (_, code, _) in crate::provider::sandbox::DECLINES {
            assert!(english.contains(&format!("decline-{code}")), "{code}");
        }
        for state in app::views::DashboardState::ALL {
            assert!(english.contains(&format!("state-{state:?}")), "{state:?}");
        }
        for month in 1..=12 {
            assert!(english.contains(&format!("month-{month}")));
        }
    }

    #[test]
    fn each_language_renders_with_its_own_words_and_plurals() {
        assert_eq!(words("de").t("pay-heading"), "Mit Karte zahlen");
        assert_eq!(
            words("fr").t_with("fields-need-attention", &[("count", Arg::Count(1))]),
            "1 champ doit être corrigé."
        );
        assert_eq!(
            words("nl").t_with("fields-need-attention", &[("count", Arg::Count(3))]),
            "3 velden vragen je aandacht."
        );
        assert_eq!(words("es").t_with("pay-button", &[("total", "25,00 €".into())]), "Pagar 25,00 €");
        assert_eq!(date(&words("de"), 1_795_564_800_000), "25. November 2026");
        assert_eq!(date(&words("es"), 1_795_564_800_000), "25 de noviembre de 2026");
        assert_eq!(card(&words("de"), "visa", "4242"), "Visa •••• 4242");
        assert_eq!(card(&words("de"), "unknown", "0004"), "Karte •••• 0004");
    }

    #[test]
    fn the_language_follows_the_session_then_the_browser_then_english() {
        assert_eq!(negotiate(Some("de-DE"), Some("fr-FR,fr;q=0.9")), "de");
        assert_eq!(negotiate(Some("auto"), Some("fr-CH, en;q=0.8")), "fr");
        assert_eq!(negotiate(None, Some("nl-BE,nl;q=0.9,en;q=0.5")), "nl");
        assert_eq!(negotiate(Some("it"), Some("it-IT, es;q=0.7")), "es");
        assert_eq!(negotiate(None, Some("ja, zh;q=0.5")), "en");
        assert_eq!(negotiate(None, None), "en");
        assert_eq!(negotiate(None, Some("garbage;;;")), "en");
    }
}
