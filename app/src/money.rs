//! Amounts in a currency's minor unit, shown to people. No floating point.

/// `2500, "EUR", 2` → `€25.00`; `2500, "JPY", 0` → `¥2,500`; `1500, "KWD", 3` → `KWD 1.500`.
/// English, as the dashboard and the API's texts show amounts.
pub fn format_amount(minor: i64, currency: &str, exponent: u8) -> String {
    format_amount_in("en", minor, currency, exponent)
}

/// How a language writes an amount (CLDR's currency pattern for it).
struct Convention {
    decimal: char,
    group: char,
    /// Fewest digits before the first group separator: Spanish writes `2500`
    /// but `25.000`.
    min_grouping: usize,
    symbol_first: bool,
    /// Between a sign like `€` and the number; a no-break space, so they
    /// never wrap apart.
    space: &'static str,
}

fn convention(lang: &str) -> Convention {
    const NBSP: &str = "\u{a0}";
    let base = lang.split(['-', '_']).next().unwrap_or(lang);
    match base {
        "de" => Convention { decimal: ',', group: '.', min_grouping: 1, symbol_first: false, space: NBSP },
        "es" => Convention { decimal: ',', group: '.', min_grouping: 2, symbol_first: false, space: NBSP },
        "fr" => Convention { decimal: ',', group: '\u{202f}', min_grouping: 1, symbol_first: false, space: NBSP },
        "nl" => Convention { decimal: ',', group: '.', min_grouping: 1, symbol_first: true, space: NBSP },
        _ => Convention { decimal: '.', group: ',', min_grouping: 1, symbol_first: true, space: "" },
    }
}

/// An amount as a customer reading `lang` expects it: `2500, "EUR", 2` is
/// `€25.00` in English, `25,00 €` in German and `€ 25,00` in Dutch.
pub fn format_amount_in(lang: &str, minor: i64, currency: &str, exponent: u8) -> String {
    let c = convention(lang);
    let negative = minor < 0;
    let minor = minor.unsigned_abs();
    let scale = 10u64.pow(u32::from(exponent));
    let (major, fraction) = (minor / scale, minor % scale);
    let mut number = group_thousands(major, c.group, c.min_grouping);
    if exponent > 0 {
        number = format!("{number}{}{fraction:0width$}", c.decimal, width = usize::from(exponent));
    }
    let sign = if negative { "-" } else { "" };
    let symbol = symbol(currency).unwrap_or(currency);
    // Letters (`KWD`, `CHF`) always stand apart from the number.
    let space = if symbol.ends_with(|ch: char| ch.is_alphabetic()) { "\u{a0}" } else { c.space };
    if c.symbol_first {
        format!("{sign}{symbol}{space}{number}")
    } else {
        let space = if space.is_empty() { "\u{a0}" } else { space };
        format!("{sign}{number}{space}{symbol}")
    }
}

/// What a person typed, e.g. `12.50` or `12,5`, in minor units; None if it
/// is not a plain amount with at most `exponent` decimals.
pub fn parse_amount(text: &str, exponent: u8) -> Option<i64> {
    let text = text.trim();
    let (whole, fraction) = match text.find(['.', ',']) {
        Some(i) => (&text[..i], &text[i + 1..]),
        None => (text, ""),
    };
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() || !digits(whole) || !digits(fraction) || fraction.len() > usize::from(exponent) {
        return None;
    }
    let scale = 10i64.checked_pow(u32::from(exponent))?;
    let fraction = format!("{fraction:0<width$}", width = usize::from(exponent));
    let fraction: i64 = if fraction.is_empty() { 0 } else { fraction.parse().ok()? };
    whole.parse::<i64>().ok()?.checked_mul(scale)?.checked_add(fraction)
}

/// Minor units as a person types them: `1250, 2` → `12.50`.
pub fn major_units(minor: i64, exponent: u8) -> String {
    major_units_in("en", minor, exponent)
}

