//! The shape of the last verified claim set, written where JS reads it
//! (lib/shape.js), so JS can build the claims object from the payload text it
//! already holds instead of parsing that text again: on Node 20, JSON.parse of
//! a typical claim set costs about 0.6 µs, a third of a cold verify.
//!
//! The shape only ever says what the strict parser (core/json.rs) read:
//! where each top-level name and string value lies in the text, each number's
//! value, each literal. Anything JSON.parse might read differently, or that a
//! span cannot say, writes no shape and JS parses the text as before:
//! non-ASCII text (JS indexes UTF-16 units, not bytes), a name or string with
//! an escape, a `__proto__` member (an assignment would set the prototype),
//! a nested object or a mixed array, more members than fit.
//!
//! Layout (f64 cells): `[count, member...]`, count -1 when there is no shape.
//! A member is `[name, nameEnd, type, a, b]`: name >= 0 is the span
//! [name, nameEnd) of the text, name < 0 is CLAIM_NAMES[-name - 1]. Types:
//! STRING (span [a, b)), NUMBER (value a), TRUE, FALSE, NULL, STRINGS (a
//! strings, their spans in the 2a cells that follow the member).

use std::borrow::Cow;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::core::json::{Member, Value};

/// Cells of the shape view.
pub(super) const SHAPE_LEN: usize = 128;
/// Names JS holds as constants, so the common claims need no slice.
pub(super) const CLAIM_NAMES: [&str; 8] = ["iss", "sub", "aud", "exp", "nbf", "iat", "jti", "sid"];

pub(super) const STRING: f64 = 0.0;
pub(super) const NUMBER: f64 = 1.0;
pub(super) const TRUE: f64 = 2.0;
pub(super) const FALSE: f64 = 3.0;
pub(super) const NULL: f64 = 4.0;
pub(super) const STRINGS: f64 = 5.0;

