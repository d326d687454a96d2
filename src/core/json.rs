//! A strict JSON reader for JOSE headers and JWT claim sets.
//!
//! RFC 8259 grammar only, the top level must be an object, nesting is bounded,
//! and duplicate member names are rejected at every level (RFC 7515 §5.2 and
//! RFC 7519 §4 allow it; JSON.parse would silently keep the last one, so two
//! parsers could disagree on what a token says). Top-level members are returned
//! with their values summarised; everything below is validated and skipped.

use std::borrow::Cow;
use std::collections::HashSet;

use smallvec::SmallVec;

/// Deepest nesting of objects and arrays accepted, counting the top-level object.
pub const MAX_DEPTH: usize = 16;

/// A top-level member's value, as much as claim checks need of it.
#[derive(Debug, Clone, PartialEq)]
pub enum Value<'a> {
    /// A number, as its literal text (valid RFC 8259 grammar); see [`Value::as_f64`].
    Number(&'a str),
    Str(Cow<'a, str>),
    /// An array whose elements are all strings.
    StrArray(Vec<Cow<'a, str>>),
    Bool(bool),
    Null,
    /// An object, or an array with a non-string element.
    Other,
}

/// The top-level members of an object, in document order.
/// One top-level member: its name and summarised value.
pub type Member<'a> = (Cow<'a, str>, Value<'a>);

pub type Members<'a> = SmallVec<[Member<'a>; 12]>;

impl Value<'_> {
    /// The number's value; a literal too large for f64 is infinite.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            // The RFC 8259 grammar is a subset of what Rust's f64 parser accepts.
            Value::Number(text) => short_decimal(text).or_else(|| text.parse().ok()),
            _ => None,
        }
    }
}

/// Powers of ten a double holds exactly.
const POW10: [f64; 16] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
];

/// A number literal of at most 15 digits and no exponent (every NumericDate,
/// and iat with milliseconds) without the general float parser: the digits
/// and the power of ten are both exact doubles, so one division rounds
/// correctly, as the general parser would (Clinger's fast path).
fn short_decimal(text: &str) -> Option<f64> {
    let (negative, body) = match text.as_bytes() {
        [b'-', rest @ ..] => (true, rest),
        all => (false, all),
    };
    let (mut digits, mut mantissa, mut scale) = (0, 0u64, None);
    for &b in body {
        match b {
            // Past 15 digits the mantissa may not be exact (nor fit): the general parser decides.
            b'0'..=b'9' if digits == 15 => return None,
            b'0'..=b'9' => {
                mantissa = mantissa * 10 + (b - b'0') as u64;
                digits += 1;
                scale = scale.map(|k: usize| k + 1);
            }
            b'.' if scale.is_none() => scale = Some(0),
            _ => return None,
        }
    }
    if digits == 0 {
        return None;
    }
    let value = mantissa as f64 / POW10[scale.unwrap_or(0)];
    Some(if negative { -value } else { value })
}

pub fn get<'m, 'a>(members: &'m [Member<'a>], name: &str) -> Option<&'m Value<'a>> {
    members.iter().find(|(k, _)| k == name).map(|(_, v)| v)
}

/// Why a document was refused; the message names the rule, never the content.
pub type Error = &'static str;

/// Parses a JSON object; anything else (array, string, trailing bytes, bad
/// UTF-8, lone surrogates, duplicates, too deep) is an error.
pub fn parse_object(input: &[u8]) -> Result<Members<'_>, Error> {
    parse_object_str(std::str::from_utf8(input).map_err(|_| "is not valid UTF-8")?)
}

/// [`parse_object`] for text already known to be UTF-8. Inlined so the members
/// are built where the caller keeps them rather than copied out.
#[inline]
pub fn parse_object_str(text: &str) -> Result<Members<'_>, Error> {
    let mut r = Reader {
        s: text,
        b: text.as_bytes(),
        i: 0,
    };
    r.ws();
    if r.peek() != Some(b'{') {
        return Err("is not a JSON object");
    }
    let mut members = Members::new();
    r.object(1, Some(&mut members))?;
    r.ws();
    if r.i != r.b.len() {
        return Err("has bytes after the JSON object");
    }
    Ok(members)
}

