//! Modular exponentiation modulo the fixed group prime N, on fixed-size Montgomery limbs.
//!
//! Two entry points:
//!
//! * [`pow_g`]: `g^e mod N` for the generator, from a comb table built once per process
//!   (`OnceLock`). Row `i` of the table holds `g^(j·2^(W·i))` for every W-bit digit `j`,
//!   so `g^e` is one Montgomery multiplication per W-bit digit of `e` and no squarings.
//!   Exponents longer than the table covers fall back to [`pow_mod_n`].
//! * [`pow_mod_n`]: `base^e mod N` for any base, a fixed-window (4-bit) exponentiation.
//!
//! # Side channels: what is and is not constant time
//!
//! Inside this module the work is meant not to depend on the *values* of the secret
//! operands (exponents, and the bases derived from secrets):
//!
//! * every Montgomery multiplication and squaring runs the same loops over all 48 limbs;
//! * the final conditional subtraction of N, and the choice of a table entry, go through
//!   `subtle` (`ConditionallySelectable`, `ConstantTimeEq`), whose `Choice` is an
//!   optimisation barrier. This matters: with a hand-written mask, LLVM compiled the
//!   subtraction's selection into a branch plus a conditional `memcpy` (seen in the x86-64
//!   release build);
//! * a table entry is selected by reading *every* entry of the row, so the memory access
//!   pattern does not depend on the exponent digit;
//! * the number of steps depends only on the exponent's *byte length as passed in*
//!   (leading zero bytes are kept), which is public: 32 bytes for `a`, `b` and `x`.
//!
//! This is best effort, not a verified constant-time implementation. The compiler makes no
//! promise to keep code branch-free; `u128` products are single `mul` instructions on
//! x86-64 and aarch64 but a library call on 32-bit targets such as wasm32. And outside this
//! module the crate still uses `num-bigint`, which is *not* constant time: for reducing
//! inputs modulo N, for `k·v + g^b` and `A·v^u`, for converting results to bytes (which
//! drops leading zeros), and for the client's exponent `a + u·x`. Those steps can leak the
//! lengths of intermediate values (such as the bit length of `g^b`), though not the
//! exponent bits that a square-and-multiply timing attack reads off. Before this module
//! every exponentiation was `num_bigint::BigUint::modpow`, which is not constant time at all.
//!
//! The portable code is plain safe Rust on `[u64; 48]`, so the crate still builds for WASM
//! without its default `aws-lc` feature. With that feature, [`pow_mod_n`] runs on AWS-LC
//! instead (see `aws_lc`), whose exponentiation is constant time by design.

#[cfg(feature = "aws-lc")]
#[allow(unsafe_code)]
mod aws_lc;

use std::sync::OnceLock;

use num_bigint::BigUint;
use subtle::{Choice, ConditionallySelectable, ConstantTimeEq};

use crate::group::{g, n};

/// 64-bit limbs of a 3072-bit value.
const LIMBS: usize = 48;

/// A residue modulo N, little-endian 64-bit limbs, always fully reduced (< N).
type Limbs = [u64; LIMBS];

/// Comb window width for the fixed-base table (bits of exponent per multiplication).
const W: usize = 5;
/// Entries per table row, one for each W-bit digit (including 0, which is 1).
const ROW: usize = 1 << W;
/// Longest exponent the table covers, in bytes: 512 bits, twice the 256-bit secrets
/// (`x` is a SHA-256 output; `a` and `b` are 32 random bytes) that the protocol uses.
const TABLE_BYTES: usize = 64;
/// Rows of the table: one per W-bit digit of a `TABLE_BYTES`-byte exponent.
const ROWS: usize = (TABLE_BYTES * 8).div_ceil(W);

/// The modulus and the constants of Montgomery arithmetic with R = 2^3072.
struct Monty {
    n: Limbs,
    /// `-N^-1 mod 2^64`.
    n0_inv: u64,
    /// `R^2 mod N`, to move values into Montgomery form.
    r2: Limbs,
    /// `R mod N`: 1 in Montgomery form.
    one: Limbs,
}

fn monty() -> &'static Monty {
    static M: OnceLock<Monty> = OnceLock::new();
    M.get_or_init(|| {
        let n_big = n();
        let n = to_limbs(n_big);
        // Newton iteration for N^-1 mod 2^64 (N is odd): each step doubles the correct bits.
        let mut inv: u64 = 1;
        for _ in 0..6 {
            inv = inv.wrapping_mul(2u64.wrapping_sub(n[0].wrapping_mul(inv)));
        }
        let r = BigUint::from(1u32) << (64 * LIMBS);
        let one = to_limbs(&(&r % n_big));
        let r2 = to_limbs(&((&r * &r) % n_big));
        Monty {
            n,
            n0_inv: inv.wrapping_neg(),
            r2,
            one,
        }
    })
}

