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

/// True when every byte is in the base64url alphabet and the length is possible.
pub fn is_valid(input: &[u8]) -> bool {
    input.len() % 4 != 1 && input.iter().all(|&b| DECODE[b as usize] != INVALID) && canonical_tail(input)
}

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
    out.resize(input.len() / 4 * 3 + (input.len() % 4).saturating_sub(1), 0);
    decode_to(input, out)
}

fn decode_to(input: &[u8], out: &mut [u8]) -> Option<()> {
    let mut chunks = input.chunks_exact(4);
    let mut o = 0;
    for c in &mut chunks {
        let (a, b, d, e) = (sym(c[0])?, sym(c[1])?, sym(c[2])?, sym(c[3])?);
        let n = (a << 18) | (b << 12) | (d << 6) | e;
        out[o..o + 3].copy_from_slice(&[(n >> 16) as u8, (n >> 8) as u8, n as u8]);
        o += 3;
    }
    match *chunks.remainder() {
        [a, b] => out[o] = ((sym(a)? << 18 | sym(b)? << 12) >> 16) as u8,
        [a, b, c] => {
            let n = (sym(a)? << 18) | (sym(b)? << 12) | (sym(c)? << 6);
            out[o..o + 2].copy_from_slice(&[(n >> 16) as u8, (n >> 8) as u8]);
        }
        _ => {}
    }
    Some(())
}

pub fn decode(input: &[u8]) -> Option<Vec<u8>> {
    let mut out = smallvec::SmallVec::<[u8; 0]>::new();
    decode_into(input, &mut out)?;
    Some(out.into_vec())
}

#[inline]
fn sym(c: u8) -> Option<u32> {
    match DECODE[c as usize] {
        INVALID => None,
        v => Some(v as u32),
    }
}

/// Encodes without padding.
pub fn encode(input: &[u8]) -> String {
    let mut out = Vec::with_capacity(input.len().div_ceil(3) * 4);
    encode_into(input, &mut out);
    // Only characters of the alphabet were written.
    String::from_utf8(out).unwrap_or_default()
}

/// Appends the unpadded encoding of `input` to `out`: four characters per
/// three bytes, then two or three for a remainder of one or two.
pub fn encode_into(input: &[u8], out: &mut Vec<u8>) {
    let start = out.len();
    out.resize(start + input.len() / 3 * 4 + (input.len() % 3 * 4).div_ceil(3), 0);
    let (mut chunks, mut slots) = (input.chunks_exact(3), out[start..].chunks_exact_mut(4));
    for (c, o) in (&mut chunks).zip(&mut slots) {
        let n = (c[0] as usize) << 16 | (c[1] as usize) << 8 | c[2] as usize;
        o.copy_from_slice(&[
            ENCODE[n >> 18],
            ENCODE[n >> 12 & 63],
            ENCODE[n >> 6 & 63],
            ENCODE[n & 63],
        ]);
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
            assert!(is_valid(text.as_bytes()));
            assert_eq!(decode(text.as_bytes()).unwrap(), data);
        }
    }

    #[test]
    fn rejects_padding_standard_alphabet_and_whitespace() {
        for bad in ["QQ==", "a+b/", "ab c", "ab\n", "QQ=", "A"] {
            assert!(decode(bad.as_bytes()).is_none(), "{bad}");
            assert!(!is_valid(bad.as_bytes()), "{bad}");
        }
    }

    #[test]
    fn rejects_non_canonical_trailing_bits() {
        // "QQ" is the canonical encoding of "A"; "QR" decodes to the same byte
        // with a non-zero unused bit.
        assert_eq!(decode(b"QQ").unwrap(), b"A");
        assert!(decode(b"QR").is_none());
        assert!(!is_valid(b"QR"));
        assert_eq!(decode(b"QUI").unwrap(), b"AB");
        assert!(decode(b"QUJ").is_none());
    }
}