/// Reads `["first", "second"]`: the JSON text of two strings that a stored
/// record keys a session or a token by (lib/records.js). None for anything
/// else, and for a lone surrogate escape, which JSON.parse reads (as a lone
/// surrogate) and this reader refuses: the caller takes those the slow way,
/// so what this returns is always what JSON.parse would have.
pub fn parse_string_pair(text: &str) -> Option<(Cow<'_, str>, Cow<'_, str>)> {
    let mut r = Reader {
        s: text,
        b: text.as_bytes(),
        i: 0,
    };
    r.expect(b'[').ok()?;
    let first = r.next_string()?;
    r.expect(b',').ok()?;
    let second = r.next_string()?;
    r.expect(b']').ok()?;
    r.ws();
    (r.i == r.b.len()).then_some((first, second))
}

/// Bytes that end the fast scan of a string: quote, backslash, control characters.
const STRING_STOP: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    while i < 0x20 {
        t[i] = true;
        i += 1;
    }
    t[b'"' as usize] = true;
    t[b'\\' as usize] = true;
    t
};

struct Reader<'a> {
    s: &'a str,
    b: &'a [u8],
    i: usize,
}

impl<'a> Reader<'a> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    fn ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.i += 1;
        }
    }

    fn expect(&mut self, c: u8) -> Result<(), Error> {
        self.ws();
        if self.peek() == Some(c) {
            self.i += 1;
            Ok(())
        } else {
            Err("is not valid JSON")
        }
    }

    /// Reads an object at `depth`; fills `out` with summarised members when given.
    fn object(&mut self, depth: usize, mut out: Option<&mut Members<'a>>) -> Result<(), Error> {
        if depth > MAX_DEPTH {
            return Err("nests deeper than allowed");
        }
        self.expect(b'{')?;
        let mut seen = Names::default();
        self.ws();
        if self.peek() == Some(b'}') {
            self.i += 1;
            return Ok(());
        }
        loop {
            self.ws();
            if self.peek() != Some(b'"') {
                return Err("is not valid JSON");
            }
            let key = self.string()?;
            if !seen.insert(key.clone()) {
                return Err("has a duplicate member name");
            }
            self.expect(b':')?;
            match out.as_deref_mut() {
                Some(members) => {
                    let value = self.summary(depth)?;
                    members.push((key, value));
                }
                None => self.skip(depth)?,
            }
            self.ws();
            match self.peek() {
                Some(b',') => self.i += 1,
                Some(b'}') => {
                    self.i += 1;
                    return Ok(());
                }
                _ => return Err("is not valid JSON"),
            }
        }
    }

    fn summary(&mut self, depth: usize) -> Result<Value<'a>, Error> {
        self.ws();
        Ok(match self.peek() {
            Some(b'"') => Value::Str(self.string()?),
            Some(b'[') => self.array_summary(depth)?,
            Some(b'{') => {
                self.object(depth + 1, None)?;
                Value::Other
            }
            Some(b't') => self.literal("true", Value::Bool(true))?,
            Some(b'f') => self.literal("false", Value::Bool(false))?,
            Some(b'n') => self.literal("null", Value::Null)?,
            _ => Value::Number(self.number()?),
        })
    }

    fn array_summary(&mut self, depth: usize) -> Result<Value<'a>, Error> {
        if depth + 1 > MAX_DEPTH {
            return Err("nests deeper than allowed");
        }
        self.i += 1;
        let mut strings = Some(Vec::new());
        self.ws();
        if self.peek() == Some(b']') {
            self.i += 1;
            return Ok(Value::StrArray(Vec::new()));
        }
        loop {
            self.ws();
            if self.peek() == Some(b'"') {
                let s = self.string()?;
                if let Some(v) = strings.as_mut() {
                    v.push(s);
                }
            } else {
                strings = None;
                self.skip(depth + 1)?;
            }
            self.ws();
            match self.peek() {
                Some(b',') => self.i += 1,
                Some(b']') => {
                    self.i += 1;
                    return Ok(strings.map_or(Value::Other, Value::StrArray));
                }
                _ => return Err("is not valid JSON"),
            }
        }
    }

    /// Validates any value at `depth` (the depth of its container) without keeping it.
    fn skip(&mut self, depth: usize) -> Result<(), Error> {
        self.ws();
        match self.peek() {
            Some(b'"') => self.string().map(drop),
            Some(b'{') => self.object(depth + 1, None),
            Some(b'[') => {
                if depth + 1 > MAX_DEPTH {
                    return Err("nests deeper than allowed");
                }
                self.i += 1;
                self.ws();
                if self.peek() == Some(b']') {
                    self.i += 1;
                    return Ok(());
                }
                loop {
                    self.skip(depth + 1)?;
                    self.ws();
                    match self.peek() {
                        Some(b',') => self.i += 1,
                        Some(b']') => {
                            self.i += 1;
                            return Ok(());
                        }
                        _ => return Err("is not valid JSON"),
                    }
                }
            }
            Some(b't') => self.literal("true", ()),
            Some(b'f') => self.literal("false", ()),
            Some(b'n') => self.literal("null", ()),
            _ => self.number().map(drop),
        }
    }

    fn literal<T>(&mut self, word: &str, value: T) -> Result<T, Error> {
        if self.b[self.i..].starts_with(word.as_bytes()) {
            self.i += word.len();
            Ok(value)
        } else {
            Err("is not valid JSON")
        }
    }

    /// RFC 8259 §6: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
    fn number(&mut self) -> Result<&'a str, Error> {
        let start = self.i;
        if self.peek() == Some(b'-') {
            self.i += 1;
        }
        match self.peek() {
            Some(b'0') => self.i += 1,
            Some(b'1'..=b'9') => self.digits(),
            _ => return Err("is not valid JSON"),
        }
        if self.peek() == Some(b'.') {
            self.i += 1;
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err("is not valid JSON");
            }
            self.digits();
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.i += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.i += 1;
            }
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err("is not valid JSON");
            }
            self.digits();
        }
        Ok(&self.s[start..self.i])
    }

    fn digits(&mut self) {
        while let Some(b'0'..=b'9') = self.peek() {
            self.i += 1;
        }
    }

    /// Skips whitespace, then reads a string; None if something else comes first.
    fn next_string(&mut self) -> Option<Cow<'a, str>> {
        self.ws();
        if self.peek() != Some(b'"') {
            return None;
        }
        self.string().ok()
    }

    /// Reads a string starting at its opening quote; borrows when it has no escapes.
    fn string(&mut self) -> Result<Cow<'a, str>, Error> {
        self.i += 1;
        let start = self.i;
        let stop = self.b[start..].iter().position(|&c| STRING_STOP[c as usize]);
        self.i = start + stop.ok_or("has an unterminated string")?;
        match self.b[self.i] {
            b'"' => {
                self.i += 1;
                return Ok(Cow::Borrowed(&self.s[start..self.i - 1]));
            }
            b'\\' => {}
            _ => return Err("has a control character in a string"),
        }
        let mut owned = String::from(&self.s[start..self.i]);
        loop {
            match self.peek() {
                None => return Err("has an unterminated string"),
                Some(b'"') => {
                    self.i += 1;
                    return Ok(Cow::Owned(owned));
                }
                Some(b'\\') => {
                    self.i += 1;
                    owned.push(self.escape()?);
                }
                Some(0..=0x1f) => return Err("has a control character in a string"),
                Some(_) => {
                    // Copy one whole UTF-8 character (input is known-valid UTF-8).
                    let ch = self.s[self.i..].chars().next().ok_or("is not valid JSON")?;
                    owned.push(ch);
                    self.i += ch.len_utf8();
                }
            }
        }
    }

    fn escape(&mut self) -> Result<char, Error> {
        let c = self.peek().ok_or("has an unterminated string")?;
        self.i += 1;
        Ok(match c {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let hi = self.hex4()?;
                let code = match hi {
                    0xd800..=0xdbff => {
                        if !self.b[self.i..].starts_with(b"\\u") {
                            return Err("has a lone surrogate escape");
                        }
                        self.i += 2;
                        let lo = self.hex4()?;
                        if !(0xdc00..=0xdfff).contains(&lo) {
                            return Err("has a lone surrogate escape");
                        }
                        0x10000 + ((hi - 0xd800) << 10) + (lo - 0xdc00)
                    }
                    0xdc00..=0xdfff => return Err("has a lone surrogate escape"),
                    _ => hi,
                };
                char::from_u32(code).ok_or("has a lone surrogate escape")?
            }
            _ => return Err("has an invalid escape"),
        })
    }

    fn hex4(&mut self) -> Result<u32, Error> {
        let digits = self.b.get(self.i..self.i + 4).ok_or("has an invalid escape")?;
        let mut v = 0;
        for &d in digits {
            v = v * 16 + (d as char).to_digit(16).ok_or("has an invalid escape")?;
        }
        self.i += 4;
        Ok(v)
    }
}

