//! The web origins a merchant lets frame their checkout (the widget). They
//! become the embed page's `frame-ancestors` and the only targets its
//! `postMessage` calls name, so they must be exact origins: no paths, no
//! wildcards (postMessage cannot target a wildcard).

pub const MAX_ORIGINS: usize = 20;

/// `https://shop.example` from what a merchant typed, or why not.
pub fn parse(input: &str) -> Result<String, String> {
    let input = input.trim();
    let url = url::Url::parse(input).map_err(|_| format!("`{input}` is not a web origin like https://shop.example"))?;
    if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
        return Err(format!("`{input}` must start with https:// or http:// and name a host"));
    }
    // The URL parser lets `*`, `;` or `'` through in a host; in a CSP they
    // would mean "any site" or start another directive.
    if let Some(url::Host::Domain(domain)) = url.host() {
        if !domain.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-') {
            return Err(format!("`{input}` must name one host: letters, digits, dots and dashes, no wildcards"));
        }
    }
    if url.path() != "/" || url.query().is_some() || url.fragment().is_some() || !url.username().is_empty() {
        return Err(format!("`{input}` must be an origin only (scheme, host and port), without a path"));
    }
    Ok(url.origin().ascii_serialization())
}

/// Every origin checked, duplicates dropped, order kept.
pub fn parse_all<'a>(inputs: impl IntoIterator<Item = &'a str>) -> Result<Vec<String>, String> {
    let mut origins: Vec<String> = Vec::new();
    for input in inputs.into_iter().filter(|i| !i.trim().is_empty()) {
        let origin = parse(input)?;
        if !origins.contains(&origin) {
            origins.push(origin);
        }
    }
    if origins.len() > MAX_ORIGINS {
        return Err(format!("at most {MAX_ORIGINS} origins"));
    }
    Ok(origins)
}

/// The CSP `frame-ancestors` source list: `'none'` when nobody may frame.
pub fn frame_ancestors(origins: &[String]) -> String {
    if origins.is_empty() {
        "'none'".to_string()
    } else {
        origins.join(" ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_are_normalised_or_refused() {
        assert_eq!(parse(" https://Shop.Example/ ").unwrap(), "https://shop.example");
        assert_eq!(parse("http://127.0.0.1:4000").unwrap(), "http://127.0.0.1:4000");
        assert_eq!(parse("https://shop.example:443").unwrap(), "https://shop.example");
        for bad in [
            "shop.example",
            "ftp://shop.example",
            "https://shop.example/cart",
            "https://a.example?x=1",
            "*",
            "https://*",
            "https://*.shop.example",
            "https://a.example;script-src",
            "https://a'b.example",
        ] {
            assert!(parse(bad).is_err(), "{bad} accepted");
        }
        assert_eq!(parse_all(["https://a.example", "", "https://a.example/"]).unwrap(), ["https://a.example"]);
        assert!(parse_all(
            (0..21).map(|i| format!("https://s{i}.example")).collect::<Vec<_>>().iter().map(|s| s.as_str())
        )
        .is_err());
        assert_eq!(frame_ancestors(&[]), "'none'");
        assert_eq!(frame_ancestors(&["https://a.example".into(), "http://b:1".into()]), "https://a.example http://b:1");
    }
}