/// Minor units as a person reading `lang` types them: `12,50` in German.
/// [`parse_amount`] reads either.
pub fn major_units_in(lang: &str, minor: i64, exponent: u8) -> String {
    let scale = 10i64.pow(u32::from(exponent));
    match exponent {
        0 => minor.to_string(),
        _ => format!(
            "{}{}{:0width$}",
            minor / scale,
            convention(lang).decimal,
            minor % scale,
            width = usize::from(exponent)
        ),
    }
}

fn symbol(currency: &str) -> Option<&'static str> {
    Some(match currency {
        "EUR" => "€",
        "USD" => "$",
        "GBP" => "£",
        "JPY" => "¥",
        "INR" => "₹",
        "CHF" => "CHF",
        _ => return None,
    })
}

fn group_thousands(n: u64, separator: char, min_grouping: usize) -> String {
    let digits = n.to_string();
    if digits.len() < 4 + (min_grouping - 1) {
        return digits;
    }
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 * 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(separator);
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{format_amount, format_amount_in};

    #[test]
    fn formats_by_exponent() {
        assert_eq!(format_amount(2500, "EUR", 2), "€25.00");
        assert_eq!(format_amount(5, "EUR", 2), "€0.05");
        assert_eq!(format_amount(2500, "JPY", 0), "¥2,500");
        assert_eq!(format_amount(1500, "KWD", 3), "KWD\u{a0}1.500");
        assert_eq!(format_amount(123456789, "USD", 2), "$1,234,567.89");
        assert_eq!(format_amount(0, "GBP", 2), "£0.00");
        assert_eq!(format_amount(-250, "EUR", 2), "-€2.50");
        assert_eq!(format_amount(1000, "CHF", 2), "CHF\u{a0}10.00");
    }

    #[test]
    fn formats_for_each_language() {
        let nb = '\u{a0}';
        let cases = [
            ("de", 2500, "EUR", 2, format!("25,00{nb}€")),
            ("de-AT", 123456789, "EUR", 2, format!("1.234.567,89{nb}€")),
            ("fr", 123456789, "EUR", 2, format!("1\u{202f}234\u{202f}567,89{nb}€")),
            ("es", 250000, "EUR", 2, format!("2500,00{nb}€")),
            ("es", 2500000, "EUR", 2, format!("25.000,00{nb}€")),
            ("nl", 2500, "EUR", 2, format!("€{nb}25,00")),
            ("en", 2500, "JPY", 0, "¥2,500".to_string()),
            ("de", 2500, "JPY", 0, format!("2.500{nb}¥")),
            ("en", 1500, "KWD", 3, format!("KWD{nb}1.500")),
            ("de", 1500, "KWD", 3, format!("1,500{nb}KWD")),
            ("nl", -250, "USD", 2, format!("-${nb}2,50")),
            ("xx", 2500, "GBP", 2, "£25.00".to_string()),
        ];
        for (lang, minor, currency, exponent, expected) in cases {
            assert_eq!(format_amount_in(lang, minor, currency, exponent), expected, "{lang} {currency}");
        }
    }

    #[test]
    fn parses_typed_amounts_exactly() {
        use super::{major_units, parse_amount};
        assert_eq!(parse_amount("12.50", 2), Some(1250));
        assert_eq!(parse_amount("12,5", 2), Some(1250));
        assert_eq!(parse_amount("12", 2), Some(1200));
        assert_eq!(parse_amount("2500", 0), Some(2500));
        assert_eq!(parse_amount("1.500", 3), Some(1500));
        for bad in ["12.505", "", ".5", "-1", "1e3", "12.5.0", "abc", "99999999999999999999"] {
            assert_eq!(parse_amount(bad, 2), None, "{bad}");
        }
        assert_eq!(major_units(1250, 2), "12.50");
        assert_eq!(major_units(2500, 0), "2500");
        assert_eq!(parse_amount(&major_units(1500, 3), 3), Some(1500));
        assert_eq!(super::major_units_in("de", 500, 2), "5,00");
        assert_eq!(parse_amount(&super::major_units_in("fr", 1250, 2), 2), Some(1250));
    }
}
