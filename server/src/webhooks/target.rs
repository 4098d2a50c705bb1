//! Where Kassa may send a merchant's webhooks: public unicast addresses
//! only (unless the operator allows private ones, for tests and private
//! networks). A name is resolved once, by [`PublicOnly`], and the
//! connection goes to the addresses that were checked, so a DNS answer that
//! changes between the check and the connect (rebinding) gains nothing.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

/// IPv4 ranges that are not the public internet (IANA's special-purpose
/// registry): this network, private, shared (CGNAT), loopback, link-local,
/// IETF protocol assignments, documentation, benchmarking, multicast,
/// reserved and broadcast.
const V4_SPECIAL: [(u32, u8); 15] = [
    (0x0000_0000, 8),  // 0.0.0.0/8
    (0x0a00_0000, 8),  // 10.0.0.0/8
    (0x6440_0000, 10), // 100.64.0.0/10
    (0x7f00_0000, 8),  // 127.0.0.0/8
    (0xa9fe_0000, 16), // 169.254.0.0/16
    (0xac10_0000, 12), // 172.16.0.0/12
    (0xc000_0000, 24), // 192.0.0.0/24
    (0xc000_0200, 24), // 192.0.2.0/24
    (0xc058_6300, 24), // 192.88.99.0/24 (6to4 relays)
    (0xc0a8_0000, 16), // 192.168.0.0/16
    (0xc612_0000, 15), // 198.18.0.0/15
    (0xc633_6400, 24), // 198.51.100.0/24
    (0xcb00_7100, 24), // 203.0.113.0/24
    (0xe000_0000, 4),  // 224.0.0.0/4 multicast
    (0xf000_0000, 4),  // 240.0.0.0/4 reserved, and 255.255.255.255
];

/// Inside IPv6's global unicast space (2000::/3), the ranges that are not a
/// host on the public internet: IETF protocol assignments (Teredo among
/// them), documentation, and 6to4 (which embeds an IPv4 address).
const V6_SPECIAL: [(u128, u8); 3] = [
    (0x2001_0000 << 96, 23), // 2001::/23
    (0x2001_0db8 << 96, 32), // 2001:db8::/32
    (0x2002 << 112, 16),     // 2002::/16
];

fn in_v4(ip: Ipv4Addr, (net, len): (u32, u8)) -> bool {
    let mask = if len == 0 { 0 } else { u32::MAX << (32 - len) };
    u32::from(ip) & mask == net
}

fn in_v6(ip: Ipv6Addr, (net, len): (u128, u8)) -> bool {
    let mask = if len == 0 { 0 } else { u128::MAX << (128 - len) };
    u128::from(ip) & mask == net
}

/// Whether Kassa refuses to send to `ip`: anything but public unicast.
/// IPv6 outside 2000::/3 is refused whole, which takes in the forms that
/// carry an IPv4 address (mapped `::ffff:0:0/96`, compatible `::/96`, NAT64
/// `64:ff9b::/96`), unique-local, link-local and multicast.
pub fn is_forbidden(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => V4_SPECIAL.iter().any(|&range| in_v4(v4, range)),
        IpAddr::V6(v6) => !in_v6(v6, (1 << 125, 3)) || V6_SPECIAL.iter().any(|&range| in_v6(v6, range)),
    }
}

/// Why a URL cannot be an endpoint, in words for the merchant.
pub fn check_url(url: &str, allow_private: bool) -> Result<(), String> {
    let parsed = url::Url::parse(url).map_err(|e| format!("`url` is not a valid URL ({e})"))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err("`url` must be an http or https URL".into());
    }
    let host = match parsed.host() {
        Some(host) => host,
        None => return Err("`url` needs a host".into()),
    };
    if let url::Host::Domain(name) = host {
        if !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-') {
            return Err("`url` must name a host of letters, digits, dots and dashes".into());
        }
    }
    let forbidden = match host {
        url::Host::Domain(name) => name == "localhost" || name.ends_with(".localhost"),
        url::Host::Ipv4(v4) => is_forbidden(v4.into()),
        url::Host::Ipv6(v6) => is_forbidden(v6.into()),
    };
    if forbidden && !allow_private {
        return Err(
            "`url` points at a private, loopback or special-purpose address, which Kassa does not send to".into()
        );
    }
    Ok(())
}

/// Resolves names for the webhook client and keeps only what
/// [`is_forbidden`] allows; a name with any forbidden address is refused
/// whole (it is someone's way in). The client connects to what this
/// returned, and an IP in the URL itself is checked before sending.
pub struct PublicOnly;

impl reqwest::dns::Resolve for PublicOnly {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let host = name.as_str().to_string();
        Box::pin(async move {
            let found: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            if found.is_empty() || found.iter().any(|a| is_forbidden(a.ip())) {
                let refused = std::io::Error::other(format!("{host} does not resolve to public addresses only"));
                return Err(Box::new(refused) as Box<dyn std::error::Error + Send + Sync>);
            }
            Ok(Box::new(found.into_iter()) as reqwest::dns::Addrs)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_special_purpose_range_is_refused_and_public_addresses_pass() {
        for ip in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.0.9",
            "169.254.169.254",
            "0.0.0.0",
            "100.64.0.1",
            "100.127.255.254",
            "192.0.0.1",
            "192.0.2.7",
            "198.18.0.1",
            "198.19.255.1",
            "198.51.100.1",
            "203.0.113.9",
            "224.0.0.1",
            "239.255.255.250",
            "240.0.0.1",
            "255.255.255.255",
            "::1",
            "::",
            "::ffff:127.0.0.1",
            "::ffff:8.8.8.8",
            "::127.0.0.1",
            "64:ff9b::7f00:1",
            "64:ff9b:1::1",
            "2002:7f00:1::1",
            "2001::1",
            "2001:db8::1",
            "fc00::1",
            "fd12:3456::1",
            "fe80::1",
            "fec0::1",
            "ff02::1",
            "100::1",
        ] {
            assert!(is_forbidden(ip.parse().unwrap()), "{ip}");
        }
        for ip in
            ["8.8.8.8", "1.1.1.1", "100.63.255.255", "100.128.0.1", "198.20.0.1", "2606:4700::1111", "2a00:1450::1"]
        {
            assert!(!is_forbidden(ip.parse().unwrap()), "{ip}");
        }
    }

    #[test]
    fn urls_at_special_addresses_are_refused_unless_allowed() {
        assert!(check_url("https://hooks.shop.example/kassa", false).is_ok());
        for url in [
            "http://127.0.0.1:9000/x",
            "http://localhost/x",
            "http://api.localhost/x",
            "http://10.1.2.3/",
            "http://[::1]/",
            "http://[::ffff:127.0.0.1]:9000/",
            "http://[::ffff:7f00:1]/",
            "http://[64:ff9b::a9fe:a9fe]/",
            "http://192.168.0.9/",
            "http://169.254.169.254/",
            "http://2130706433/",
            "http://0x7f.1/",
        ] {
            assert!(check_url(url, false).is_err(), "{url}");
            assert!(check_url(url, true).is_ok(), "{url}");
        }
        assert!(check_url("ftp://shop.example/", true).is_err());
        assert!(check_url("not a url", true).is_err());
    }

    #[tokio::test]
    async fn names_that_resolve_to_loopback_are_refused_by_the_resolver() {
        use reqwest::dns::Resolve;
        let refused = PublicOnly.resolve("localhost".parse().unwrap()).await;
        assert!(refused.is_err());
    }
}
