//! End-to-end: `/metrics` read with Prometheus' own text parser (`prometheus_client`)
//! by `tests/python/test_metrics_prometheus.py`, against a server of its own so that the
//! counters move by exactly what the suite does.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod e2e_common;

use std::time::Duration;

use e2e_common::TestServer;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn prometheus_reads_the_counters_a_sign_in_moves() {
    let server = TestServer::start_with(keystep_testkit::TestOptions::default()).await;
    e2e_common::run_pytest(
        &server,
        "tests/python/test_metrics_prometheus.py",
        &[],
        Duration::from_secs(120),
    )
    .await;
}
