//! HMAC (RFC 2104) over aws-lc's SHA-2 block functions, with the key's inner
//! and outer states computed once. A tag costs two copies of a bare hash state
//! (112 or 216 bytes), the message's blocks and one outer block. aws-lc-rs's
//! `hmac::Key` copies a whole `HMAC_CTX` (three hash contexts and their method
//! tables) per tag, which cost a sixth of an HS256 verify.

use aws_lc_sys as sys;

use super::alg::Algorithm;

/// The longest tag (HMAC-SHA-512).
pub const MAX_TAG: usize = 64;

/// A secret's precomputed states for one hash: the states after absorbing
/// `K xor ipad` and `K xor opad` (RFC 2104 §2). Wiped on drop.
#[derive(Clone)]
pub struct HmacKey {
    inner: State,
    outer: State,
}

#[derive(Clone, Copy)]
enum State {
    Sha256(sys::SHA256_CTX),
    Sha384(sys::SHA512_CTX),
    Sha512(sys::SHA512_CTX),
}

/// A tag: `len` bytes of `bytes`.
pub struct Tag {
    bytes: [u8; MAX_TAG],
    len: usize,
}

impl AsRef<[u8]> for Tag {
    fn as_ref(&self) -> &[u8] {
        &self.bytes[..self.len]
    }
}

impl HmacKey {
    /// `alg` is HS256, HS384 or HS512 (anything else is taken as HS512).
    pub fn new(alg: Algorithm, secret: &[u8]) -> HmacKey {
        let fresh = State::new(alg);
        // RFC 2104 §2: a key longer than the block is hashed first; then zero-padded.
        let mut block = [0u8; 128];
        let size = fresh.block_len();
        if secret.len() > size {
            let mut digest = fresh;
            digest.update(secret);
            let mut hashed = digest.finish();
            block[..hashed.len].copy_from_slice(hashed.as_ref());
            wipe(&mut hashed.bytes);
        } else {
            block[..secret.len()].copy_from_slice(secret);
        }
        let pad = |byte: u8| {
            let mut padded = block;
            padded[..size].iter_mut().for_each(|b| *b ^= byte);
            let mut state = fresh;
            state.update(&padded[..size]);
            wipe(&mut padded);
            state
        };
        let key = HmacKey {
            inner: pad(0x36),
            outer: pad(0x5c),
        };
        wipe(&mut block);
        key
    }

    /// The tag of `message`.
    pub fn sign(&self, message: &[u8]) -> Tag {
        let mut inner = self.inner;
        inner.update(message);
        let inner_hash = inner.finish();
        let mut outer = self.outer;
        outer.update(inner_hash.as_ref());
        outer.finish()
    }

    /// Whether `tag` is the tag of `message`, compared in constant time.
    pub fn verify(&self, message: &[u8], tag: &[u8]) -> bool {
        let expected = self.sign(message);
        let expected = expected.as_ref();
        // The length is public (fixed by the algorithm); the bytes are compared without early exit.
        expected.len() == tag.len()
            && unsafe { sys::CRYPTO_memcmp(expected.as_ptr().cast(), tag.as_ptr().cast(), tag.len()) } == 0
    }

    /// Tag length in bytes.
    pub fn tag_len(&self) -> usize {
        self.inner.tag_len()
    }
}

impl Drop for HmacKey {
    fn drop(&mut self) {
        self.inner.wipe();
        self.outer.wipe();
    }
}

// Safety of the calls below: each context is a plain C struct that the
// matching *_Init initialised (copies of it are valid contexts: the structs
// hold no pointers), and every pointer/length pair comes from a live slice.
impl State {
    fn new(alg: Algorithm) -> State {
        unsafe {
            match alg {
                Algorithm::HS256 => {
                    let mut c = std::mem::zeroed();
                    sys::SHA256_Init(&mut c);
                    State::Sha256(c)
                }
                Algorithm::HS384 => {
                    let mut c = std::mem::zeroed();
                    sys::SHA384_Init(&mut c);
                    State::Sha384(c)
                }
                _ => {
                    let mut c = std::mem::zeroed();
                    sys::SHA512_Init(&mut c);
                    State::Sha512(c)
                }
            }
        }
    }

