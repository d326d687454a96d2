//! Raw bytes as a page of stored records, as a store's load hands them to the
//! table (src/core/table/batch.rs): a row written behind the Guard's back must
//! never panic the bulk path. Each record is a kind byte, a time and a key;
//! the batch stops at what it does not read and resumes after it, as
//! lib/table.js does, and every pair key it reads must read back the same
//! through the strict reader.
#![no_main]

use libfuzzer_sys::fuzz_target;
use revocable::core::json::parse_string_pair;
use revocable::core::Table;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    // "<kind><key>" per line: the first byte picks the kind (0-7, past the
    // known ones too), the line's length the time, the rest is the key.
    let lines: Vec<&str> = text.split('\n').collect();
    let kinds: Vec<u8> = lines.iter().map(|l| l.bytes().next().map_or(0, |b| b % 8)).collect();
    let keys: String = lines
        .iter()
        .map(|l| format!("{}\0", l.get(1..).unwrap_or("")))
        .collect();
    let ats: Vec<f64> = lines.iter().map(|l| l.len() as f64 * 1e6 - 3.5e6).collect();
    let table = Table::new();
    let mut from = 0;
    while from < kinds.len() {
        let applied = table.apply_records(&kinds, &keys, &ats, from);
        match applied.stopped {
            Some(i) => {
                assert!(i >= from && i < kinds.len());
                from = i + 1;
            }
            None => break,
        }
    }
    for line in &lines {
        if let Some((a, b)) = parse_string_pair(line) {
            // What it read is two strings; written back as JSON, they read the same.
            let again = format!("[{},{}]", quote(&a), quote(&b));
            let (a2, b2) = parse_string_pair(&again).expect("a pair written back reads");
            assert_eq!((a.as_ref(), b.as_ref()), (a2.as_ref(), b2.as_ref()));
        }
    }
});

/// A JSON string literal for `s`.
fn quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
