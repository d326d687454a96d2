//! NumericDates read by the verifier's short-decimal path equal what Rust's
//! general float parser gives, bit for bit, for every form a claim can take.

use revocable::core::json::Value;

fn check(text: &str) {
    let fast = Value::Number(text).as_f64().unwrap();
    let general: f64 = text.parse().unwrap();
    assert_eq!(fast.to_bits(), general.to_bits(), "{text}");
}

#[test]
fn short_decimals_match_the_general_parser_bit_for_bit() {
    let mut seed = 0x2545_f491_4f6c_dd1d_u64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for text in [
        "0",
        "-0",
        "0.0",
        "1764400000",
        "1764400000.123",
        "-1.5",
        "0.1",
        "0.3",
        "999999999999999",
        "1.00000000000001",
    ] {
        check(text);
    }
    for _ in 0..200_000 {
        let digits = 1 + next() % 15;
        let int_part = next() % 10u64.pow(digits as u32);
        let frac_len = next() % (16 - digits);
        let mut text = int_part.to_string();
        if frac_len > 0 {
            let frac = next() % 10u64.pow(frac_len as u32);
            text = format!("{text}.{frac:0width$}", width = frac_len as usize);
        }
        if next() % 4 == 0 {
            text.insert(0, '-');
        }
        check(&text);
    }
}

#[test]
fn long_literals_and_exponents_take_the_general_parser() {
    for text in [
        "1e400",
        "-1e400",
        "1.5e3",
        "12345678901234567890",
        "0.1234567890123456789",
        "9".repeat(400).as_str(),
        "1E2",
        "2.5e-3",
    ] {
        check(text);
    }
}
