//! `base^e mod N` on AWS-LC's constant-time Montgomery exponentiation
//! (`BN_mod_exp_mont_consttime`, the routine AWS-LC uses for RSA and DH private-key
//! operations), for the two exponentiations whose base changes with every sign-in:
//! the server's `v^u` and `(A·v^u)^b`, and the client's `(B − k·g^x)^(a+u·x)`.
//!
//! Why FFI here: these two 3072-bit exponentiations were about 2.5 ms of the server's
//! SRP step in safe Rust (2.5 cycles per 64-bit multiply-add without `mulx`/`adx`).
//! AWS-LC's assembly does the same work in a fraction of that, and the library is already
//! linked for RSA signing (`aws-lc-rs`), so it adds no build cost and no new C code.
//!
//! This is the only `unsafe` in the workspace. Its contract is small:
//! * every pointer comes from the matching AWS-LC constructor, is checked for null, and is
//!   freed exactly once by a `Drop` guard (`Bn`, `Ctx`), so no path leaks or double-frees;
//! * byte buffers are passed with their exact lengths;
//! * the shared Montgomery context for N is built once and only ever read afterwards,
//!   which AWS-LC documents as safe from many threads (it is how `RSA` shares its own).
//!
//! Every failure (a null from an allocator, a 0 return) yields `None`, and the caller
//! falls back to the portable implementation: never a panic, never a wrong value.

use std::ptr;
use std::sync::OnceLock;

use aws_lc_sys as ffi;
use num_bigint::BigUint;

use crate::group::n;

/// Bytes of a 3072-bit value.
const N_BYTES: usize = 384;

/// An owned `BIGNUM`, cleared and freed on drop (it may hold a secret exponent).
struct Bn(*mut ffi::BIGNUM);

impl Bn {
    /// A BIGNUM holding the unsigned big-endian `bytes`.
    fn from_be(bytes: &[u8]) -> Option<Bn> {
        // SAFETY: `bytes` is a valid slice of `bytes.len()` bytes; a null `ret` asks AWS-LC
        // to allocate, and the result is checked for null before use.
        let raw = unsafe { ffi::BN_bin2bn(bytes.as_ptr(), bytes.len(), ptr::null_mut()) };
        (!raw.is_null()).then_some(Bn(raw))
    }

    fn new() -> Option<Bn> {
        // SAFETY: plain constructor; null is checked.
        let raw = unsafe { ffi::BN_new() };
        (!raw.is_null()).then_some(Bn(raw))
    }

    /// The value as exactly `N_BYTES` big-endian bytes (it is always < N).
    fn to_padded(&self) -> Option<[u8; N_BYTES]> {
        let mut out = [0u8; N_BYTES];
        // SAFETY: `out` is writable for `N_BYTES` bytes; `self.0` is a live BIGNUM.
        let ok = unsafe { ffi::BN_bn2bin_padded(out.as_mut_ptr(), N_BYTES, self.0) };
        (ok == 1).then_some(out)
    }
}

impl Drop for Bn {
    fn drop(&mut self) {
        // SAFETY: `self.0` came from an AWS-LC constructor and is freed only here.
        unsafe { ffi::BN_clear_free(self.0) }
    }
}

/// An owned `BN_CTX` (scratch space for one call).
struct Ctx(*mut ffi::BN_CTX);

impl Ctx {
    fn new() -> Option<Ctx> {
        // SAFETY: plain constructor; null is checked.
        let raw = unsafe { ffi::BN_CTX_new() };
        (!raw.is_null()).then_some(Ctx(raw))
    }
}

impl Drop for Ctx {
    fn drop(&mut self) {
        // SAFETY: `self.0` came from `BN_CTX_new` and is freed only here.
        unsafe { ffi::BN_CTX_free(self.0) }
    }
}

/// N and its Montgomery context, built once per process and then only read.
struct Modulus {
    n: Bn,
    mont: *mut ffi::BN_MONT_CTX,
}

// SAFETY: after construction neither pointer is written again: `BN_mod_exp_mont_consttime`
// takes N and the context as `const`, and AWS-LC allows a const BN_MONT_CTX to be used from
// several threads at once. The values are never freed (they live for the process).
unsafe impl Send for Modulus {}
// SAFETY: as above; shared access is read-only.
unsafe impl Sync for Modulus {}

fn modulus() -> Option<&'static Modulus> {
    static MODULUS: OnceLock<Option<Modulus>> = OnceLock::new();
    MODULUS
        .get_or_init(|| {
            let n = Bn::from_be(&n().to_bytes_be())?;
            let ctx = Ctx::new()?;
            // SAFETY: `n` and `ctx` are live; the result is checked for null.
            let mont = unsafe { ffi::BN_MONT_CTX_new_consttime(n.0, ctx.0) };
            (!mont.is_null()).then_some(Modulus { n, mont })
        })
        .as_ref()
}

/// `base^e mod N`, or `None` if AWS-LC could not allocate. The base is reduced first
/// (AWS-LC refuses unreduced inputs); the exponent is used as given.
pub(super) fn pow_mod_n(base: &BigUint, e: &[u8]) -> Option<BigUint> {
    let m = modulus()?;
    let reduced = base % n();
    let base = Bn::from_be(&reduced.to_bytes_be())?;
    let exponent = Bn::from_be(e)?;
    let result = Bn::new()?;
    let ctx = Ctx::new()?;
    // SAFETY: every pointer is a live object owned above or by the static `Modulus`;
    // `result` is the only one written, and it is distinct from the inputs.
    let ok = unsafe {
        ffi::BN_mod_exp_mont_consttime(result.0, base.0, exponent.0, m.n.0, ctx.0, m.mont)
    };
    if ok != 1 {
        return None;
    }
    Some(BigUint::from_bytes_be(&result.to_padded()?))
}
