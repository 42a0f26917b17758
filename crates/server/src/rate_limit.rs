//! Per-source-address rate limits on the unsigned operations: a token bucket for each
//! client address, refilled at a steady rate up to a burst. Past it the request is
//! refused with `TooManyRequestsException` before anything is read or looked up.
//!
//! The buckets are this node's, in memory: this limit is about request rates (it keeps
//! one address from monopolising a node), not about what a user may try — those limits
//! are kept in the store and hold across nodes. IPv6 clients are limited per /64, the
//! block one subscriber usually gets. The table is bounded: when full, buckets that have
//! refilled (so carry no state worth keeping) are dropped, and if none has, the address
//! is refused rather than the table grown.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::Instant;

/// The rate and burst of each address's bucket.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RateLimit {
    /// Requests per second an address may keep up.
    pub per_second: f64,
    /// Requests an address may make at once.
    pub burst: f64,
}

/// Addresses tracked at most.
const MAX_ADDRESSES: usize = 100_000;

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

/// The buckets of one node.
#[derive(Debug)]
pub struct RateLimiter {
    limit: RateLimit,
    buckets: Mutex<HashMap<IpAddr, Bucket>>,
    max_addresses: usize,
}

/// The key an address is limited under: itself, or its /64 for IPv6 (an IPv4 address
/// mapped into IPv6 counts as the IPv4 one).
fn key_of(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(_) => ip,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let mut segments = v6.segments();
                segments[4..].fill(0);
                IpAddr::V6(segments.into())
            }
        },
    }
}

impl RateLimiter {
    /// A limiter with `limit`.
    pub fn new(limit: RateLimit) -> RateLimiter {
        RateLimiter::with_capacity(limit, MAX_ADDRESSES)
    }

    fn with_capacity(limit: RateLimit, max_addresses: usize) -> RateLimiter {
        RateLimiter {
            limit,
            buckets: Mutex::new(HashMap::new()),
            max_addresses,
        }
    }

    fn refilled(&self, bucket: Bucket, now: Instant) -> f64 {
        let elapsed = now.saturating_duration_since(bucket.at).as_secs_f64();
        (bucket.tokens + elapsed * self.limit.per_second).min(self.limit.burst)
    }

    /// Takes one token of `ip`'s bucket at `now`; `false` when there is none.
    pub fn admit(&self, ip: IpAddr, now: Instant) -> bool {
        let Ok(mut buckets) = self.buckets.lock() else {
            return true;
        };
        let key = key_of(ip);
        if !buckets.contains_key(&key) && buckets.len() >= self.max_addresses {
            let burst = self.limit.burst;
            buckets.retain(|_, b| self.refilled(*b, now) < burst);
            if buckets.len() >= self.max_addresses {
                return false;
            }
        }
        let bucket = buckets.entry(key).or_insert(Bucket {
            tokens: self.limit.burst,
            at: now,
        });
        let tokens = self.refilled(*bucket, now);
        if tokens < 1.0 {
            *bucket = Bucket { tokens, at: now };
            return false;
        }
        *bucket = Bucket {
            tokens: tokens - 1.0,
            at: now,
        };
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    const LIMIT: RateLimit = RateLimit {
        per_second: 2.0,
        burst: 5.0,
    };

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn a_burst_then_the_steady_rate() {
        let limiter = RateLimiter::new(LIMIT);
        let t0 = Instant::now();
        let a = ip("198.51.100.7");
        let admitted = (0..20).filter(|_| limiter.admit(a, t0)).count();
        assert_eq!(admitted, 5, "the burst");
        // Half a second refills one token at 2/s.
        assert!(limiter.admit(a, t0 + Duration::from_millis(500)));
        assert!(!limiter.admit(a, t0 + Duration::from_millis(500)));
        // Refused requests take nothing: the rate still comes back.
        assert!(limiter.admit(a, t0 + Duration::from_millis(1000)));
        // Another address has its own bucket.
        assert!(limiter.admit(ip("198.51.100.8"), t0));
        // A long quiet refills at most the burst.
        let later = t0 + Duration::from_secs(3600);
        assert_eq!((0..20).filter(|_| limiter.admit(a, later)).count(), 5);
    }

    #[test]
    fn ipv6_is_limited_per_64_and_mapped_ipv4_as_ipv4() {
        let limiter = RateLimiter::new(LIMIT);
        let t0 = Instant::now();
        let admitted = (0..20)
            .filter(|i| limiter.admit(ip(&format!("2001:db8:1:2::{i:x}")), t0))
            .count();
        assert_eq!(admitted, 5, "one /64, one bucket");
        assert!(limiter.admit(ip("2001:db8:1:3::1"), t0), "another /64");
        for _ in 0..5 {
            assert!(limiter.admit(ip("203.0.113.9"), t0));
        }
        assert!(!limiter.admit(ip("::ffff:203.0.113.9"), t0));
    }

    #[test]
    fn a_full_table_drops_idle_buckets_and_refuses_rather_than_grow() {
        let limiter = RateLimiter::with_capacity(LIMIT, 3);
        let t0 = Instant::now();
        for n in 1..=3 {
            assert!(limiter.admit(ip(&format!("192.0.2.{n}")), t0));
        }
        // Every bucket is still below its burst: no room for a fourth address.
        assert!(!limiter.admit(ip("192.0.2.4"), t0));
        // Once they refilled they carry nothing and make room.
        let later = t0 + Duration::from_secs(10);
        assert!(limiter.admit(ip("192.0.2.4"), later));
    }
}
