//! The client's address: the peer's, or behind a trusted reverse proxy the one the proxy
//! reports (`X-Forwarded-For`, else `X-Real-IP`). Login throttling and the audit trail use it.

use axum::http::HeaderMap;
use std::net::IpAddr;

/// An address or network (`10.0.0.0/8`, `192.168.1.10`, `::1`, `fd00::/8`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cidr {
    net: IpAddr,
    bits: u8,
}

impl std::str::FromStr for Cidr {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || format!("不是有效的 IP 地址或网段：{s}");
        let (addr, bits) = match s.trim().split_once('/') {
            Some((a, b)) => (a, Some(b.parse::<u8>().map_err(|_| bad())?)),
            None => (s.trim(), None),
        };
        let net: IpAddr = addr.parse().map_err(|_| bad())?;
        let max = if net.is_ipv4() { 32 } else { 128 };
        let bits = bits.unwrap_or(max);
        if bits > max {
            return Err(bad());
        }
        Ok(Cidr {
            net: net.to_canonical(),
            bits,
        })
    }
}

impl Cidr {
    pub fn contains(&self, ip: IpAddr) -> bool {
        fn prefix(a: u128, b: u128, bits: u8, width: u8) -> bool {
            if bits == 0 {
                return true;
            }
            let shift = u32::from(width - bits);
            (a >> shift) == (b >> shift)
        }
        match (self.net, ip.to_canonical()) {
            (IpAddr::V4(n), IpAddr::V4(a)) => prefix(
                u128::from(u32::from(n)),
                u128::from(u32::from(a)),
                self.bits,
                32,
            ),
            (IpAddr::V6(n), IpAddr::V6(a)) => prefix(u128::from(n), u128::from(a), self.bits, 128),
            _ => false,
        }
    }
}

/// The client's address. The forwarding headers are believed only when the peer is a trusted
/// proxy; in `X-Forwarded-For` the nearest address that is not itself a trusted proxy is the
/// client (a client can prepend anything, but not what the proxies append).
pub fn client_ip(peer: Option<IpAddr>, headers: &HeaderMap, trusted: &[Cidr]) -> String {
    let Some(peer) = peer.map(|p| p.to_canonical()) else {
        return "local".into();
    };
    let is_trusted = |ip: IpAddr| trusted.iter().any(|c| c.contains(ip));
    if !is_trusted(peer) {
        return peer.to_string();
    }
    let forwarded: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    if !forwarded.is_empty() {
        let mut client = peer;
        for a in forwarded.iter().rev() {
            let Ok(ip) = a.parse::<IpAddr>() else {
                // Not an address: what lies beyond it cannot be trusted.
                break;
            };
            client = ip.to_canonical();
            if !is_trusted(client) {
                break;
            }
        }
        return client.to_string();
    }
    headers
        .get("x-real-ip")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<IpAddr>().ok())
        .map_or(peer, |ip| ip.to_canonical())
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut m = HeaderMap::new();
        for (k, v) in pairs {
            m.append(*k, v.parse().unwrap());
        }
        m
    }

    fn ip(s: &str) -> Option<IpAddr> {
        s.parse().ok()
    }

    #[test]
    fn networks() {
        let n: Cidr = "10.0.0.0/8".parse().unwrap();
        assert!(n.contains("10.2.3.4".parse().unwrap()));
        assert!(!n.contains("11.2.3.4".parse().unwrap()));
        assert!("10.0.0.0/33".parse::<Cidr>().is_err());
        assert!("proxy".parse::<Cidr>().is_err());
        assert!(
            "::1"
                .parse::<Cidr>()
                .unwrap()
                .contains("::1".parse().unwrap())
        );
        // An IPv4 peer seen as IPv4-mapped IPv6 still matches.
        assert!(n.contains("::ffff:10.1.1.1".parse().unwrap()));
        assert!(
            "0.0.0.0/0"
                .parse::<Cidr>()
                .unwrap()
                .contains("8.8.8.8".parse().unwrap())
        );
    }

    #[test]
    fn headers_are_believed_only_from_a_trusted_proxy() {
        let trusted: Vec<Cidr> = vec!["127.0.0.1".parse().unwrap()];
        let xff = h(&[("x-forwarded-for", "6.6.6.6, 203.0.113.7")]);
        assert_eq!(client_ip(ip("127.0.0.1"), &xff, &trusted), "203.0.113.7");
        assert_eq!(
            client_ip(ip("198.51.100.1"), &xff, &trusted),
            "198.51.100.1"
        );
        assert_eq!(client_ip(ip("127.0.0.1"), &xff, &[]), "127.0.0.1");
        let real = h(&[("x-real-ip", "203.0.113.9")]);
        assert_eq!(client_ip(ip("127.0.0.1"), &real, &trusted), "203.0.113.9");
        let junk = h(&[("x-forwarded-for", "not-an-ip")]);
        assert_eq!(client_ip(ip("127.0.0.1"), &junk, &trusted), "127.0.0.1");
        assert_eq!(client_ip(None, &xff, &trusted), "local");
    }
}
