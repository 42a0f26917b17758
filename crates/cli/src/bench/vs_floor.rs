//! `keystep bench --vs-floor`: the crypto floor and a workload in one run, and the
//! server's CPU per operation set against it — the ratio, the CPU above the floor, and
//! whether that stays within the performance target (0.10 ms per writing request, 0.05 ms
//! per reading one), so anyone can check the targets on their own machine.

use serde::Serialize;

use super::args::Workload;
use super::floor::Floor;
use super::stats::ServerUsage;

/// The workload's requests: how many write and how many only read.
fn requests(workload: Workload) -> (u32, u32) {
    match workload {
        // SignUp, AdminConfirmSignUp.
        Workload::Signup => (2, 0),
        Workload::Password => (1, 0),
        // InitiateAuth, RespondToAuthChallenge.
        Workload::Srp => (2, 0),
        // ... and the SMS_MFA answer; the outbox read is the bench's, not the workload's.
        Workload::SrpMfa => (3, 0),
        Workload::Refresh => (1, 0),
        Workload::Getuser => (0, 1),
        // AdminCreateUser, AdminSetUserPassword.
        Workload::Create => (2, 0),
    }
}

/// The most CPU above the floor the target allows per operation, in ms.
pub fn target_above_floor_ms(workload: Workload) -> f64 {
    let (writes, reads) = requests(workload);
    f64::from(writes) * 0.10 + f64::from(reads) * 0.05
}

/// The comparison.
#[derive(Debug, Clone, Serialize)]
pub struct VsFloor {
    /// The workload's crypto floor, ms per operation.
    pub floor_ms_per_op: f64,
    /// The server's CPU, ms per operation.
    pub server_cpu_ms_per_op: f64,
    /// Server CPU over floor.
    pub ratio: f64,
    /// Server CPU minus floor.
    pub above_floor_ms: f64,
    /// What the target allows above the floor.
    pub target_above_floor_ms: f64,
    /// Whether it holds.
    pub within_target: bool,
}

/// Compares, when the floor knows the workload.
pub fn compare(workload: Workload, floor: &Floor, server: &ServerUsage) -> Option<VsFloor> {
    let floor_name = match workload {
        // The MFA step adds no cryptography beyond the SRP sign-in's.
        Workload::SrpMfa => "srp",
        other => other.name(),
    };
    let floor_ms = floor
        .workloads_ms
        .iter()
        .find(|(name, _)| name == floor_name)
        .map(|(_, ms)| *ms)?;
    let target = target_above_floor_ms(workload);
    let above = server.cpu_ms_per_op - floor_ms;
    Some(VsFloor {
        floor_ms_per_op: floor_ms,
        server_cpu_ms_per_op: server.cpu_ms_per_op,
        ratio: server.cpu_ms_per_op / floor_ms.max(f64::MIN_POSITIVE),
        above_floor_ms: above,
        target_above_floor_ms: target,
        within_target: above <= target,
    })
}

impl VsFloor {
    /// The lines for people.
    pub fn render(&self) -> String {
        format!(
            "vs floor     server {:.3} ms CPU per op, floor {:.3} ms: {:.2}x, {:.3} ms above \
             (target ≤ {:.2} ms above: {})\n",
            self.server_cpu_ms_per_op,
            self.floor_ms_per_op,
            self.ratio,
            self.above_floor_ms,
            self.target_above_floor_ms,
            if self.within_target { "met" } else { "NOT met" }
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn floor() -> Floor {
        Floor {
            rs256_sign_us: 0.0,
            rs256_verify_us: 0.0,
            srp_server_step_us: 0.0,
            password_verifier_us: 0.0,
            workloads_ms: vec![
                ("password".into(), 0.75),
                ("getuser".into(), 0.02),
                ("srp".into(), 1.8),
            ],
        }
    }

    fn server(cpu_ms_per_op: f64) -> ServerUsage {
        ServerUsage {
            pid: 1,
            cpu_ms: 0.0,
            cpu_ms_per_op,
            cores_busy: 0.0,
            peak_rss_kib: 0,
            rss_kib: 0,
        }
    }

    #[test]
    fn targets_follow_the_requests() {
        assert!((target_above_floor_ms(Workload::Password) - 0.10).abs() < 1e-9);
        assert!((target_above_floor_ms(Workload::Srp) - 0.20).abs() < 1e-9);
        assert!((target_above_floor_ms(Workload::Getuser) - 0.05).abs() < 1e-9);
    }

    #[test]
    fn the_verdict_compares_cpu_above_the_floor_with_the_target() {
        let f = floor();
        let met = compare(Workload::Password, &f, &server(0.80)).unwrap_or_else(|| unreachable!());
        assert!(met.within_target && (met.above_floor_ms - 0.05).abs() < 1e-9);
        let missed =
            compare(Workload::Password, &f, &server(1.29)).unwrap_or_else(|| unreachable!());
        assert!(!missed.within_target);
        assert!((missed.ratio - 1.72).abs() < 0.01);
        assert!(
            compare(Workload::SrpMfa, &f, &server(2.0)).is_some(),
            "srp-mfa uses srp's floor"
        );
        assert!(
            compare(Workload::Refresh, &f, &server(1.0)).is_none(),
            "no floor, no verdict"
        );
    }
}