/// Limbs of a value below 2^3072 (callers reduce modulo N first).
fn to_limbs(v: &BigUint) -> Limbs {
    let mut out = [0u64; LIMBS];
    for (slot, digit) in out.iter_mut().zip(v.iter_u64_digits()) {
        *slot = digit;
    }
    out
}

fn from_limbs(v: &Limbs) -> BigUint {
    let mut bytes = Vec::with_capacity(LIMBS * 8);
    for limb in v.iter().rev() {
        bytes.extend_from_slice(&limb.to_be_bytes());
    }
    BigUint::from_bytes_be(&bytes)
}

/// `a·b·R^-1 mod N` (FIOS Montgomery multiplication: each row of the product is added and
/// reduced in one pass, two independent carry chains); inputs and output are below N.
///
/// Straight-line over all limbs; the final subtraction of N is selected by mask.
fn mont_mul(a: &Limbs, b: &Limbs, m: &Monty) -> Limbs {
    let n = &m.n;
    // t < 2N throughout, so the top limb t[LIMBS] is 0 or 1.
    let mut t = [0u64; LIMBS + 1];
    for &bi in b.iter() {
        let bi = u128::from(bi);
        let s = u128::from(t[0]) + u128::from(a[0]) * bi;
        let mut c1 = (s >> 64) as u64;
        let low = s as u64;
        // q makes the low limb of t + a·b[i] + q·N vanish, so the sum divides by 2^64.
        let q = low.wrapping_mul(m.n0_inv);
        let qq = u128::from(q);
        let s = u128::from(low) + qq * u128::from(n[0]);
        let mut c2 = (s >> 64) as u64;
        for j in 1..LIMBS {
            let s1 = u128::from(t[j]) + u128::from(a[j]) * bi + u128::from(c1);
            c1 = (s1 >> 64) as u64;
            let s2 = u128::from(s1 as u64) + qq * u128::from(n[j]) + u128::from(c2);
            c2 = (s2 >> 64) as u64;
            t[j - 1] = s2 as u64;
        }
        let s = u128::from(t[LIMBS]) + u128::from(c1) + u128::from(c2);
        t[LIMBS - 1] = s as u64;
        t[LIMBS] = (s >> 64) as u64;
    }
    let (low, top) = t.split_at(LIMBS);
    reduce_once(low, top[0], n)
}

/// `a²·R^-1 mod N`: the square (each cross product computed once and doubled, about half
/// the multiplications of [`mont_mul`]) followed by a separate Montgomery reduction.
fn mont_sqr(a: &Limbs, m: &Monty) -> Limbs {
    let mut t = [0u64; 2 * LIMBS];
    // Cross products a[i]·a[j], i < j.
    for i in 0..LIMBS {
        let ai = u128::from(a[i]);
        let mut carry = 0u64;
        for j in (i + 1)..LIMBS {
            let s = u128::from(t[i + j]) + ai * u128::from(a[j]) + u128::from(carry);
            t[i + j] = s as u64;
            carry = (s >> 64) as u64;
        }
        t[i + LIMBS] = carry;
    }
    // Doubled (a² < 2^6144, so nothing shifts out of the top).
    let mut carry = 0u64;
    for limb in t.iter_mut() {
        let out = *limb >> 63;
        *limb = (*limb << 1) | carry;
        carry = out;
    }
    // Plus the squares a[i]².
    let mut carry = 0u64;
    for (i, &ai) in a.iter().enumerate() {
        let sq = u128::from(ai) * u128::from(ai);
        let s = u128::from(t[2 * i]) + u128::from(sq as u64) + u128::from(carry);
        t[2 * i] = s as u64;
        let s = u128::from(t[2 * i + 1]) + (sq >> 64) + (s >> 64);
        t[2 * i + 1] = s as u64;
        carry = (s >> 64) as u64;
    }
    // Montgomery reduction: add q·N·2^(64i) to clear limb i, 48 times, then drop 48 limbs.
    let n = &m.n;
    let mut top = 0u64;
    for i in 0..LIMBS {
        let q = u128::from(t[i].wrapping_mul(m.n0_inv));
        let mut carry = 0u64;
        for (tj, &nj) in t[i..i + LIMBS].iter_mut().zip(n.iter()) {
            let s = u128::from(*tj) + q * u128::from(nj) + u128::from(carry);
            *tj = s as u64;
            carry = (s >> 64) as u64;
        }
        let s = u128::from(t[i + LIMBS]) + u128::from(carry) + u128::from(top);
        t[i + LIMBS] = s as u64;
        top = (s >> 64) as u64;
    }
    reduce_once(&t[LIMBS..], top, n)
}

