//! Stored records in bulk: a store's load at open() applies a page of records
//! in one call instead of one call per record. The kinds and key shapes are
//! lib/records.js's. A record this reader does not take (a key it cannot read
//! exactly as JSON.parse would, an unknown kind) stops the batch: the caller
//! applies it on its own, reports what it cannot read, and resumes after it,
//! so records apply in their order and count as they would one by one.

use super::Table;
use crate::core::json::parse_string_pair;

/// Record kinds, as the binding's caller numbers them (lib/table.js).
pub const KIND_USER: u8 = 1;
pub const KIND_SESSION: u8 = 2;
pub const KIND_TOKEN: u8 = 3;
pub const KIND_ALLOW: u8 = 4;
pub const KIND_GLOBAL: u8 = 5;
pub const KIND_GROUP: u8 = 6;

/// What a batch did: how many records changed the table, and the index of
/// the record it stopped at, left to the caller (None: it applied them all).
#[derive(Debug, Default, PartialEq)]
pub struct Applied {
    pub changed: u32,
    pub stopped: Option<usize>,
}

/// A cut-off crossing the binding (ms, maybe fractional) as the table keeps
/// it: whole milliseconds, rounded up. The single-record calls
/// (src/binding/guard.rs) and the batch convert through this one function.
pub fn whole_ms(at: f64) -> i64 {
    at.ceil() as i64
}

impl Table {
    /// Applies records `from` on, up to the first it does not take: record `i`
    /// of kind `kinds[i]`, key the i-th of `keys` (each ended by U+0000, which
    /// no stored key holds) and time `ats[i]` (ms: the cut-off, or a token's
    /// exp). A missing key stops the batch too.
    pub fn apply_records(&self, kinds: &[u8], keys: &str, ats: &[f64], from: usize) -> Applied {
        let mut out = Applied::default();
        let mut keys = keys.split_terminator('\0').skip(from);
        for (i, (&kind, &at)) in kinds.iter().zip(ats).enumerate().skip(from) {
            let changed = keys.next().and_then(|key| match kind {
                KIND_USER => Some(self.revoke_user(key, whole_ms(at))),
                KIND_SESSION => {
                    parse_string_pair(key).map(|(claim, value)| self.revoke_session(&claim, &value, whole_ms(at)))
                }
                KIND_TOKEN => parse_string_pair(key).map(|(iss, jti)| self.revoke_token(&iss, &jti, at / 1000.0)),
                KIND_ALLOW => parse_string_pair(key).map(|(iss, jti)| self.allow_token(&iss, &jti, at / 1000.0)),
                KIND_GLOBAL => Some(self.revoke_all(whole_ms(at))),
                KIND_GROUP => group_key(key).map(|(index, count)| self.mark_group(index, count, whole_ms(at))),
                _ => None,
            });
            match changed {
                Some(true) => out.changed += 1,
                Some(false) => {}
                None => {
                    out.stopped = Some(i);
                    break;
                }
            }
        }
        out
    }
}

