//! What the service-level integration tests share: a clock moved by hand and a
//! [`Keystep`] over a real store, with no triggers and no upstream.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

use keystep_core::keys::KeyRing;
use keystep_core::ports::{Clock, Messenger, Store, SystemRng};
use keystep_core::service::{Keystep, ServiceConfig};
use keystep_core::Millis;

/// A clock the test moves by hand.
pub struct TestClock(AtomicI64);

impl Clock for TestClock {
    fn now(&self) -> Millis {
        Millis(self.0.load(Ordering::SeqCst))
    }
}

impl TestClock {
    /// A clock at a fixed instant in November 2023.
    pub fn new() -> TestClock {
        TestClock(AtomicI64::new(1_700_000_000_000))
    }

    /// Moves the clock on.
    pub fn advance_secs(&self, secs: i64) {
        self.0.fetch_add(secs * 1000, Ordering::SeqCst);
    }
}

/// A service over `store` with `clock`, whose messages go to `messenger`.
pub fn keystep(
    store: Arc<dyn Store>,
    clock: Arc<TestClock>,
    messenger: Arc<dyn Messenger>,
) -> Keystep {
    let keys = KeyRing::new(&KeyRing::generate_master_key().unwrap()).unwrap();
    Keystep {
        auth_events: Arc::new(keystep_core::ports::DirectAuthEvents(store.clone())),
        store,
        clock,
        rng: Arc::new(SystemRng),
        delivery: keystep_core::service::dispatch::Delivery::outbox_only(messenger),
        keys: Arc::new(keys),
        legacy_keys: None,
        pool_key_cache: Default::default(),
        triggers: Arc::new(keystep_core::triggers::NoTriggers),
        upstream: Arc::new(keystep_core::ports::NoUpstream),
        config: ServiceConfig {
            region: "us-east-1".into(),
            account_id: "123456789012".into(),
            public_url: "http://localhost".into(),
            triggers: Default::default(),
            limits: Default::default(),
            domain_suffix: None,
        },
    }
}
