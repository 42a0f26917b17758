//! Risk configuration (`SetRiskConfiguration` / `DescribeRiskConfiguration`): Keystep has
//! no risk engine, so of Cognito's three parts it honours the one that needs none — the
//! IP exceptions. A sign-in from a `BlockedIPRangeList` range is refused before anything
//! is judged; `SkippedIPRangeList` is kept (there is no risk detection to skip). The
//! compromised-credentials and account-takeover parts are refused, naming them.

use std::net::IpAddr;

use serde::{Deserialize, Serialize};

/// The most ranges in each list (Cognito's limit).
pub const MAX_RANGES: usize = 200;

/// One stored risk configuration: the pool's (`ALL`) or a client's.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RiskConfiguration {
    /// `RiskExceptionConfiguration.BlockedIPRangeList`, checked CIDR ranges.
    #[serde(default)]
    pub blocked: Vec<String>,
    /// `RiskExceptionConfiguration.SkippedIPRangeList`.
    #[serde(default)]
    pub skipped: Vec<String>,
    /// When it was set (ms).
    #[serde(default)]
    pub modified_at: i64,
}

/// An IPv4 or IPv6 CIDR range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cidr {
    network: IpAddr,
    prefix: u8,
}

impl Cidr {
    /// Parses `address/prefix` (the prefix within the address family's width).
    pub fn parse(s: &str) -> Option<Cidr> {
        let (address, prefix) = s.split_once('/')?;
        let network: IpAddr = address.parse().ok()?;
        let prefix: u8 = prefix.parse().ok()?;
        let width = if network.is_ipv4() { 32 } else { 128 };
        (prefix <= width).then_some(Cidr { network, prefix })
    }

    /// Whether `ip` is in the range.
    pub fn contains(&self, ip: IpAddr) -> bool {
        fn bits(ip: IpAddr) -> (u128, u32) {
            match ip {
                IpAddr::V4(v4) => (u128::from(u32::from(v4)), 32),
                IpAddr::V6(v6) => (u128::from(v6), 128),
            }
        }
        // An IPv4 address seen through an IPv6 socket is still that IPv4 address.
        let ip = match ip {
            IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
            v4 => v4,
        };
        let ((net, width), (addr, addr_width)) = (bits(self.network), bits(ip));
        if width != addr_width {
            return false;
        }
        let shift = width - u32::from(self.prefix);
        shift >= width || (net >> shift) == (addr >> shift)
    }
}

impl RiskConfiguration {
    /// Whether `ip` is in a blocked range.
    pub fn blocks(&self, ip: &str) -> bool {
        let Ok(ip) = ip.parse::<IpAddr>() else {
            return false;
        };
        self.blocked
            .iter()
            .filter_map(|r| Cidr::parse(r))
            .any(|r| r.contains(ip))
    }
}

/// Checks one list: at most [`MAX_RANGES`] CIDR ranges.
pub fn check_ranges(name: &str, ranges: &[String]) -> Result<(), String> {
    if ranges.len() > MAX_RANGES {
        return Err(format!(
            "1 validation error detected: Value at 'riskExceptionConfiguration.{name}' failed \
             to satisfy constraint: Member must have length less than or equal to {MAX_RANGES}"
        ));
    }
    if let Some(bad) = ranges.iter().find(|r| Cidr::parse(r).is_none()) {
        return Err(format!(
            "Invalid IP range in {name}: {}. Ranges are in CIDR notation, such as 192.0.2.0/24.",
            bad.chars().take(64).collect::<String>()
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cidr_ranges() {
        let r = Cidr::parse("192.0.2.0/24").unwrap_or_else(|| unreachable!());
        assert!(r.contains("192.0.2.200".parse().unwrap_or_else(|_| unreachable!())));
        assert!(!r.contains("192.0.3.1".parse().unwrap_or_else(|_| unreachable!())));
        assert!(r.contains(
            "::ffff:192.0.2.7"
                .parse()
                .unwrap_or_else(|_| unreachable!())
        ));
        let all = Cidr::parse("0.0.0.0/0").unwrap_or_else(|| unreachable!());
        assert!(all.contains("8.8.8.8".parse().unwrap_or_else(|_| unreachable!())));
        let one = Cidr::parse("2001:db8::1/128").unwrap_or_else(|| unreachable!());
        assert!(one.contains("2001:db8::1".parse().unwrap_or_else(|_| unreachable!())));
        assert!(!one.contains("2001:db8::2".parse().unwrap_or_else(|_| unreachable!())));
        for bad in [
            "192.0.2.0",
            "192.0.2.0/33",
            "nope/8",
            "::/129",
            "1.2.3.4/-1",
        ] {
            assert_eq!(Cidr::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn blocking() {
        let c = RiskConfiguration {
            blocked: vec!["10.0.0.0/8".into()],
            ..Default::default()
        };
        assert!(c.blocks("10.1.2.3"));
        assert!(!c.blocks("11.1.2.3"));
        assert!(!c.blocks("not an address"));
        assert!(check_ranges("BlockedIPRangeList", &["10.0.0.0/8".into()]).is_ok());
        assert!(check_ranges("BlockedIPRangeList", &["10.0.0.0".into()]).is_err());
        let many: Vec<String> = (0..201).map(|i| format!("10.0.{}.0/24", i % 250)).collect();
        assert!(check_ranges("BlockedIPRangeList", &many).is_err());
    }
}