/// A group mark's key, "index/count" with 1 to 9 decimal digits each (as
/// parseGroupKey in lib/records.js reads it).
fn group_key(key: &str) -> Option<(u32, u32)> {
    let (index, count) = key.split_once('/')?;
    let number = |s: &str| {
        let digits = (1..=9).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit());
        digits.then(|| s.parse().ok()).flatten()
    };
    Some((number(index)?, number(count)?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::epochs::GROUPS;
    use crate::core::table::{key, SESSION, TOKEN, USER};

    /// The same records, one call each: what a batch must leave behind.
    fn one_by_one(t: &Table, records: &[(u8, &str, f64)]) -> u32 {
        let mut changed = 0;
        for &(kind, k, at) in records {
            let (one, two) = parse_string_pair(k)
                .map(|(a, b)| (a.into_owned(), b.into_owned()))
                .unwrap_or_default();
            changed += u32::from(match kind {
                KIND_USER => t.revoke_user(k, whole_ms(at)),
                KIND_SESSION => t.revoke_session(&one, &two, whole_ms(at)),
                KIND_TOKEN => t.revoke_token(&one, &two, at / 1000.0),
                KIND_ALLOW => t.allow_token(&one, &two, at / 1000.0),
                KIND_GROUP => group_key(k).is_some_and(|(i, n)| t.mark_group(i, n, whole_ms(at))),
                _ => t.revoke_all(whole_ms(at)),
            });
        }
        changed
    }

    fn did(changed: u32, stopped: Option<usize>) -> Applied {
        Applied { changed, stopped }
    }

    fn batch(t: &Table, records: &[(u8, &str, f64)]) -> Applied {
        let kinds: Vec<u8> = records.iter().map(|r| r.0).collect();
        let keys: String = records.iter().map(|r| format!("{}\0", r.1)).collect();
        let ats: Vec<f64> = records.iter().map(|r| r.2).collect();
        t.apply_records(&kinds, &keys, &ats, 0)
    }

    #[test]
    fn a_batch_leaves_the_table_as_one_call_per_record_does() {
        let records = [
            (KIND_USER, "alice", 1_000.4),
            (KIND_USER, "alice", 900.0), // earlier: no change
            (KIND_USER, "bób 😀", 2_000.0),
            (KIND_SESSION, r#"["sid","s-1"]"#, 3_000.0),
            (KIND_TOKEN, r#"["https://issuer","j\"1"]"#, 4_000_500.0),
            (KIND_TOKEN, r#"["https://issuer","j\"1"]"#, 4_000_000.0), // shorter: no change
            (KIND_ALLOW, r#"["","j2"]"#, 5_000_000.0),
            (KIND_GLOBAL, "", 600.0),
            (KIND_GROUP, "3/8", 7_000.0),
            (KIND_GROUP, "3/8", 6_000.0), // earlier: no change
        ];
        let (a, b) = (Table::new(), Table::new());
        let applied = batch(&a, &records);
        assert_eq!(applied, did(one_by_one(&b, &records), None));
        assert_eq!(applied.changed, 7);
        assert_eq!(a.stats(), b.stats());
        for t in [&a, &b] {
            let inner = t.inner.read();
            assert_eq!(inner.users.get(&key(USER, &["alice"])), Some(&1_001));
            assert_eq!(inner.users.get(&key(USER, &["bób 😀"])), Some(&2_000));
            assert_eq!(inner.sessions.get(&key(SESSION, &["sid", "s-1"])), Some(&3_000));
            assert_eq!(inner.tokens.get(&key(TOKEN, &["https://issuer", "j\"1"])), Some(&4_001));
            assert_eq!(inner.allowed.get(&key(TOKEN, &["", "j2"])), Some(&5_000));
            assert_eq!(inner.global, 600);
            assert_eq!(inner.group_times.iter().filter(|&&at| at == 7_000).count(), GROUPS / 8);
        }
    }

    #[test]
    fn it_stops_at_what_it_cannot_read_and_resumes_after_it() {
        let t = Table::new();
        let records = [
            (KIND_TOKEN, r#"["i","ok"]"#, 1_000.0),
            (0, "x", 1.0),                             // an unknown kind
            (KIND_TOKEN, r#"["\ud800","lone"]"#, 1.0), // JSON.parse reads a lone surrogate
            (KIND_SESSION, "not json", 1.0),
            (KIND_ALLOW, r#"["one"]"#, 1.0),
            (KIND_GROUP, "1/x", 1.0),
            (KIND_GROUP, "1234567890/8", 1.0), // more digits than parseGroupKey reads
            (KIND_USER, "bob", 5.0),
        ];
        let kinds: Vec<u8> = records.iter().map(|r| r.0).collect();
        let keys: String = records.iter().map(|r| format!("{}\0", r.1)).collect();
        let ats: Vec<f64> = records.iter().map(|r| r.2).collect();
        let mut stops = vec![];
        let mut from = 0;
        loop {
            let applied = t.apply_records(&kinds, &keys, &ats, from);
            let Some(at) = applied.stopped else {
                assert_eq!(applied.changed, 1); // bob
                break;
            };
            stops.push(at);
            from = at + 1;
        }
        assert_eq!(stops, [1, 2, 3, 4, 5, 6]);
        // Fewer keys than kinds: the batch stops at the first record without one.
        assert_eq!(
            t.apply_records(&[KIND_USER; 2], "carol\0", &[1.0, 1.0], 0),
            did(1, Some(1))
        );
        assert_eq!(t.apply_records(&[KIND_USER], "dave", &[1.0], 0), did(1, None));
        assert_eq!(t.apply_records(&[KIND_USER], "erin\0", &[1.0], 1), did(0, None));
    }

    #[test]
    fn a_group_key_is_two_numbers_of_one_to_nine_digits() {
        assert_eq!(group_key("3/8"), Some((3, 8)));
        assert_eq!(group_key("000000007/999999999"), Some((7, 999_999_999)));
        for bad in [
            "",
            "3",
            "3/",
            "/8",
            "3/8/1",
            "+3/8",
            "3/-8",
            " 3/8",
            "1234567890/8",
            "3/1e3",
            "٣/8",
        ] {
            assert_eq!(group_key(bad), None, "{bad}");
        }
    }
}
