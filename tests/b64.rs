//! The branch-free base64url decoder against a plain reference, on every byte
//! value at every position of short inputs: it must refuse exactly what the
//! reference refuses and decode everything else the same.

use revocable::core::b64;

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// RFC 4648 §5 without padding, refusing non-zero trailing bits, one character at a time.
fn reference(input: &[u8]) -> Option<Vec<u8>> {
    if input.len() % 4 == 1 {
        return None;
    }
    let mut bits = 0u32;
    let mut count = 0;
    let mut out = Vec::new();
    for &c in input {
        let v = ALPHABET.iter().position(|&a| a == c)? as u32;
        bits = (bits << 6) | v;
        count += 6;
        if count >= 8 {
            count -= 8;
            out.push((bits >> count) as u8);
            bits &= (1 << count) - 1;
        }
    }
    (bits == 0).then_some(out)
}

#[test]
fn every_byte_at_every_position_decodes_as_the_reference_does() {
    let mut seed = 0x9e37_79b9_u32;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 17;
        seed ^= seed << 5;
        seed
    };
    for len in 0..14 {
        for _ in 0..4 {
            let base: Vec<u8> = (0..len).map(|_| ALPHABET[(next() % 64) as usize]).collect();
            assert_eq!(
                b64::decode(&base),
                reference(&base),
                "{:?}",
                String::from_utf8_lossy(&base)
            );
            for pos in 0..len {
                for byte in 0..=255u8 {
                    let mut input = base.clone();
                    input[pos] = byte;
                    assert_eq!(b64::decode(&input), reference(&input), "{input:?}");
                }
            }
        }
    }
}
