//! The checks the card form runs in the browser and the server runs again:
//! one piece of code, so the two never disagree.

use serde::{Deserialize, Serialize};

/// A card the customer typed, once it passed every check. Lives only for the
/// length of one request: it is never stored, logged or serialised.
pub struct CardDetails {
    pub number: String,
    pub brand: Brand,
    pub exp_month: u8,
    pub exp_year: u16,
    pub cvc: String,
}

impl std::fmt::Debug for CardDetails {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "CardDetails({} •••• {})", self.brand.label(), self.last4())
    }
}

impl CardDetails {
    pub fn last4(&self) -> &str {
        &self.number[self.number.len() - 4..]
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Brand {
    Visa,
    Mastercard,
    Amex,
    Discover,
    Unknown,
}

impl Brand {
    pub fn from_number(digits: &str) -> Brand {
        let prefix = |n: usize| digits.get(..n).and_then(|p| p.parse::<u32>().ok()).unwrap_or(0);
        match () {
            _ if digits.starts_with('4') => Brand::Visa,
            _ if (51..=55).contains(&prefix(2)) || (2221..=2720).contains(&prefix(4)) => Brand::Mastercard,
            _ if matches!(prefix(2), 34 | 37) => Brand::Amex,
            _ if prefix(4) == 6011 || prefix(2) == 65 => Brand::Discover,
            _ => Brand::Unknown,
        }
    }

    pub fn parse(text: &str) -> Brand {
        [Brand::Visa, Brand::Mastercard, Brand::Amex, Brand::Discover]
            .into_iter()
            .find(|b| b.as_str() == text)
            .unwrap_or(Brand::Unknown)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Brand::Visa => "visa",
            Brand::Mastercard => "mastercard",
            Brand::Amex => "amex",
            Brand::Discover => "discover",
            Brand::Unknown => "unknown",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Brand::Visa => "Visa",
            Brand::Mastercard => "Mastercard",
            Brand::Amex => "American Express",
            Brand::Discover => "Discover",
            Brand::Unknown => "Card",
        }
    }

    fn cvc_len(self) -> usize {
        if self == Brand::Amex {
            4
        } else {
            3
        }
    }
}

/// Which field of the payment form a problem belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Field {
    Email,
    Number,
    Expiry,
    Cvc,
}

impl Field {
    pub fn id(self) -> &'static str {
        match self {
            Field::Email => "email",
            Field::Number => "card-number",
            Field::Expiry => "card-expiry",
            Field::Cvc => "card-cvc",
        }
    }
}

macro_rules! problems {
    ($($variant:ident = $code:literal, $field:ident, $message:literal;)+) => {
        /// Something the customer must fix before paying.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Problem { $($variant),+ }

        impl Problem {
            pub const ALL: &'static [Problem] = &[$(Problem::$variant),+];
            /// A stable code, safe to put in a URL for the no-JavaScript flow.
            pub fn code(self) -> &'static str { match self { $(Problem::$variant => $code),+ } }
            pub fn field(self) -> Field { match self { $(Problem::$variant => Field::$field),+ } }
            pub fn message(self) -> &'static str { match self { $(Problem::$variant => $message),+ } }
            pub fn from_code(code: &str) -> Option<Problem> {
                match code { $($code => Some(Problem::$variant),)+ _ => None }
            }
        }
    };
}

problems! {
    EmailMissing = "email_missing", Email, "Enter your email address.";
    EmailInvalid = "email_invalid", Email, "Enter a valid email address, like name@example.com.";
    NumberIncomplete = "number_incomplete", Number, "Your card number is incomplete.";
    NumberInvalid = "number_invalid", Number, "Your card number is invalid. Check it and try again.";
    ExpiryIncomplete = "expiry_incomplete", Expiry, "Enter the expiry date as MM / YY.";
    ExpiryMonthInvalid = "expiry_month_invalid", Expiry, "The expiry month must be between 01 and 12.";
    ExpiryPast = "expiry_past", Expiry, "Your card's expiry date is in the past.";
    CvcIncomplete = "cvc_incomplete", Cvc, "Your card's security code is incomplete.";
}

/// The payment form as typed.
#[derive(Clone, Debug, Default)]
pub struct FormInput<'a> {
    pub email: &'a str,
    pub number: &'a str,
    pub expiry: &'a str,
    pub cvc: &'a str,
}

/// The card form as posted. Not `Debug`: it holds the card number.
#[derive(Default)]
pub struct PayForm {
    pub email: String,
    pub card_number: String,
    pub card_expiry: String,
    pub card_cvc: String,
}

impl PayForm {
    pub fn input(&self) -> FormInput<'_> {
        FormInput { email: &self.email, number: &self.card_number, expiry: &self.card_expiry, cvc: &self.card_cvc }
    }
}

/// A card number or CVC on its way in: what prints it (a server function's
/// arguments are `Debug`) prints nothing of it.
#[derive(Clone, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Concealed(pub String);

impl std::fmt::Debug for Concealed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Concealed")
    }
}

/// Today's year and month, for the expiry check.
#[derive(Clone, Copy, Debug)]
pub struct YearMonth {
    pub year: u16,
    pub month: u8,
}

pub fn digits(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace() && *c != '-').collect()
}

pub fn luhn_valid(digits: &str) -> bool {
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let sum: u32 = digits
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            match (i % 2 == 1, d * 2) {
                (false, _) => d,
                (true, twice) if twice > 9 => twice - 9,
                (true, twice) => twice,
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

pub fn check_email(email: &str) -> Result<(), Problem> {
    let email = email.trim();
    if email.is_empty() {
        return Err(Problem::EmailMissing);
    }
    let valid = email.len() <= 254
        && !email.chars().any(|c| c.is_whitespace() || c.is_control())
        && email.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty()
                && !domain.contains('@')
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
        });
    if valid {
        Ok(())
    } else {
        Err(Problem::EmailInvalid)
    }
}

