//! Whole numbers as JSON Schema counts them: `1500` and `1500.0` alike (an
//! `integer` there is any number without a fraction); in a query string,
//! their text. Anything else is refused with a message that says so.

use serde::de::{self, Deserializer, Visitor};
use std::fmt;

/// `text`: read from a query string, where every value is text.
struct Whole {
    text: bool,
}

impl Visitor<'_> for Whole {
    type Value = i64;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a whole number")
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<i64, E> {
        Ok(v)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<i64, E> {
        i64::try_from(v).map_err(|_| E::custom(format!("{v} is too large")))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<i64, E> {
        // 2^63 is the first float past i64; anything smaller and whole fits.
        if v.fract() == 0.0 && v.abs() < 9_223_372_036_854_775_808.0 {
            Ok(v as i64)
        } else {
            Err(E::invalid_type(de::Unexpected::Float(v), &self))
        }
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<i64, E> {
        match (self.text, v.parse::<i64>(), v.parse::<f64>()) {
            (false, ..) => Err(E::invalid_type(de::Unexpected::Str(v), &self)),
            (true, Ok(n), _) => Ok(n),
            (true, _, Ok(f)) if f.is_finite() => self.visit_f64(f),
            _ => Err(E::invalid_value(de::Unexpected::Str(v), &self)),
        }
    }
}

pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<i64, D::Error> {
    deserializer.deserialize_any(Whole { text: false })
}

/// For `Option<i64>` fields: `null` or missing is `None`.
pub mod option {
    use super::*;

    struct Maybe {
        text: bool,
    }

    impl<'de> Visitor<'de> for Maybe {
        type Value = Option<i64>;

        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a whole number or null")
        }

        fn visit_none<E: de::Error>(self) -> Result<Option<i64>, E> {
            Ok(None)
        }

        fn visit_unit<E: de::Error>(self) -> Result<Option<i64>, E> {
            Ok(None)
        }

        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Option<i64>, D::Error> {
            d.deserialize_any(Whole { text: self.text }).map(Some)
        }

        fn visit_str<E: de::Error>(self, v: &str) -> Result<Option<i64>, E> {
            Whole { text: self.text }.visit_str(v).map(Some)
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<i64>, D::Error> {
        deserializer.deserialize_option(Maybe { text: false })
    }

    /// From a query string.
    pub fn from_text<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<i64>, D::Error> {
        deserializer.deserialize_option(Maybe { text: true })
    }
}

#[cfg(test)]
mod tests {
    #[derive(serde::Deserialize, Debug, PartialEq)]
    struct Body {
        #[serde(with = "super")]
        n: i64,
        #[serde(default, with = "super::option")]
        m: Option<i64>,
    }

    #[derive(serde::Deserialize)]
    struct Query {
        #[serde(default, deserialize_with = "super::option::from_text")]
        limit: Option<i64>,
    }

    fn body(json: &str) -> Result<Body, String> {
        serde_json::from_str(json).map_err(|e| e.to_string())
    }

    #[test]
    fn whole_numbers_in_any_spelling_and_nothing_else() {
        assert_eq!(body(r#"{"n": 1500}"#), Ok(Body { n: 1500, m: None }));
        assert_eq!(body(r#"{"n": 1500.0, "m": 2e3}"#), Ok(Body { n: 1500, m: Some(2000) }));
        assert_eq!(body(r#"{"n": -7, "m": null}"#), Ok(Body { n: -7, m: None }));
        assert!(body(r#"{"n": 1.5}"#).unwrap_err().contains("a whole number"));
        assert!(body(r#"{"n": 1e300}"#).is_err());
        assert!(body(r#"{"n": 18446744073709551615}"#).is_err());
        assert!(body(r#"{"n": "12"}"#).is_err(), "text is not a number in JSON");
        let query: Query = serde_urlencoded::from_str("limit=20.0").unwrap();
        assert_eq!(query.limit, Some(20));
        assert!(serde_urlencoded::from_str::<Query>("limit=ten").is_err());
        assert!(body(r#"{"n": true}"#).is_err());
    }
}
