//! Scope flags: which addresses and names are private, loopback,
//! link-local, multicast, documentation or otherwise reserved
//! (RFC 1918, 5735, 5737, 3849, 4193, 6598, 6761, 2606, 9637).

use crate::model::Scope;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// The scope of an IPv4 address.
pub fn ipv4(ip: Ipv4Addr) -> Scope {
    let [a, b, c, _] = ip.octets();
    match (a, b, c) {
        (10, _, _) | (172, 16..=31, _) | (192, 168, _) | (100, 64..=127, _) => Scope::Private,
        (127, _, _) => Scope::Loopback,
        (169, 254, _) => Scope::LinkLocal,
        (192, 0, 2) | (198, 51, 100) | (203, 0, 113) => Scope::Documentation,
        (224..=239, _, _) => Scope::Multicast,
        (0, _, _) | (240..=255, _, _) | (192, 0, 0) | (198, 18..=19, _) => Scope::Reserved,
        _ => Scope::Public,
    }
}

/// The scope of an IPv6 address.
pub fn ipv6(ip: Ipv6Addr) -> Scope {
    if let Some(v4) = ip.to_ipv4_mapped() {
        return ipv4(v4);
    }
    let s = ip.segments();
    if ip.is_loopback() {
        Scope::Loopback
    } else if ip.is_unspecified() {
        Scope::Reserved
    } else if s[0] == 0x2001 && s[1] == 0x0db8 || s[0] & 0xfff0 == 0x3ff0 {
        // 2001:db8::/32 and 3fff::/20.
        Scope::Documentation
    } else if s[0] & 0xfe00 == 0xfc00 {
        Scope::Private
    } else if s[0] & 0xffc0 == 0xfe80 {
        Scope::LinkLocal
    } else if s[0] & 0xff00 == 0xff00 {
        Scope::Multicast
    } else if s[0] & 0xe000 == 0x2000 {
        // 2000::/3 is the global unicast space.
        Scope::Public
    } else {
        Scope::Reserved
    }
}

/// The scope of an IP address.
pub fn ip(ip: IpAddr) -> Scope {
    match ip {
        IpAddr::V4(v4) => ipv4(v4),
        IpAddr::V6(v6) => ipv6(v6),
    }
}

/// Top-level names reserved for documentation (RFC 2606, RFC 6761).
const DOC_TLDS: &[&str] = &["example"];

/// Second-level names reserved for documentation.
const DOC_DOMAINS: &[&str] = &["example.com", "example.net", "example.org", "example.edu"];

/// Top-level names that never resolve on the public Internet.
pub const RESERVED_TLDS: &[&str] = &[
    "test",
    "invalid",
    "localhost",
    "local",
    "internal",
    "lan",
    "home",
    "corp",
    "intranet",
    "localdomain",
    "arpa",
];

/// The scope of a lower-case host name.
pub fn domain(host: &str) -> Scope {
    let host = host.trim_end_matches('.');
    let tld = host.rsplit('.').next().unwrap_or(host);
    let under = |d: &str| host == d || host.ends_with(&format!(".{d}"));
    if DOC_TLDS.contains(&tld) || DOC_DOMAINS.iter().any(|d| under(d)) {
        Scope::Documentation
    } else if RESERVED_TLDS.contains(&tld) {
        Scope::Reserved
    } else {
        Scope::Public
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v4(s: &str) -> Scope {
        ipv4(s.parse().unwrap())
    }
    fn v6(s: &str) -> Scope {
        ipv6(s.parse().unwrap())
    }

    #[test]
    fn ipv4_ranges() {
        assert_eq!(v4("10.1.2.3"), Scope::Private);
        assert_eq!(v4("172.16.0.1"), Scope::Private);
        assert_eq!(v4("172.32.0.1"), Scope::Public);
        assert_eq!(v4("192.168.1.1"), Scope::Private);
        assert_eq!(v4("100.64.0.1"), Scope::Private);
        assert_eq!(v4("127.0.0.1"), Scope::Loopback);
        assert_eq!(v4("169.254.169.254"), Scope::LinkLocal);
        assert_eq!(v4("192.0.2.10"), Scope::Documentation);
        assert_eq!(v4("198.51.100.23"), Scope::Documentation);
        assert_eq!(v4("203.0.113.5"), Scope::Documentation);
        assert_eq!(v4("224.0.0.251"), Scope::Multicast);
        assert_eq!(v4("0.0.0.0"), Scope::Reserved);
        assert_eq!(v4("255.255.255.255"), Scope::Reserved);
        assert_eq!(v4("198.18.0.1"), Scope::Reserved);
        assert_eq!(v4("8.8.8.8"), Scope::Public);
    }

    #[test]
    fn ipv6_ranges() {
        assert_eq!(v6("::1"), Scope::Loopback);
        assert_eq!(v6("2001:db8::1"), Scope::Documentation);
        assert_eq!(v6("3fff::1"), Scope::Documentation);
        assert_eq!(v6("fd12:3456::1"), Scope::Private);
        assert_eq!(v6("fe80::1"), Scope::LinkLocal);
        assert_eq!(v6("ff02::1"), Scope::Multicast);
        assert_eq!(v6("::ffff:10.0.0.1"), Scope::Private);
        assert_eq!(v6("2606:4700::1111"), Scope::Public);
        assert_eq!(v6("::"), Scope::Reserved);
    }

    #[test]
    fn names() {
        assert_eq!(domain("example.com"), Scope::Documentation);
        assert_eq!(domain("www.example.org"), Scope::Documentation);
        assert_eq!(domain("evil.example"), Scope::Documentation);
        assert_eq!(domain("notexample.com"), Scope::Public);
        assert_eq!(domain("host.test"), Scope::Reserved);
        assert_eq!(domain("dc01.corp"), Scope::Reserved);
        assert_eq!(domain("evil.net"), Scope::Public);
    }
}