/// Member names seen in one object: a short list, a set once it grows, so a
/// token with thousands of members cannot make the check quadratic. Each short
/// entry carries a fingerprint (length and first bytes) so most comparisons
/// are one integer compare; the set (and its random hasher) is made only when needed.
#[derive(Default)]
struct Names<'a> {
    few: SmallVec<[(u64, Cow<'a, str>); 16]>,
    many: Option<HashSet<Cow<'a, str>>>,
}

fn fingerprint(name: &str) -> u64 {
    let b = name.as_bytes();
    let mut head = [0u8; 8];
    let n = b.len().min(7);
    head[..n].copy_from_slice(&b[..n]);
    head[7] = b.len().min(255) as u8;
    u64::from_le_bytes(head)
}

impl<'a> Names<'a> {
    fn insert(&mut self, name: Cow<'a, str>) -> bool {
        if let Some(many) = &mut self.many {
            return many.insert(name);
        }
        let print = fingerprint(&name);
        if self.few.iter().any(|(p, n)| *p == print && *n == name) {
            return false;
        }
        if self.few.len() < 16 {
            self.few.push((print, name));
            return true;
        }
        let mut many: HashSet<_> = self.few.drain(..).map(|(_, n)| n).collect();
        let fresh = many.insert(name);
        self.many = Some(many);
        fresh
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(s: &str) -> Members<'_> {
        parse_object(s.as_bytes()).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    fn err(s: &[u8]) -> Error {
        parse_object(s).expect_err(&String::from_utf8_lossy(s))
    }

    #[test]
    fn a_string_pair_reads_as_json_parse_does_or_not_at_all() {
        let pair = |s: &str| parse_string_pair(s).map(|(a, b)| (a.into_owned(), b.into_owned()));
        let two = |a: &str, b: &str| Some((a.to_owned(), b.to_owned()));
        assert_eq!(pair(r#"["iss","jti"]"#), two("iss", "jti"));
        assert_eq!(pair(r#"["",""]"#), two("", ""));
        assert_eq!(pair(" [ \"a\" ,\t\"b\"\n] "), two("a", "b"));
        assert_eq!(
            pair(r#"["a\"b\\c\/","\n\u0000\u00e9\ud83d\ude00"]"#),
            two("a\"b\\c/", "\n\0é😀")
        );
        assert_eq!(pair(r#"["é😀","\u001f"]"#), two("é😀", "\u{1f}"));
        // Not two strings, not JSON, or what JSON.parse reads as a lone surrogate: left to the caller.
        for text in [
            "",
            "[]",
            r#"["a"]"#,
            r#"["a","b","c"]"#,
            r#"["a",1]"#,
            r#"[1,"b"]"#,
            r#"{"a":"b"}"#,
            r#"["a","b"]x"#,
            r#"["a","b""#,
            r#"["a" "b"]"#,
            r#"['a','b']"#,
            "[\"a\u{1}\",\"b\"]",
            r#"["\ud800","b"]"#,
            r#"["a","\udc00"]"#,
            r#"["\x","b"]"#,
            r#"["a",null]"#,
            r#"[["a"],"b"]"#,
        ] {
            assert_eq!(pair(text), None, "{text:?}");
        }
    }

    #[test]
    fn summarises_top_level_members() {
        let m = ok(r#" {"a":1.5,"b":"x","c":["p","q"],"d":[1],"e":{"f":[true,null]},"g":false,"h":null} "#);
        assert_eq!(get(&m, "a").and_then(Value::as_f64), Some(1.5));
        assert_eq!(get(&m, "b"), Some(&Value::Str("x".into())));
        assert_eq!(get(&m, "c"), Some(&Value::StrArray(vec!["p".into(), "q".into()])));
        assert_eq!(get(&m, "d"), Some(&Value::Other));
        assert_eq!(get(&m, "e"), Some(&Value::Other));
        assert_eq!(get(&m, "g"), Some(&Value::Bool(false)));
        assert_eq!(get(&m, "h"), Some(&Value::Null));
    }

    #[test]
    fn decodes_escapes_and_surrogate_pairs() {
        let m = ok(r#"{"k\u0041":"\ud83d\ude00\n\/"}"#);
        assert_eq!(m[0].0, "kA");
        assert_eq!(m[0].1, Value::Str("\u{1f600}\n/".into()));
    }

    #[test]
    fn rejects_non_objects() {
        for s in ["[]", "\"x\"", "1", "null", "true", ""] {
            assert_eq!(err(s.as_bytes()), "is not a JSON object", "{s}");
        }
    }

    #[test]
    fn rejects_trailing_garbage() {
        assert_eq!(err(b"{} x"), "has bytes after the JSON object");
        assert_eq!(err(b"{}{}"), "has bytes after the JSON object");
    }

    #[test]
    fn rejects_duplicate_names_at_any_level_even_when_escaped() {
        assert_eq!(err(br#"{"a":1,"a":2}"#), "has a duplicate member name");
        assert_eq!(err(br#"{"a":1,"\u0061":2}"#), "has a duplicate member name");
        assert_eq!(err(br#"{"x":{"b":1,"b":1}}"#), "has a duplicate member name");
        assert_eq!(err(br#"{"x":[{"b":1,"b":1}]}"#), "has a duplicate member name");
    }

    #[test]
    fn rejects_duplicates_among_many_members() {
        let mut s = String::from("{");
        for i in 0..5000 {
            s.push_str(&format!("\"k{i}\":0,"));
        }
        s.push_str("\"k4999\":1}");
        assert_eq!(err(s.as_bytes()), "has a duplicate member name");
    }

    #[test]
    fn rejects_invalid_utf8() {
        assert_eq!(err(b"{\"a\":\"\xff\"}"), "is not valid UTF-8");
        assert_eq!(err(b"{\"a\":\"\xed\xa0\x80\"}"), "is not valid UTF-8");
    }

    #[test]
    fn rejects_lone_surrogates() {
        assert_eq!(err(br#"{"a":"\ud800"}"#), "has a lone surrogate escape");
        assert_eq!(err(br#"{"a":"\udc00x"}"#), "has a lone surrogate escape");
        assert_eq!(err(br#"{"a":"\ud800\u0041"}"#), "has a lone surrogate escape");
    }

    #[test]
    fn rejects_deep_nesting_without_recursing_far() {
        let deep = format!("{{\"a\":{}1{}}}", "[".repeat(100_000), "]".repeat(100_000));
        assert_eq!(err(deep.as_bytes()), "nests deeper than allowed");
        let at_limit = format!("{{\"a\":{}1{}}}", "[".repeat(MAX_DEPTH - 1), "]".repeat(MAX_DEPTH - 1));
        ok(&at_limit);
        let over = format!("{{\"a\":{}1{}}}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert_eq!(err(over.as_bytes()), "nests deeper than allowed");
        let objects = format!("{}{}", "{\"a\":".repeat(MAX_DEPTH + 1), "}".repeat(MAX_DEPTH + 1));
        assert_eq!(err(objects.as_bytes()), "nests deeper than allowed");
    }

    #[test]
    fn rejects_what_rfc_8259_does_not_allow() {
        for s in [
            r#"{"a":01}"#,
            r#"{"a":1.}"#,
            r#"{"a":.5}"#,
            r#"{"a":+1}"#,
            r#"{"a":1e}"#,
            r#"{"a":NaN}"#,
            r#"{"a":Infinity}"#,
            r#"{'a':1}"#,
            r#"{"a":1,}"#,
            r#"{"a" 1}"#,
            r#"{"a":[1,]}"#,
            r#"{"a":tru}"#,
            r#"{"a":"\x"}"#,
            "{\"a\":\"\t\"}",
            r#"{"a":"x}"#,
            "{\"a\":1\u{a0}}",
            r#"{a:1}"#,
        ] {
            assert!(parse_object(s.as_bytes()).is_err(), "{s}");
        }
    }

    #[test]
    fn overflowing_numbers_parse_as_infinite() {
        let m = ok(r#"{"exp":1e400,"n":-1e400}"#);
        assert_eq!(get(&m, "exp").and_then(Value::as_f64), Some(f64::INFINITY));
        assert_eq!(get(&m, "n").and_then(Value::as_f64), Some(f64::NEG_INFINITY));
    }
}
