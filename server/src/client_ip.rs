//! The client's real address. Behind a reverse proxy the peer is the proxy;
//! its `Forwarded` or `X-Forwarded-For` header names the client, but anyone
//! can send those headers. So they are read only when the peer is a proxy
//! the operator listed (`KASSA_TRUSTED_PROXIES`), and then the right-most
//! address that is not one of those proxies is the client's: whatever a
//! client wrote further left is its own claim.

use axum::http::{header, HeaderMap};
use ipnet::IpNet;
use std::net::IpAddr;

#[derive(Clone, Debug, Default)]
pub struct TrustedProxies(Vec<IpNet>);

impl TrustedProxies {
    pub fn new(networks: Vec<IpNet>) -> Self {
        TrustedProxies(networks)
    }

    fn trusts(&self, ip: IpAddr) -> bool {
        self.0.iter().any(|net| net.contains(&ip))
    }

    /// The client of a request that came from `peer` with `headers`.
    pub fn client_ip(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        if !self.trusts(peer) {
            return peer;
        }
        let mut client = peer;
        for hop in forwarded_hops(headers).into_iter().rev() {
            match hop {
                // A hop a proxy could not name: stop at the last one we know.
                None => break,
                Some(ip) if self.trusts(ip) => client = ip,
                Some(ip) => return ip,
            }
        }
        client
    }
}

/// `10.0.0.0/8` or a single address such as `10.0.0.1`, as the flag takes them.
pub fn parse_network(text: &str) -> Result<IpNet, String> {
    let text = text.trim();
    text.parse::<IpNet>()
        .or_else(|_| text.parse::<IpAddr>().map(IpNet::from))
        .map_err(|_| format!("`{text}` is not an address or a CIDR network"))
}

/// The addresses the proxies recorded, client first: RFC 7239 `Forwarded`
/// when present, else `X-Forwarded-For`. `None` for a hop that is not an
/// address (`unknown`, an obfuscated name).
fn forwarded_hops(headers: &HeaderMap) -> Vec<Option<IpAddr>> {
    let values = |name| headers.get_all(name).iter().filter_map(|v| v.to_str().ok()).collect::<Vec<_>>().join(",");
    let forwarded = values(header::FORWARDED);
    if !forwarded.is_empty() {
        return forwarded
            .split(',')
            .map(|element| {
                element.split(';').find_map(|pair| {
                    let (name, value) = pair.split_once('=')?;
                    name.trim().eq_ignore_ascii_case("for").then(|| parse_hop(value))?
                })
            })
            .collect();
    }
    let forwarded_for = values(header::HeaderName::from_static("x-forwarded-for"));
    forwarded_for.split(',').filter(|hop| !hop.trim().is_empty()).map(parse_hop).collect()
}

/// `192.0.2.60`, `"[2001:db8::17]:4711"`, `192.0.2.60:8080`.
fn parse_hop(text: &str) -> Option<IpAddr> {
    let text = text.trim().trim_matches('"');
    if let Ok(ip) = text.parse() {
        return Some(ip);
    }
    if let Some(rest) = text.strip_prefix('[') {
        return rest.split(']').next()?.parse().ok();
    }
    text.rsplit_once(':').and_then(|(ip, _port)| ip.parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        pairs.iter().map(|(name, value)| (header::HeaderName::from_static(name), value.parse().unwrap())).collect()
    }

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn headers_from_an_untrusted_peer_are_ignored() {
        let proxies = TrustedProxies::new(vec![parse_network("10.0.0.0/8").unwrap()]);
        let spoofed = headers(&[("x-forwarded-for", "1.2.3.4")]);
        assert_eq!(proxies.client_ip(ip("203.0.113.9"), &spoofed), ip("203.0.113.9"));
        assert_eq!(TrustedProxies::default().client_ip(ip("10.0.0.1"), &spoofed), ip("10.0.0.1"));
    }

    #[test]
    fn the_right_most_untrusted_hop_is_the_client() {
        let proxies =
            TrustedProxies::new(vec![parse_network("10.0.0.0/8").unwrap(), parse_network("192.168.1.1").unwrap()]);
        let peer = ip("10.0.0.2");
        let chain = headers(&[("x-forwarded-for", "6.6.6.6, 198.51.100.7, 192.168.1.1")]);
        assert_eq!(proxies.client_ip(peer, &chain), ip("198.51.100.7"), "6.6.6.6 is the client's own claim");
        let forwarded = headers(&[("forwarded", r#"for=6.6.6.6, for="[2001:db8:cafe::17]:4711";proto=https"#)]);
        assert_eq!(proxies.client_ip(peer, &forwarded), ip("2001:db8:cafe::17"));
        let port = headers(&[("x-forwarded-for", "198.51.100.7:5123")]);
        assert_eq!(proxies.client_ip(peer, &port), ip("198.51.100.7"));
    }

    #[test]
    fn a_hop_that_is_no_address_stops_the_walk_at_the_last_known_proxy() {
        let proxies = TrustedProxies::new(vec![parse_network("10.0.0.0/8").unwrap()]);
        let chain = headers(&[("forwarded", "for=198.51.100.7, for=unknown, for=10.0.0.9")]);
        assert_eq!(proxies.client_ip(ip("10.0.0.2"), &chain), ip("10.0.0.9"));
        assert_eq!(proxies.client_ip(ip("10.0.0.2"), &HeaderMap::new()), ip("10.0.0.2"));
        assert!(parse_network("10.0.0.0/33").is_err() && parse_network("proxy.internal").is_err());
    }
}
