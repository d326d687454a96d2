//! Strict base64url (RFC 4648 §5) as JWS compact serialization requires
//! (RFC 7515 §2): no padding, no `+` or `/`, no whitespace, and the unused
//! trailing bits of the last character must be zero, so every byte string has
//! exactly one encoding.

const INVALID: u8 = 0xff;

const DECODE: [u8; 256] = {
    let mut t = [INVALID; 256];
    let alphabet = ENCODE;
    let mut i = 0;
    while i < 64 {
        t[alphabet[i] as usize] = i as u8;
        i += 1;
    }
    t
};

const ENCODE: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

fn canonical_tail(input: &[u8]) -> bool {
    match (input.len() % 4, input.last()) {
        (2, Some(&c)) => DECODE[c as usize] & 0x0f == 0,
        (3, Some(&c)) => DECODE[c as usize] & 0x03 == 0,
        _ => true,
    }
}

/// Decodes strict base64url into `out`, which is resized to fit. `None` on any
/// deviation. Generic so the verifier can decode into stack buffers.
pub fn decode_into<A: smallvec::Array<Item = u8>>(input: &[u8], out: &mut smallvec::SmallVec<A>) -> Option<()> {
    if input.len() % 4 == 1 || !canonical_tail(input) {
        return None;
    }
    out.clear();
    // Zeroed by block copies: SmallVec's resize writes one element at a time.
    let mut len = input.len() / 4 * 3 + (input.len() % 4).saturating_sub(1);
    while len > 0 {
        let n = len.min(ZEROS.len());
        out.extend_from_slice(&ZEROS[..n]);
        len -= n;
    }
    decode_to(input, out)
}

static ZEROS: [u8; 512] = [0; 512];

/// Table lookups without a branch per character: a sextet is at most 63, so
/// the OR of every looked-up value has bit 6 or 7 set only if some character
/// was outside the alphabet (INVALID), checked once at the end.
fn decode_to(input: &[u8], out: &mut [u8]) -> Option<()> {
    let sextet = |c: u8| DECODE[c as usize] as u32;
    let mut seen = 0;
    let (mut chunks, mut slots) = (input.chunks_exact(4), out.chunks_exact_mut(3));
    for (c, o) in (&mut chunks).zip(&mut slots) {
        let (a, b, d, e) = (sextet(c[0]), sextet(c[1]), sextet(c[2]), sextet(c[3]));
        seen |= a | b | d | e;
        let n = (a << 18) | (b << 12) | (d << 6) | e;
        o.copy_from_slice(&[(n >> 16) as u8, (n >> 8) as u8, n as u8]);
    }
    let tail = slots.into_remainder();
    match *chunks.remainder() {
        [a, b] => {
            let (a, b) = (sextet(a), sextet(b));
            seen |= a | b;
            tail[0] = ((a << 2) | (b >> 4)) as u8;
        }
        [a, b, d] => {
            let (a, b, d) = (sextet(a), sextet(b), sextet(d));
            seen |= a | b | d;
            let n = (a << 18) | (b << 12) | (d << 6);
            tail.copy_from_slice(&[(n >> 16) as u8, (n >> 8) as u8]);
        }
        _ => {}
    }
    (seen & !63 == 0).then_some(())
}

pub fn decode(input: &[u8]) -> Option<Vec<u8>> {
    let mut out = smallvec::SmallVec::<[u8; 0]>::new();
    decode_into(input, &mut out)?;
    Some(out.into_vec())
}

/// Encodes without padding.
pub fn encode(input: &[u8]) -> String {
    let mut out = Vec::with_capacity(input.len().div_ceil(3) * 4);
    encode_into(input, &mut out);
    // Only characters of the alphabet were written.
    String::from_utf8(out).unwrap_or_default()
}

/// Two characters for every 12-bit value: three input bytes take two lookups.
const ENCODE_PAIRS: [[u8; 2]; 4096] = {
    let mut t = [[0u8; 2]; 4096];
    let mut i = 0;
    while i < 4096 {
        t[i] = [ENCODE[i >> 6], ENCODE[i & 63]];
        i += 1;
    }
    t
};

/// Appends the unpadded encoding of `input` to `out`: four characters per
/// three bytes, then two or three for a remainder of one or two.
pub fn encode_into(input: &[u8], out: &mut Vec<u8>) {
    let start = out.len();
    out.resize(start + input.len() / 3 * 4 + (input.len() % 3 * 4).div_ceil(3), 0);
    let (mut chunks, mut slots) = (input.chunks_exact(3), out[start..].chunks_exact_mut(4));
    for (c, o) in (&mut chunks).zip(&mut slots) {
        let n = (c[0] as usize) << 16 | (c[1] as usize) << 8 | c[2] as usize;
        let ([a, b], [d, e]) = (ENCODE_PAIRS[n >> 12], ENCODE_PAIRS[n & 0xfff]);
        o.copy_from_slice(&[a, b, d, e]);
    }
    let tail = slots.into_remainder();
    match *chunks.remainder() {
        [a] => tail.copy_from_slice(&[ENCODE[a as usize >> 2], ENCODE[(a as usize & 3) << 4]]),
        [a, b] => {
            let n = (a as usize) << 8 | b as usize;
            tail.copy_from_slice(&[ENCODE[n >> 10], ENCODE[n >> 4 & 63], ENCODE[(n & 15) << 2]]);
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_every_length() {
        for len in 0..40u8 {
            let data: Vec<u8> = (0..len).map(|i| i.wrapping_mul(37).wrapping_add(len)).collect();
            let text = encode(&data);
            assert_eq!(decode(text.as_bytes()).unwrap(), data);
        }
    }

    #[test]
    fn rejects_padding_standard_alphabet_and_whitespace() {
        for bad in ["QQ==", "a+b/", "ab c", "ab\n", "QQ=", "A"] {
            assert!(decode(bad.as_bytes()).is_none(), "{bad}");
        }
    }

    #[test]
    fn rejects_non_canonical_trailing_bits() {
        // "QQ" is the canonical encoding of "A"; "QR" decodes to the same byte
        // with a non-zero unused bit.
        assert_eq!(decode(b"QQ").unwrap(), b"A");
        assert!(decode(b"QR").is_none());
        assert_eq!(decode(b"QUI").unwrap(), b"AB");
        assert!(decode(b"QUJ").is_none());
    }
}
