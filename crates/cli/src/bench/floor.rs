//! `keystep bench --crypto-floor`: what each workload's cryptography alone costs on this
//! machine, measured in this process with the same code the server runs.
//!
//! A server's CPU time per operation means little without it: the same binary reads 2x
//! apart on two virtual machines of the same kind. Run it next to a load run, and the
//! difference between the two is what the server spends on everything else (HTTP, JSON,
//! the store, the scheduler).

use std::hint::black_box;
use std::time::{Duration, Instant};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use keystep_core::signing::SigningKey;
use rand::RngCore;
use serde::Serialize;
use serde_json::json;

use super::workloads::{username, PASSWORD};

/// How long each primitive is repeated.
const EACH: Duration = Duration::from_millis(1500);

/// Microseconds per call of each primitive, and the sums each workload needs.
#[derive(Debug, Serialize)]
pub struct Floor {
    /// One RS256 signature of an access-token-sized JWT (2048-bit key).
    pub rs256_sign_us: f64,
    /// One RS256 verification.
    pub rs256_verify_us: f64,
    /// The server's SRP work for one sign-in: B = k·v + g^b, then S and K.
    pub srp_server_step_us: f64,
    /// One password verifier `g^x` (a password check, or setting a password).
    pub password_verifier_us: f64,
    /// Per operation of each workload: the primitives it cannot avoid.
    pub workloads_ms: Vec<(String, f64)>,
}

/// Runs each primitive for about 1.5 s and reports.
pub fn measure() -> Result<Floor, String> {
    let key = SigningKey::generate().map_err(|e| format!("signing key: {e}"))?;
    let claims = json!({
        "sub": "0b6d2b1c-5f2e-4a57-9b8e-3b5b4a1c9d10",
        "iss": "http://127.0.0.1:9229/us-east-1_XaMpLe123",
        "client_id": "4e7c1k2l3m4n5o6p7q8r9s0t1u",
        "origin_jti": "8d2f8c1e-6a55-4c3b-9a1e-2f4b7d6e5c3a",
        "event_id": "5b7c9d1e-3f5a-4b6c-8d7e-9f0a1b2c3d4e",
        "token_use": "access",
        "scope": "aws.cognito.signin.user.admin",
        "auth_time": 1_764_387_000,
        "exp": 1_764_390_600,
        "iat": 1_764_387_000,
        "jti": "0f9e8d7c-6b5a-4c3d-9e2f-1a0b9c8d7e6f",
        "username": username(1)
    });
    let token = key.sign_jwt(&claims).map_err(|e| format!("sign: {e}"))?;
    let rs256_sign_us = per_call(|| {
        black_box(key.sign_jwt(black_box(&claims)).is_ok());
    });

    let (signed, signature) = token.rsplit_once('.').ok_or("a JWT without a signature")?;
    let signature = URL_SAFE_NO_PAD
        .decode(signature)
        .map_err(|e| format!("signature: {e}"))?;
    if !key.verify(signed.as_bytes(), &signature) {
        return Err("the bench's own signature does not verify".into());
    }
    let rs256_verify_us = per_call(|| {
        black_box(key.verify(signed.as_bytes(), &signature));
    });

    let salt = [0x5a; 16];
    let user = username(1);
    let verifier = keystep_srp::verifier(&salt, "XaMpLe123", &user, PASSWORD);
    let mut a = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut a);
    let a_pub = keystep_srp::client_public(&a).map_err(|e| format!("SRP: {e}"))?;
    let srp_server_step_us = per_call(|| {
        let mut b = [0u8; 32];
        rand::thread_rng().fill_bytes(&mut b);
        if let Ok(b_pub) = keystep_srp::server_public(&verifier, &b) {
            black_box(keystep_srp::server_session_key(&a_pub, &b_pub, &b, &verifier).is_ok());
        }
    });
    let password_verifier_us = per_call(|| {
        black_box(keystep_srp::verifier(
            &salt,
            "XaMpLe123",
            &user,
            black_box(PASSWORD),
        ));
    });

    let pair = 2.0 * rs256_sign_us;
    let ms = |us: f64| us / 1000.0;
    let workloads_ms = vec![
        ("signup".to_string(), ms(password_verifier_us)),
        // Two verifiers: AdminCreateUser stores one for the temporary password it makes
        // (a user must be able to sign in with it), AdminSetUserPassword one for the new
        // password. SigV4's HMACs are a few microseconds.
        ("create".to_string(), ms(2.0 * password_verifier_us)),
        ("password".to_string(), ms(password_verifier_us + pair)),
        ("srp".to_string(), ms(srp_server_step_us + pair)),
        ("refresh".to_string(), ms(pair)),
        ("getuser".to_string(), ms(rs256_verify_us)),
    ];
    Ok(Floor {
        rs256_sign_us,
        rs256_verify_us,
        srp_server_step_us,
        password_verifier_us,
        workloads_ms,
    })
}

/// Mean microseconds per call of `f`, over about [`EACH`] after a short warm-up.
fn per_call(mut f: impl FnMut()) -> f64 {
    for _ in 0..3 {
        f();
    }
    let started = Instant::now();
    let mut calls = 0u64;
    while started.elapsed() < EACH {
        f();
        calls += 1;
    }
    started.elapsed().as_secs_f64() * 1e6 / calls.max(1) as f64
}

impl Floor {
    /// The human-readable report.
    pub fn render(&self) -> String {
        let mut out = String::from("cryptography on this machine, one core, this process\n");
        out += &format!("  RS256 sign          {:8.1} us\n", self.rs256_sign_us);
        out += &format!("  RS256 verify        {:8.1} us\n", self.rs256_verify_us);
        out += &format!("  SRP server step     {:8.1} us\n", self.srp_server_step_us);
        out += &format!(
            "  password verifier   {:8.1} us\n",
            self.password_verifier_us
        );
        out += "floor per operation (the server cannot spend less CPU than this)\n";
        for (name, ms) in &self.workloads_ms {
            out += &format!("  {name:<10} {ms:7.3} ms\n");
        }
        out
    }
}
