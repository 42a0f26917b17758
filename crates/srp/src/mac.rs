//! An infallible HMAC-SHA256 constructor.

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

pub(crate) type HmacSha256 = Hmac<Sha256>;

const BLOCK: usize = 64;

/// `Hmac::new_from_slice` returns a `Result` although HMAC accepts any key length, and this
/// crate may not unwrap. RFC 2104 defines the key as zero-padded to the block size (after
/// hashing it when longer than a block), so building that block here and using the
/// fixed-size constructor gives the same MAC without a fallible call.
pub(crate) fn hmac_sha256(key: &[u8]) -> HmacSha256 {
    let mut block = [0u8; BLOCK];
    if key.len() > BLOCK {
        block[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        block[..key.len()].copy_from_slice(key);
    }
    <HmacSha256 as Mac>::new(&block.into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use hmac::Mac;

    #[test]
    fn matches_new_from_slice_for_every_key_length_class() {
        for len in [0usize, 1, 16, 32, 63, 64, 65, 100, 200] {
            let key: Vec<u8> = (0..len).map(|i| (i * 7 + 3) as u8).collect();
            let mut ours = hmac_sha256(&key);
            let mut reference = HmacSha256::new_from_slice(&key).unwrap();
            ours.update(b"message");
            reference.update(b"message");
            assert_eq!(
                ours.finalize().into_bytes(),
                reference.finalize().into_bytes(),
                "key length {len}"
            );
        }
    }
}