/// `t mod N` for `t = top·2^3072 + low < 2N` (`top` is 0 or 1): `t − N` when that does not
/// go negative, else `t`, chosen by mask rather than by branch.
fn reduce_once(low: &[u64], top: u64, n: &Limbs) -> Limbs {
    let mut r = [0u64; LIMBS];
    let mut borrow = 0u64;
    for ((rj, &tj), &nj) in r.iter_mut().zip(low.iter()).zip(n.iter()) {
        let (d, b1) = tj.overflowing_sub(nj);
        let (d, b2) = d.overflowing_sub(borrow);
        *rj = d;
        borrow = u64::from(b1 | b2);
    }
    // Negative iff the borrow out of the low limbs exceeds the top limb. The choice goes
    // through `subtle` (an optimisation barrier): with a plain mask the compiler turned
    // this selection into a branch and a conditional `memcpy`.
    let (_, negative) = top.overflowing_sub(borrow);
    let keep_t = Choice::from(u8::from(negative));
    for (rj, tj) in r.iter_mut().zip(low.iter()) {
        rj.conditional_assign(tj, keep_t);
    }
    r
}

/// `entries[index]`, reading every entry and keeping one by mask, so that which entry was
/// wanted does not show in the memory access pattern.
fn ct_select(entries: &[Limbs], index: usize) -> Limbs {
    let mut out = [0u64; LIMBS];
    let index = index as u64;
    for (j, entry) in (0u64..).zip(entries.iter()) {
        let wanted = j.ct_eq(&index);
        for (o, e) in out.iter_mut().zip(entry.iter()) {
            o.conditional_assign(e, wanted);
        }
    }
    out
}

/// Bits `[start, start + width)` of the big-endian integer `e` (bit 0 = least significant);
/// bits beyond the end read as zero. Branch-free in the bit values.
fn window(e: &[u8], start: usize, width: usize) -> usize {
    let mut digit = 0usize;
    for k in 0..width {
        let bit = start + k;
        let byte = bit / 8;
        if byte < e.len() {
            let b = e[e.len() - 1 - byte];
            digit |= usize::from((b >> (bit % 8)) & 1) << k;
        }
    }
    digit
}

/// `g^(j·2^(W·i))` in Montgomery form, `ROWS × ROW` entries.
fn table() -> &'static [[Limbs; ROW]] {
    static T: OnceLock<Vec<[Limbs; ROW]>> = OnceLock::new();
    T.get_or_init(|| {
        let m = monty();
        let mut rows = Vec::with_capacity(ROWS);
        // g^(2^(W·i)) in Montgomery form, starting at i = 0.
        let mut base = mont_mul(&to_limbs(g()), &m.r2, m);
        for _ in 0..ROWS {
            let mut row = [[0u64; LIMBS]; ROW];
            row[0] = m.one;
            for j in 1..ROW {
                row[j] = mont_mul(&row[j - 1], &base, m);
            }
            // base^(2^W) = (base^(2^W - 1))·base
            base = mont_mul(&row[ROW - 1], &base, m);
            rows.push(row);
        }
        rows
    })
}

/// `g^e mod N` for the big-endian exponent `e`, from the fixed-base table when `e` is at
/// most 512 bits long (as passed: leading zero bytes count), else by [`pow_mod_n`].
pub(crate) fn pow_g(e: &[u8]) -> BigUint {
    if e.len() > TABLE_BYTES {
        return pow_mod_n(g(), e);
    }
    let m = monty();
    let table = table();
    let digits = (e.len() * 8).div_ceil(W);
    let mut acc = m.one;
    for (i, row) in table.iter().take(digits).enumerate() {
        let entry = ct_select(row, window(e, i * W, W));
        acc = mont_mul(&acc, &entry, m);
    }
    from_limbs(&mont_mul(&acc, &one_plain(), m))
}

/// 1 as plain limbs: a Montgomery multiplication by it leaves Montgomery form.
fn one_plain() -> Limbs {
    let mut one = [0u64; LIMBS];
    one[0] = 1;
    one
}

