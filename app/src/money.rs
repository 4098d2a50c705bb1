//! Amounts in a currency's minor unit, shown to people. No floating point.

/// `2500, "EUR", 2` → `€25.00`; `2500, "JPY", 0` → `¥2,500`; `1500, "KWD", 3` → `KWD 1.500`.
pub fn format_amount(minor: i64, currency: &str, exponent: u8) -> String {
    let negative = minor < 0;
    let minor = minor.unsigned_abs();
    let scale = 10u64.pow(u32::from(exponent));
    let (major, fraction) = (minor / scale, minor % scale);
    let mut text = group_thousands(major);
    if exponent > 0 {
        text = format!("{text}.{fraction:0width$}", width = usize::from(exponent));
    }
    let sign = if negative { "-" } else { "" };
    match symbol(currency) {
        Some(symbol) => format!("{sign}{symbol}{text}"),
        None => format!("{sign}{currency} {text}"),
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
    let scale = 10i64.pow(u32::from(exponent));
    match exponent {
        0 => minor.to_string(),
        _ => format!("{}.{:0width$}", minor / scale, minor % scale, width = usize::from(exponent)),
    }
}

fn symbol(currency: &str) -> Option<&'static str> {
    Some(match currency {
        "EUR" => "€",
        "USD" => "$",
        "GBP" => "£",
        "JPY" => "¥",
        "INR" => "₹",
        "CHF" => "CHF ",
        _ => return None,
    })
}

fn group_thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::format_amount;

    #[test]
    fn formats_by_exponent() {
        assert_eq!(format_amount(2500, "EUR", 2), "€25.00");
        assert_eq!(format_amount(5, "EUR", 2), "€0.05");
        assert_eq!(format_amount(2500, "JPY", 0), "¥2,500");
        assert_eq!(format_amount(1500, "KWD", 3), "KWD 1.500");
        assert_eq!(format_amount(123456789, "USD", 2), "$1,234,567.89");
        assert_eq!(format_amount(0, "GBP", 2), "£0.00");
        assert_eq!(format_amount(-250, "EUR", 2), "-€2.50");
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
    }
}