    fn block_len(&self) -> usize {
        match self {
            State::Sha256(_) => 64,
            State::Sha384(_) | State::Sha512(_) => 128,
        }
    }

    fn tag_len(&self) -> usize {
        match self {
            State::Sha256(_) => 32,
            State::Sha384(_) => 48,
            State::Sha512(_) => 64,
        }
    }

    fn update(&mut self, data: &[u8]) {
        let (p, n) = (data.as_ptr().cast(), data.len());
        unsafe {
            match self {
                State::Sha256(c) => sys::SHA256_Update(c, p, n),
                State::Sha384(c) => sys::SHA384_Update(c, p, n),
                State::Sha512(c) => sys::SHA512_Update(c, p, n),
            };
        }
    }

    fn finish(mut self) -> Tag {
        let mut tag = Tag {
            bytes: [0; MAX_TAG],
            len: self.tag_len(),
        };
        unsafe {
            match &mut self {
                State::Sha256(c) => sys::SHA256_Final(tag.bytes.as_mut_ptr(), c),
                State::Sha384(c) => sys::SHA384_Final(tag.bytes.as_mut_ptr(), c),
                State::Sha512(c) => sys::SHA512_Final(tag.bytes.as_mut_ptr(), c),
            };
        }
        tag
    }

    fn wipe(&mut self) {
        let (p, n) = match self {
            State::Sha256(c) => (c as *mut sys::SHA256_CTX as *mut u8, std::mem::size_of_val(c)),
            State::Sha384(c) | State::Sha512(c) => (c as *mut sys::SHA512_CTX as *mut u8, std::mem::size_of_val(c)),
        };
        unsafe { sys::OPENSSL_cleanse(p.cast(), n) };
    }
}

fn wipe(bytes: &mut [u8]) {
    unsafe { sys::OPENSSL_cleanse(bytes.as_mut_ptr().cast(), bytes.len()) };
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_lc_rs::hmac;

    fn reference(alg: Algorithm, key: &[u8], message: &[u8]) -> Vec<u8> {
        let a = match alg {
            Algorithm::HS256 => hmac::HMAC_SHA256,
            Algorithm::HS384 => hmac::HMAC_SHA384,
            _ => hmac::HMAC_SHA512,
        };
        hmac::sign(&hmac::Key::new(a, key), message).as_ref().to_vec()
    }

    #[test]
    fn matches_aws_lc_for_every_key_length_around_the_block_and_many_messages() {
        for alg in [Algorithm::HS256, Algorithm::HS384, Algorithm::HS512] {
            for key_len in (0..140).chain([200, 300]) {
                let key: Vec<u8> = (0..key_len).map(|i| (i * 7 + key_len) as u8).collect();
                let ours = HmacKey::new(alg, &key);
                for msg_len in [0, 1, 55, 56, 63, 64, 65, 111, 112, 127, 128, 129, 300] {
                    let msg: Vec<u8> = (0..msg_len).map(|i| (i * 13) as u8).collect();
                    let want = reference(alg, &key, &msg);
                    assert_eq!(ours.sign(&msg).as_ref(), &want[..], "{alg} key {key_len} msg {msg_len}");
                    assert!(ours.verify(&msg, &want));
                }
            }
        }
    }

    #[test]
    fn rfc_4231_test_case_2() {
        let key = HmacKey::new(Algorithm::HS256, b"Jefe");
        let tag = key.sign(b"what do ya want for nothing?");
        let hex: String = tag.as_ref().iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(hex, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    }

    #[test]
    fn verify_refuses_a_changed_truncated_or_extended_tag() {
        let key = HmacKey::new(Algorithm::HS256, b"secret");
        let tag = key.sign(b"message").as_ref().to_vec();
        let mut changed = tag.clone();
        changed[31] ^= 1;
        assert!(!key.verify(b"message", &changed));
        assert!(!key.verify(b"message", &tag[..31]));
        assert!(!key.verify(b"message", &[&tag[..], &[0]].concat()));
        assert!(!key.verify(b"other", &tag));
        assert_eq!(key.tag_len(), 32);
    }
}