/// Writes the shape of `members`, parsed from `payload`, into `out`; writes
/// -1 to its first cell when JS must parse the text itself.
pub(super) fn write(payload: &str, members: &[Member<'_>], out: &[AtomicU64]) {
    let set = |i: usize, v: f64| out[i].store(v.to_bits(), Ordering::Relaxed);
    if shape(payload, members, out.len(), set).is_none() {
        set(0, -1.0);
    }
}

fn shape(payload: &str, members: &[Member<'_>], len: usize, set: impl Fn(usize, f64)) -> Option<()> {
    if !payload.is_ascii() {
        return None;
    }
    // The text's own slices only (the parser borrows every escape-free string):
    // a copy, made for an escape, has no span.
    let base = payload.as_ptr() as usize;
    let span = |s: &Cow<'_, str>| match s {
        Cow::Borrowed(b) => {
            let start = (b.as_ptr() as usize).checked_sub(base)?;
            (start + b.len() <= payload.len()).then_some((start as f64, (start + b.len()) as f64))
        }
        Cow::Owned(_) => None,
    };
    let mut i = 1;
    for (name, value) in members {
        let strings = match value {
            Value::StrArray(items) => items.len(),
            _ => 0,
        };
        if i + 5 + 2 * strings > len || name == "__proto__" {
            return None;
        }
        let (at, end) = match CLAIM_NAMES.iter().position(|known| known == name) {
            Some(k) => (-(k as f64) - 1.0, 0.0),
            None => span(name)?,
        };
        let (kind, a, b) = match value {
            Value::Str(s) => {
                let (a, b) = span(s)?;
                (STRING, a, b)
            }
            Value::Number(_) => (NUMBER, value.as_f64()?, 0.0),
            Value::Bool(true) => (TRUE, 0.0, 0.0),
            Value::Bool(false) => (FALSE, 0.0, 0.0),
            Value::Null => (NULL, 0.0, 0.0),
            Value::StrArray(items) => {
                for (j, s) in items.iter().enumerate() {
                    let (a, b) = span(s)?;
                    set(i + 5 + 2 * j, a);
                    set(i + 6 + 2 * j, b);
                }
                (STRINGS, items.len() as f64, 0.0)
            }
            Value::Other => return None,
        };
        for (cell, v) in [at, end, kind, a, b].into_iter().enumerate() {
            set(i + cell, v);
        }
        i += 5 + 2 * strings;
    }
    set(0, members.len() as f64);
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::json::parse_object_str;

    fn shape_of(text: &str) -> Vec<f64> {
        let members = parse_object_str(text).unwrap();
        let cells: Vec<AtomicU64> = (0..SHAPE_LEN).map(|_| AtomicU64::new(f64::NAN.to_bits())).collect();
        write(text, &members, &cells);
        let mut out: Vec<f64> = cells
            .iter()
            .map(|c| f64::from_bits(c.load(Ordering::Relaxed)))
            .collect();
        let used = if out[0] < 0.0 {
            1
        } else {
            out.iter().rposition(|c| !c.is_nan()).unwrap() + 1
        };
        out.truncate(used);
        out
    }

    #[test]
    fn spans_numbers_literals_and_known_names() {
        let text = r#"{"sub":"u1","role":"admin","n":-0,"big":1e400,"ok":true,"no":false,"z":null,"aud":["a","bc"]}"#;
        // Where the quoted `s` starts, inside its quotes.
        let at = |s: &str| text.find(&format!("\"{s}\"")).unwrap() as f64 + 1.0;
        let s = shape_of(text);
        assert_eq!(s[0], 8.0);
        assert_eq!(&s[1..6], &[-2.0, 0.0, STRING, at("u1"), at("u1") + 2.0]);
        assert_eq!(
            &s[6..11],
            &[at("role"), at("role") + 4.0, STRING, at("admin"), at("admin") + 5.0]
        );
        assert_eq!(&s[11..14], &[at("n"), at("n") + 1.0, NUMBER]);
        assert!(s[14] == 0.0 && s[14].is_sign_negative(), "-0 stays -0");
        assert_eq!(s[19], f64::INFINITY);
        assert_eq!([s[23], s[28], s[33]], [TRUE, FALSE, NULL]);
        assert_eq!(&s[36..43], &[-3.0, 0.0, STRINGS, 2.0, 0.0, at("a"), at("a") + 1.0]);
        assert_eq!(&s[43..45], &[at("bc"), at("bc") + 2.0]);
    }

    #[test]
    fn no_shape_where_json_parse_could_read_otherwise() {
        for text in [
            r#"{"sub":"é"}"#,                  // non-ASCII: UTF-16 offsets differ
            r#"{"sub":"a\/b"}"#,               // an escape: no span
            r#"{"r\u006fle":"x"}"#,            // an escaped name
            r#"{"__proto__":{"admin":true}}"#, // an assignment would set the prototype
            r#"{"__proto__":"x"}"#,
            r#"{"x":{"y":1}}"#,  // nested object
            r#"{"x":[1,"a"]}"#,  // mixed array
            r#"{"x":["a\nb"]}"#, // an escape inside an array
        ] {
            assert_eq!(shape_of(text), vec![-1.0], "{text}");
        }
        // More members than fit.
        let many: Vec<String> = (0..30).map(|i| format!("\"k{i}\":1")).collect();
        assert_eq!(shape_of(&format!("{{{}}}", many.join(","))), vec![-1.0]);
        let long: Vec<String> = (0..70).map(|i| format!("\"s{i}\"")).collect();
        assert_eq!(shape_of(&format!("{{\"aud\":[{}]}}", long.join(","))), vec![-1.0]);
        assert_eq!(shape_of("{}"), vec![0.0]);
    }

    /// Reads a shape back the way lib/shape.js does, as (name, value) text pairs.
    fn read_back(text: &str, cells: &[f64]) -> Vec<(String, String)> {
        let slice = |a: f64, b: f64| text[a as usize..b as usize].to_owned();
        let mut out = vec![];
        let mut i = 1;
        for _ in 0..cells[0] as usize {
            let name = if cells[i] < 0.0 {
                CLAIM_NAMES[(-cells[i] - 1.0) as usize].to_owned()
            } else {
                slice(cells[i], cells[i + 1])
            };
            let (kind, a, b) = (cells[i + 2], cells[i + 3], cells[i + 4]);
            let value = match kind {
                STRING => format!("s:{}", slice(a, b)),
                NUMBER => format!("n:{:?}", a),
                TRUE => "true".to_owned(),
                FALSE => "false".to_owned(),
                NULL => "null".to_owned(),
                _ => {
                    let items: Vec<String> = (0..a as usize)
                        .map(|j| slice(cells[i + 5 + 2 * j], cells[i + 6 + 2 * j]))
                        .collect();
                    i += 2 * a as usize;
                    format!("a:{items:?}")
                }
            };
            out.push((name, value));
            i += 5;
        }
        out
    }

    /// What the parser read, in the same form.
    fn as_read(members: &[Member<'_>]) -> Vec<(String, String)> {
        let value = |v: &Value<'_>| match v {
            Value::Str(s) => format!("s:{s}"),
            Value::Number(_) => format!("n:{:?}", v.as_f64().unwrap()),
            Value::Bool(b) => b.to_string(),
            Value::Null => "null".to_owned(),
            Value::StrArray(items) => format!("a:{:?}", items.iter().map(|s| s.to_string()).collect::<Vec<_>>()),
            Value::Other => "other".to_owned(),
        };
        members.iter().map(|(n, v)| (n.to_string(), value(v))).collect()
    }

    #[test]
    fn every_shape_reads_back_what_the_parser_read() {
        let names = [
            "sub",
            "iss",
            "aud",
            "exp",
            "nbf",
            "iat",
            "jti",
            "sid",
            "role",
            "",
            " ",
            "a\\u0062",
            "é",
            "__proto__",
            "0",
            "x",
        ];
        let values = [
            r#""""#,
            r#""v""#,
            r#""a b""#,
            r#""é""#,
            r#""\n""#,
            r#""\u0041""#,
            "0",
            "-0",
            "1.5",
            "1e400",
            "-1E-2",
            "123456789012345678",
            "true",
            "false",
            "null",
            "[]",
            r#"["a","b"]"#,
            r#"["é"]"#,
            r#"["\"",""]"#,
            r#"[1]"#,
            r#"{"k":1}"#,
            r#"[["a"]]"#,
        ];
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        let (mut shaped, mut parsed) = (0, 0);
        for _ in 0..20_000 {
            let members: Vec<String> = (0..next(9))
                .map(|_| format!("\"{}\" : {}", names[next(names.len())], values[next(values.len())]))
                .collect();
            let text = format!("{{ {} }}", members.join(" ,"));
            let Ok(read) = parse_object_str(&text) else { continue };
            parsed += 1;
            let cells: Vec<AtomicU64> = (0..SHAPE_LEN).map(|_| AtomicU64::new(f64::NAN.to_bits())).collect();
            write(&text, &read, &cells);
            let cells: Vec<f64> = cells
                .iter()
                .map(|c| f64::from_bits(c.load(Ordering::Relaxed)))
                .collect();
            if cells[0] < 0.0 {
                continue;
            }
            shaped += 1;
            assert_eq!(read_back(&text, &cells), as_read(&read), "{text}");
        }
        assert!(parsed > 5_000 && shaped > 1_000, "{parsed} parsed, {shaped} shaped");
    }
}
