//! Stored records in bulk: a store's load at open() applies a page of records
//! in one call instead of one call per record. The kinds and key shapes are
//! lib/records.js's; a record this reader does not take (a group mark, a key
//! it cannot read exactly as JSON.parse would) is left to the caller, which
//! applies it one at a time and reports what it cannot read.

use super::Table;
use crate::core::json::parse_string_pair;

/// Record kinds, as the binding's caller numbers them (lib/table.js).
pub const KIND_USER: u8 = 1;
pub const KIND_SESSION: u8 = 2;
pub const KIND_TOKEN: u8 = 3;
pub const KIND_ALLOW: u8 = 4;
pub const KIND_GLOBAL: u8 = 5;

/// What a batch did: how many records changed the table, and the indices of
/// those left to the caller.
#[derive(Debug, Default, PartialEq)]
pub struct Applied {
    pub changed: u32,
    pub left: Vec<u32>,
}

/// A cut-off in whole milliseconds, as the single-record calls take it.
fn whole_ms(at: f64) -> i64 {
    at.ceil() as i64
}

impl Table {
    /// Applies record `i` of kind `kinds[i]`, key the i-th of `keys` (each
    /// ended by U+0000, which no stored key holds) and time `ats[i]` (ms: the
    /// cut-off, or a token's exp). A missing key is left to the caller.
    pub fn apply_records(&self, kinds: &[u8], keys: &str, ats: &[f64]) -> Applied {
        let mut out = Applied::default();
        let mut keys = keys.split_terminator('\0');
        for (i, (&kind, &at)) in kinds.iter().zip(ats).enumerate() {
            let changed = keys.next().and_then(|key| match kind {
                KIND_USER => Some(self.revoke_user(key, whole_ms(at))),
                KIND_SESSION => {
                    parse_string_pair(key).map(|(claim, value)| self.revoke_session(&claim, &value, whole_ms(at)))
                }
                KIND_TOKEN => parse_string_pair(key).map(|(iss, jti)| self.revoke_token(&iss, &jti, at / 1000.0)),
                KIND_ALLOW => parse_string_pair(key).map(|(iss, jti)| self.allow_token(&iss, &jti, at / 1000.0)),
                KIND_GLOBAL => Some(self.revoke_all(whole_ms(at))),
                _ => None,
            });
            match changed {
                Some(true) => out.changed += 1,
                Some(false) => {}
                None => out.left.push(i as u32),
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
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
                _ => t.revoke_all(whole_ms(at)),
            });
        }
        changed
    }

    fn did(changed: u32, left: &[u32]) -> Applied {
        Applied {
            changed,
            left: left.to_vec(),
        }
    }

    fn batch(t: &Table, records: &[(u8, &str, f64)]) -> Applied {
        let kinds: Vec<u8> = records.iter().map(|r| r.0).collect();
        let keys: String = records.iter().map(|r| format!("{}\0", r.1)).collect();
        let ats: Vec<f64> = records.iter().map(|r| r.2).collect();
        t.apply_records(&kinds, &keys, &ats)
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
        ];
        let (a, b) = (Table::new(), Table::new());
        let applied = batch(&a, &records);
        assert_eq!(applied, did(one_by_one(&b, &records), &[]));
        assert_eq!(applied.changed, 6);
        assert_eq!(a.stats(), b.stats());
        for t in [&a, &b] {
            let inner = t.inner.read();
            assert_eq!(inner.users.get(&key(USER, &["alice"])), Some(&1_001));
            assert_eq!(inner.users.get(&key(USER, &["bób 😀"])), Some(&2_000));
            assert_eq!(inner.sessions.get(&key(SESSION, &["sid", "s-1"])), Some(&3_000));
            assert_eq!(inner.tokens.get(&key(TOKEN, &["https://issuer", "j\"1"])), Some(&4_001));
            assert_eq!(inner.allowed.get(&key(TOKEN, &["", "j2"])), Some(&5_000));
            assert_eq!(inner.global, 600);
        }
    }

    #[test]
    fn what_it_cannot_read_is_left_to_the_caller_by_index() {
        let t = Table::new();
        let records = [
            (KIND_TOKEN, r#"["i","ok"]"#, 1_000.0),
            (0, "7/8", 1.0),                           // a group mark (or an unknown kind)
            (KIND_TOKEN, r#"["\ud800","lone"]"#, 1.0), // JSON.parse reads a lone surrogate
            (KIND_SESSION, "not json", 1.0),
            (KIND_ALLOW, r#"["one"]"#, 1.0),
            (9, "x", 1.0),
            (KIND_USER, "bob", 5.0),
        ];
        assert_eq!(batch(&t, &records), did(2, &[1, 2, 3, 4, 5]));
        // Fewer keys than kinds: the records without one are left too.
        assert_eq!(t.apply_records(&[KIND_USER; 2], "carol\0", &[1.0, 1.0]), did(1, &[1]));
        assert_eq!(t.apply_records(&[KIND_USER], "dave", &[1.0]), did(1, &[]));
    }
}