/// Reads `MM / YY`, `MM/YY`, `MMYY` or `MM/YYYY`.
fn parse_expiry(text: &str) -> Result<(u8, u16), Problem> {
    let d: String = text.chars().filter(char::is_ascii_digit).collect();
    let (month, year) = match d.len() {
        4 => (&d[..2], format!("20{}", &d[2..])),
        6 => (&d[..2], d[2..].to_string()),
        _ => return Err(Problem::ExpiryIncomplete),
    };
    let month: u8 = month.parse().map_err(|_| Problem::ExpiryIncomplete)?;
    let year: u16 = year.parse().map_err(|_| Problem::ExpiryIncomplete)?;
    if !(1..=12).contains(&month) {
        return Err(Problem::ExpiryMonthInvalid);
    }
    Ok((month, year))
}

/// Every check of the form; all problems at once, so the customer fixes them in one go.
pub fn check_form(input: &FormInput, today: YearMonth) -> Result<CardDetails, Vec<Problem>> {
    let mut problems = Vec::new();
    if let Err(p) = check_email(input.email) {
        problems.push(p);
    }
    let number = digits(input.number);
    let brand = Brand::from_number(&number);
    if number.len() < 12 || !number.bytes().all(|b| b.is_ascii_digit()) {
        problems.push(Problem::NumberIncomplete);
    } else if number.len() > 19 || !luhn_valid(&number) {
        problems.push(Problem::NumberInvalid);
    }
    let expiry = parse_expiry(input.expiry).and_then(|(month, year)| {
        if (year, month) < (today.year, today.month) {
            Err(Problem::ExpiryPast)
        } else {
            Ok((month, year))
        }
    });
    if let Err(p) = expiry {
        problems.push(p);
    }
    let cvc = input.cvc.trim();
    if cvc.len() != brand.cvc_len() || !cvc.bytes().all(|b| b.is_ascii_digit()) {
        problems.push(Problem::CvcIncomplete);
    }
    match (problems.is_empty(), expiry) {
        (true, Ok((exp_month, exp_year))) => {
            Ok(CardDetails { number, brand, exp_month, exp_year, cvc: cvc.to_string() })
        }
        _ => Err(problems),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TODAY: YearMonth = YearMonth { year: 2026, month: 11 };

    fn form<'a>(number: &'a str, expiry: &'a str, cvc: &'a str) -> FormInput<'a> {
        FormInput { email: "ada@example.com", number, expiry, cvc }
    }

    #[test]
    fn luhn_accepts_test_cards_and_refuses_typos() {
        assert!(luhn_valid("4242424242424242"));
        assert!(luhn_valid("4000000000000002"));
        assert!(luhn_valid("4000002760003184"));
        assert!(!luhn_valid("4242424242424241"));
        assert!(!luhn_valid("42424242a4242424"));
        assert!(!luhn_valid(""));
    }

    #[test]
    fn a_good_card_passes_and_keeps_only_what_it_needs() {
        let card = check_form(&form("4242 4242 4242 4242", "12 / 30", "123"), TODAY).unwrap();
        assert_eq!(card.brand, Brand::Visa);
        assert_eq!(card.last4(), "4242");
        assert_eq!((card.exp_month, card.exp_year), (12, 2030));
        assert!(!format!("{card:?}").contains("4242424242424242"));
        assert!(!format!("{card:?}").contains("123"));
    }

    #[test]
    fn each_mistake_is_named() {
        let check = |f: FormInput| check_form(&f, TODAY).err().unwrap_or_default();
        assert_eq!(check(form("4242 4242", "12/30", "123")), vec![Problem::NumberIncomplete]);
        assert_eq!(check(form("4242424242424241", "12/30", "123")), vec![Problem::NumberInvalid]);
        assert_eq!(check(form("4242424242424242", "10/26", "123")), vec![Problem::ExpiryPast]);
        assert_eq!(check(form("4242424242424242", "11/26", "123")), vec![]);
        assert_eq!(check(form("4242424242424242", "13/30", "123")), vec![Problem::ExpiryMonthInvalid]);
        assert_eq!(check(form("4242424242424242", "1/3", "123")), vec![Problem::ExpiryIncomplete]);
        assert_eq!(check(form("4242424242424242", "12/30", "12")), vec![Problem::CvcIncomplete]);
        assert_eq!(check(form("378282246310005", "12/30", "123")), vec![Problem::CvcIncomplete]);
        let all = FormInput { email: "nope", number: "", expiry: "", cvc: "" };
        assert_eq!(check(all).len(), 4);
    }

    #[test]
    fn emails() {
        assert_eq!(check_email("ada@example.com"), Ok(()));
        assert_eq!(check_email(" "), Err(Problem::EmailMissing));
        for bad in ["ada", "ada@", "@example.com", "a b@example.com", "ada@example", "a@b@c.com"] {
            assert_eq!(check_email(bad), Err(Problem::EmailInvalid), "{bad}");
        }
    }

    #[test]
    fn problem_codes_round_trip() {
        for p in Problem::ALL {
            assert_eq!(Problem::from_code(p.code()), Some(*p));
        }
        assert_eq!(Problem::from_code("<script>"), None);
    }

    #[test]
    fn brands() {
        assert_eq!(Brand::from_number("5555555555554444"), Brand::Mastercard);
        assert_eq!(Brand::from_number("2223003122003222"), Brand::Mastercard);
        assert_eq!(Brand::from_number("378282246310005"), Brand::Amex);
        assert_eq!(Brand::from_number("6011111111111117"), Brand::Discover);
        assert_eq!(Brand::from_number("9999"), Brand::Unknown);
    }
}