/// Window of the generic exponentiation.
const GW: usize = 4;

/// `base^e mod N` for any base and big-endian exponent `e`.
///
/// With the `aws-lc` feature (the default) this is AWS-LC's constant-time Montgomery
/// exponentiation, about four times faster than the portable path here; the portable path
/// remains for builds without native code (WASM) and as the fallback if AWS-LC fails to
/// allocate.
pub(crate) fn pow_mod_n(base: &BigUint, e: &[u8]) -> BigUint {
    #[cfg(feature = "aws-lc")]
    if let Some(result) = aws_lc::pow_mod_n(base, e) {
        return result;
    }
    pow_mod_n_portable(base, e)
}

/// The portable `base^e mod N`: fixed 4-bit windows, table entries selected in constant
/// time. The step count depends on `e.len()` only.
fn pow_mod_n_portable(base: &BigUint, e: &[u8]) -> BigUint {
    let m = monty();
    let reduced = base % n();
    let b = mont_mul(&to_limbs(&reduced), &m.r2, m);
    let mut powers = [[0u64; LIMBS]; 1 << GW];
    powers[0] = m.one;
    for j in 1..(1 << GW) {
        powers[j] = mont_mul(&powers[j - 1], &b, m);
    }
    let digits = (e.len() * 8).div_ceil(GW);
    let mut acc = m.one;
    for i in (0..digits).rev() {
        for _ in 0..GW {
            acc = mont_sqr(&acc, m);
        }
        let entry = ct_select(&powers, window(e, i * GW, GW));
        acc = mont_mul(&acc, &entry, m);
    }
    from_limbs(&mont_mul(&acc, &one_plain(), m))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reference(base: &BigUint, e: &[u8]) -> BigUint {
        base.modpow(&BigUint::from_bytes_be(e), n())
    }

    fn pseudo_random_bytes(len: usize, seed: u64) -> Vec<u8> {
        let mut state = seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
        (0..len)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                state as u8
            })
            .collect()
    }

    #[test]
    fn squaring_matches_multiplication() {
        let m = monty();
        for seed in 0..20 {
            let v = BigUint::from_bytes_be(&pseudo_random_bytes(400, 100 + seed)) % n();
            let a = to_limbs(&v);
            assert_eq!(mont_sqr(&a, m), mont_mul(&a, &a, m), "seed {seed}");
        }
        let n_minus_1 = to_limbs(&(n() - 1u32));
        assert_eq!(mont_sqr(&n_minus_1, m), mont_mul(&n_minus_1, &n_minus_1, m));
        let zero = [0u64; LIMBS];
        assert_eq!(mont_sqr(&zero, m), zero);
    }

    #[test]
    fn pow_g_matches_modpow() {
        let cases: Vec<Vec<u8>> = vec![
            vec![0],
            vec![1],
            vec![2],
            vec![0xff; 32],
            vec![0xff; 64],
            vec![0, 0, 0, 5],
            pseudo_random_bytes(32, 1),
            pseudo_random_bytes(33, 2),
            pseudo_random_bytes(64, 3),
            // longer than the table: the generic path
            pseudo_random_bytes(65, 4),
            pseudo_random_bytes(128, 5),
        ];
        for e in cases {
            assert_eq!(pow_g(&e), reference(g(), &e), "exponent {e:02x?}");
        }
    }

    #[test]
    fn pow_mod_n_matches_modpow() {
        let n_minus_1 = n() - 1u32;
        let bases = [
            BigUint::from(0u32),
            BigUint::from(1u32),
            BigUint::from(3u32),
            n_minus_1.clone(),
            n().clone(),
            n() + 7u32,
            BigUint::from_bytes_be(&pseudo_random_bytes(384, 6)),
            BigUint::from_bytes_be(&pseudo_random_bytes(400, 7)),
        ];
        for (i, base) in bases.iter().enumerate() {
            for e in [
                vec![0u8],
                vec![1],
                pseudo_random_bytes(32, 10 + i as u64),
                pseudo_random_bytes(64, 20 + i as u64),
            ] {
                let expected = reference(base, &e);
                assert_eq!(pow_mod_n(base, &e), expected, "base {i}");
                assert_eq!(pow_mod_n_portable(base, &e), expected, "portable, base {i}");
                // The native path must really answer, not fall back silently.
                #[cfg(feature = "aws-lc")]
                assert_eq!(
                    aws_lc::pow_mod_n(base, &e),
                    Some(expected),
                    "aws-lc, base {i}"
                );
            }
        }
    }
}
