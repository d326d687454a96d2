//! Just enough DER for RSA public keys (RFC 8017 A.1.1):
//! `RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER }`,
//! and the SubjectPublicKeyInfo around it (RFC 5280 §4.1), read only to find
//! RSA-PSS keys (RFC 4055 §3.1), which the PEM reader does not know.

/// id-RSASSA-PSS, 1.2.840.113549.1.1.10, as DER OID contents.
pub const OID_RSASSA_PSS: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0a];
/// id-sha256 / id-sha384 / id-sha512 (2.16.840.1.101.3.4.2.1-3), without the last byte.
const OID_SHA2_PREFIX: &[u8] = &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02];

/// A SubjectPublicKeyInfo's parts.
pub struct Spki<'a> {
    /// The algorithm OID's contents.
    pub oid: &'a [u8],
    /// The algorithm parameters' whole TLV, if any.
    pub params: Option<&'a [u8]>,
    /// The subjectPublicKey bytes, without the unused-bits octet.
    pub key: &'a [u8],
}

pub fn spki(der: &[u8]) -> Option<Spki<'_>> {
    let (body, rest) = tlv(der, 0x30)?;
    if !rest.is_empty() {
        return None;
    }
    let (alg_id, body) = tlv(body, 0x30)?;
    let (bits, body) = tlv(body, 0x03)?;
    let (oid, params) = tlv(alg_id, 0x06)?;
    let (&unused, key) = bits.split_first()?;
    if !body.is_empty() || unused != 0 {
        return None;
    }
    Some(Spki {
        oid,
        params: (!params.is_empty()).then_some(params),
        key,
    })
}

/// The hash an RSASSA-PSS-params restricts the key to: 1, 2 or 3 for
/// SHA-256/384/512, `Some(0)` for any other (SHA-1 is the default when
/// `hashAlgorithm` is absent), `None` when the parameters do not parse.
pub fn pss_hash(params: &[u8]) -> Option<u8> {
    let (body, rest) = tlv(params, 0x30)?;
    if !rest.is_empty() {
        return None;
    }
    if body.first() != Some(&0xa0) {
        return Some(0);
    }
    let (hash, _) = tlv(body, 0xa0)?;
    let (alg_id, _) = tlv(hash, 0x30)?;
    let (oid, _) = tlv(alg_id, 0x06)?;
    match oid.split_last() {
        Some((&last, prefix)) if prefix == OID_SHA2_PREFIX && (1..=3).contains(&last) => Some(last),
        _ => Some(0),
    }
}

/// Reads (n, e) from a PKCS#1 RSAPublicKey, leading zero bytes stripped.
pub fn rsa_public_components(der: &[u8]) -> Option<(&[u8], &[u8])> {
    let (body, rest) = tlv(der, 0x30)?;
    if !rest.is_empty() {
        return None;
    }
    let (n, body) = tlv(body, 0x02)?;
    let (e, body) = tlv(body, 0x02)?;
    if !body.is_empty() {
        return None;
    }
    Some((strip(n)?, strip(e)?))
}

/// Encodes a PKCS#1 RSAPublicKey from big-endian unsigned n and e.
pub fn rsa_public_key(n: &[u8], e: &[u8]) -> Vec<u8> {
    let mut body = Vec::with_capacity(n.len() + e.len() + 16);
    integer(&mut body, n);
    integer(&mut body, e);
    let mut out = Vec::with_capacity(body.len() + 4);
    out.push(0x30);
    length(&mut out, body.len());
    out.extend_from_slice(&body);
    out
}

fn integer(out: &mut Vec<u8>, value: &[u8]) {
    let value = match value.iter().position(|&b| b != 0) {
        Some(i) => &value[i..],
        None => &[0][..],
    };
    let pad = value[0] & 0x80 != 0;
    out.push(0x02);
    length(out, value.len() + pad as usize);
    if pad {
        out.push(0);
    }
    out.extend_from_slice(value);
}

fn length(out: &mut Vec<u8>, len: usize) {
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes = len.to_be_bytes();
        let skip = bytes.iter().position(|&b| b != 0).unwrap_or(bytes.len() - 1);
        out.push(0x80 | (bytes.len() - skip) as u8);
        out.extend_from_slice(&bytes[skip..]);
    }
}

fn tlv(input: &[u8], tag: u8) -> Option<(&[u8], &[u8])> {
    let (&t, rest) = input.split_first()?;
    if t != tag {
        return None;
    }
    let (&first, mut rest) = rest.split_first()?;
    let len = if first < 0x80 {
        first as usize
    } else {
        let n = (first & 0x7f) as usize;
        if n == 0 || n > 4 || rest.len() < n {
            return None;
        }
        let len = rest[..n].iter().fold(0usize, |acc, &b| acc << 8 | b as usize);
        rest = &rest[n..];
        len
    };
    if rest.len() < len {
        return None;
    }
    Some(rest.split_at(len))
}

/// Strips the sign byte; rejects negative integers and zero.
fn strip(int: &[u8]) -> Option<&[u8]> {
    if int.first()? & 0x80 != 0 {
        return None;
    }
    let start = int.iter().position(|&b| b != 0)?;
    Some(&int[start..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_components() {
        let n: Vec<u8> = (0..256).map(|i| (i as u8) | 0x80).collect();
        let e = [1, 0, 1];
        let der = rsa_public_key(&n, &e);
        let (n2, e2) = rsa_public_components(&der).unwrap();
        assert_eq!(n2, &n[..]);
        assert_eq!(e2, &e[..]);
    }

    #[test]
    fn rejects_trailing_bytes_and_negative_integers() {
        let mut der = rsa_public_key(&[0x7f; 8], &[3]);
        assert!(rsa_public_components(&der).is_some());
        der.push(0);
        assert!(rsa_public_components(&der).is_none());
        assert!(rsa_public_components(&[0x30, 0x06, 0x02, 0x01, 0x80, 0x02, 0x01, 0x03]).is_none());
    }
}
