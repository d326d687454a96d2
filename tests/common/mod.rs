//! What the integration tests and `benchmark/core.rs` share.

use revocable::core::b64;

/// `der` as a PEM block with lines of 64 characters, as OpenSSL writes it.
pub fn pem(label: &str, der: &[u8]) -> Vec<u8> {
    let text: String = b64::encode(der)
        .chars()
        .map(|c| match c {
            '-' => '+',
            '_' => '/',
            c => c,
        })
        .collect();
    let padded = format!("{text}{}", "=".repeat((4 - text.len() % 4) % 4));
    let lines: Vec<&str> = padded
        .as_bytes()
        .chunks(64)
        .map(|c| std::str::from_utf8(c).unwrap())
        .collect();
    format!("-----BEGIN {label}-----\n{}\n-----END {label}-----\n", lines.join("\n")).into_bytes()
}
