//! A site's look on the checkout: the name customers see, a logo and an
//! accent colour for the pay button. The button's text colour is chosen
//! here, white or black, whichever reads better on the accent, so no
//! accent can make the pay button unreadable.

/// The text colours a pay button can have.
const LIGHT_TEXT: &str = "#ffffff";
const DARK_TEXT: &str = "#000000";
/// WCAG AA for normal-size text.
pub const MIN_CONTRAST: f64 = 4.5;

/// `#2f4fd8` from `#2F4FD8` or `#24d`, or what to fix.
pub fn parse_accent(input: &str) -> Result<String, String> {
    let hex = input.trim().strip_prefix('#').unwrap_or("");
    let full = match hex.len() {
        3 => hex.chars().flat_map(|c| [c, c]).collect(),
        6 => hex.to_string(),
        _ => String::new(),
    };
    if full.is_empty() || !full.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(format!("`{input}` is not a colour like #2f4fd8"));
    }
    Ok(format!("#{}", full.to_ascii_lowercase()))
}

fn channels(colour: &str) -> [f64; 3] {
    let byte = |i: usize| u8::from_str_radix(colour.get(1 + 2 * i..3 + 2 * i).unwrap_or("00"), 16).unwrap_or(0);
    [byte(0), byte(1), byte(2)].map(|c| f64::from(c) / 255.0)
}

/// WCAG relative luminance of `#rrggbb`.
fn luminance(colour: &str) -> f64 {
    let [r, g, b] = channels(colour).map(|c| if c <= 0.039_28 { c / 12.92 } else { ((c + 0.055) / 1.055).powf(2.4) });
    0.2126 * r + 0.7152 * g + 0.0722 * b
}

/// WCAG contrast ratio of two `#rrggbb` colours, 1 to 21.
pub fn contrast(a: &str, b: &str) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// The text colour for a button filled with `accent`.
pub fn text_on(accent: &str) -> &'static str {
    if contrast(accent, LIGHT_TEXT) >= contrast(accent, DARK_TEXT) {
        LIGHT_TEXT
    } else {
        DARK_TEXT
    }
}

/// A logo's address: https (or http on this machine, for trying Kassa out),
/// an image the customer's browser fetches, so its origin joins the page's
/// `img-src`. Returns the URL and that origin.
pub fn parse_logo_url(input: &str) -> Result<(String, String), String> {
    let input = input.trim();
    let url =
        url::Url::parse(input).map_err(|_| format!("`{input}` is not a URL like https://shop.example/logo.png"))?;
    let local = matches!(url.host_str(), Some("localhost" | "127.0.0.1" | "[::1]"));
    if url.scheme() != "https" && !(url.scheme() == "http" && local) {
        return Err(format!("`{input}` must be an https:// address"));
    }
    if input.len() > 2000 || url.fragment().is_some() {
        return Err("logo_url must be at most 2,000 characters, without a #fragment".to_string());
    }
    // The same check the embedding origins get: one plain host, nothing a
    // policy could read as a wildcard or another directive.
    let origin = crate::origins::parse(&url.origin().ascii_serialization())?;
    Ok((url.to_string(), origin))
}

/// Which field was refused, and what to fix.
#[derive(Debug)]
pub struct Refused {
    pub field: &'static str,
    pub code: &'static str,
    pub message: String,
}

type Checked = (Option<String>, Option<String>, Option<String>);

/// A branding change as typed (None: leave as is; empty: clear), checked
/// and normalised into (display name, logo URL, accent colour).
pub fn check(display_name: Option<&str>, logo_url: Option<&str>, accent: Option<&str>) -> Result<Checked, Refused> {
    let refuse = |field, code, message| Refused { field, code, message };
    if display_name.is_some_and(|name| name.chars().count() > 100) {
        let message = "display_name must be at most 100 characters".to_string();
        return Err(refuse("display_name", "parameter_invalid", message));
    }
    let display_name = display_name.map(str::trim);
    let logo_url = match logo_url.map(str::trim) {
        Some("") => Some(String::new()),
        Some(url) => Some(parse_logo_url(url).map_err(|e| refuse("logo_url", "url_invalid", e))?.0),
        None => None,
    };
    let accent = match accent.map(str::trim) {
        Some("") => Some(String::new()),
        Some(colour) => Some(parse_accent(colour).map_err(|e| refuse("accent_color", "color_invalid", e))?),
        None => None,
    };
    Ok((display_name.map(str::to_string), logo_url, accent))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accents_are_normalised_or_refused() {
        assert_eq!(parse_accent("#2F4FD8").unwrap(), "#2f4fd8");
        assert_eq!(parse_accent(" #24d ").unwrap(), "#2244dd");
        for bad in ["2f4fd8", "#2f4fd", "#gggggg", "red", "", "#2f4fd8;}body{", "url(x)"] {
            assert!(parse_accent(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_pay_button_text_always_reads_on_its_accent() {
        assert_eq!(text_on("#2f4fd8"), LIGHT_TEXT);
        assert_eq!(text_on("#ffd400"), DARK_TEXT);
        assert_eq!(text_on("#ffffff"), DARK_TEXT);
        assert_eq!(text_on("#000000"), LIGHT_TEXT);
        assert!((contrast("#000000", "#ffffff") - 21.0).abs() < 1e-9);
        // Every grey, and a spread of colours: the better text colour always
        // reaches AA (the worst case, a mid grey, is about 4.58:1).
        for r in (0..=255).step_by(17) {
            for g in (0..=255).step_by(17) {
                for b in (0..=255).step_by(17) {
                    let accent = format!("#{r:02x}{g:02x}{b:02x}");
                    let ratio = contrast(&accent, text_on(&accent));
                    assert!(ratio >= MIN_CONTRAST, "{accent}: {ratio:.2}");
                }
            }
        }
    }

    #[test]
    fn logos_are_https_images_on_one_plain_host() {
        let (url, origin) = parse_logo_url("https://cdn.shop.example/brand/logo.png?v=2").unwrap();
        assert_eq!(
            (url.as_str(), origin.as_str()),
            ("https://cdn.shop.example/brand/logo.png?v=2", "https://cdn.shop.example")
        );
        assert!(parse_logo_url("http://127.0.0.1:4000/logo.svg").is_ok());
        for bad in [
            "http://shop.example/logo.png",
            "javascript:alert(1)",
            "data:image/png;base64,AAAA",
            "logo.png",
            "https://*.example/l.png",
        ] {
            assert!(parse_logo_url(bad).is_err(), "{bad}");
        }
    }
}
