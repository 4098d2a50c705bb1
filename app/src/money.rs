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
        if i > 0 && (digits.len() - i) % 3 == 0 {
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
}
