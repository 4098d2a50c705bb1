//! Where a customer opened the checkout from (seed 001: "email address,
//! location, and IP address"): a country, and a city where known. Kassa
//! reads it from a MaxMind-format database the operator points it at
//! (`KASSA_GEOIP_DB`: GeoLite2 or GeoIP2 City or Country), or from the
//! country header of a proxy in front of it that the operator trusts
//! (`KASSA_COUNTRY_HEADER`, e.g. `CF-IPCountry`). Without either it does
//! not guess.

use axum::http::{HeaderMap, HeaderName};
use maxminddb::{geoip2, Reader};
use std::{net::IpAddr, path::Path};

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Location {
    /// ISO 3166-1 alpha-2, e.g. `NL`.
    pub country: Option<String>,
    /// The city's English name.
    pub city: Option<String>,
}

#[derive(Default)]
pub struct Locator {
    database: Option<Reader<Vec<u8>>>,
    country_header: Option<HeaderName>,
}

impl Locator {
    /// Opens the database (read into memory once) and checks the header's name.
    pub fn new(database: Option<&Path>, country_header: Option<&str>) -> anyhow::Result<Locator> {
        let database = database
            .map(|path| {
                Reader::open_readfile(path)
                    .map_err(|e| anyhow::anyhow!("KASSA_GEOIP_DB: cannot read {}: {e}", path.display()))
            })
            .transpose()?;
        let country_header = country_header
            .map(|name| {
                HeaderName::try_from(name.trim())
                    .map_err(|_| anyhow::anyhow!("KASSA_COUNTRY_HEADER: `{name}` is not a header name"))
            })
            .transpose()?;
        Ok(Locator { database, country_header })
    }

    /// The trusted proxy's answer when it gives one (the peer is then the
    /// proxy, whose address says nothing of the customer), else the database's.
    pub fn locate(&self, headers: &HeaderMap, ip: Option<IpAddr>) -> Location {
        if let Some(name) = &self.country_header {
            if let Some(country) = headers.get(name).and_then(|v| v.to_str().ok()).and_then(country_code) {
                return Location { country: Some(country), city: None };
            }
        }
        match (&self.database, ip) {
            (Some(database), Some(ip)) => lookup(database, ip),
            _ => Location::default(),
        }
    }
}

fn lookup(database: &Reader<Vec<u8>>, ip: IpAddr) -> Location {
    let found = database.lookup(ip).and_then(|result| result.decode::<geoip2::City>());
    match found {
        Ok(Some(record)) => Location {
            country: record.country.iso_code.and_then(country_code),
            city: record.city.names.english.map(|name| name.chars().take(100).collect()),
        },
        Ok(None) => Location::default(),
        Err(e) => {
            tracing::warn!(error = %e, "the GeoIP database could not be read for an address");
            Location::default()
        }
    }
}

/// Two ASCII letters, upper-cased; not Cloudflare's `XX` (unknown) or `T1` (Tor).
fn country_code(value: &str) -> Option<String> {
    let code = value.trim().to_ascii_uppercase();
    (code.len() == 2 && code.bytes().all(|b| b.is_ascii_uppercase()) && code != "XX").then_some(code)
}

/// `Amsterdam, NL`, `NL`, or `—` as the dashboard shows it.
pub fn shown(country: Option<&str>, city: Option<&str>) -> String {
    match (city, country) {
        (Some(city), Some(country)) => format!("{city}, {country}"),
        (None, Some(country)) => country.to_string(),
        _ => "—".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_real_country_codes_are_kept() {
        assert_eq!(country_code(" nl "), Some("NL".into()));
        for bad in ["XX", "T1", "", "NLD", "N", "é1"] {
            assert_eq!(country_code(bad), None, "{bad}");
        }
    }

    #[test]
    fn an_untrusted_header_is_ignored_and_a_trusted_one_wins() {
        let mut headers = HeaderMap::new();
        headers.insert("cf-ipcountry", "DE".parse().unwrap());
        let ip = Some("203.0.113.9".parse().unwrap());
        assert_eq!(Locator::new(None, None).unwrap().locate(&headers, ip), Location::default());
        let trusted = Locator::new(None, Some("CF-IPCountry")).unwrap();
        assert_eq!(trusted.locate(&headers, ip), Location { country: Some("DE".into()), city: None });
        headers.insert("cf-ipcountry", "XX".parse().unwrap());
        assert_eq!(trusted.locate(&headers, ip), Location::default());
    }

    #[test]
    fn a_missing_database_stops_the_start_with_its_path() {
        let error = Locator::new(Some(Path::new("/nonexistent/city.mmdb")), None).err().unwrap();
        assert!(error.to_string().contains("/nonexistent/city.mmdb"), "{error}");
    }
}
