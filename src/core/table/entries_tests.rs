//! Entries that only move forward, the epochs they bump, group marks, pruning and stats.

use super::key::{group, key, USER};
use super::{who, Reason, Snapshot, Table};

#[test]
fn a_token_entry_only_grows() {
    let t = Table::new();
    t.revoke_token("i", "j", 100.0);
    assert!(!t.revoke_token("i", "j", 1.0));
    assert_eq!(t.prune(50_000, 0, 0), 0);
    assert_eq!(
        t.check(&who("u", "j", 0, &[]), false, false, &mut Snapshot::new()),
        Some(Reason::Token)
    );
}

#[test]
fn pruning_honours_the_longest_registered_lifetime() {
    let t = Table::new();
    t.register_horizon(30 * 86_400_000, 0);
    t.revoke_user("u", 1_000);
    assert_eq!(t.prune(1_000 + 600_000, 300_000, 0), 0);
    assert_eq!(t.stats().users, 1);
}

#[test]
fn user_cutoff_only_moves_forward() {
    let t = Table::new();
    assert!(t.revoke_user("u1", 2_000));
    assert!(!t.revoke_user("u1", 1_000));
    assert_eq!(
        t.check(&who("u1", "j", 1_500, &[]), false, false, &mut Snapshot::new()),
        Some(Reason::User)
    );
}

#[test]
fn prune_keeps_entries_until_nothing_they_refuse_can_pass() {
    let t = Table::new();
    t.revoke_user("u", 10_000);
    t.revoke_token("i", "j", 20.0);
    // max lifetime 5 s, tolerance 1 s: the user entry may go after 10 + 2 x 5 + 1 = 21 s.
    assert_eq!(t.prune(21_000, 5_000, 1_000), 0);
    assert_eq!(t.prune(21_001, 5_000, 1_000), 1);
    // token exp 20 s, tolerance 1 s: kept through 21 s.
    assert_eq!(t.stats().tokens, 1);
    assert_eq!(t.prune(22_000, 5_000, 1_000), 1);
    assert_eq!(t.stats().tokens, 0);
}

#[test]
fn token_entry_is_twenty_one_bytes_per_slot() {
    let t = Table::new();
    t.reserve(1000);
    for i in 0..1000 {
        t.revoke_token("i", &i.to_string(), 100.0);
    }
    let s = t.stats();
    assert_eq!(s.tokens, 1000);
    assert!(s.bytes >= 1000 * 21 && s.bytes <= 2048 * 21, "{}", s.bytes);
    assert_eq!(s.bytes_by_kind[1], s.bytes, "only token entries were added");
}

#[test]
fn a_revocation_moves_the_epoch_of_its_own_group_only() {
    let t = Table::new();
    let mut before_a = Snapshot::new();
    let mut before_b = Snapshot::new();
    assert_eq!(
        t.check(
            &who("alice", "j1", 0, &[("sid", "s1", 0.0)]),
            false,
            false,
            &mut before_a
        ),
        None
    );
    assert_eq!(t.check(&who("bob", "j2", 0, &[]), false, false, &mut before_b), None);
    // global, user, session, token
    assert_eq!(before_a.len(), 4);
    let unchanged = |snap: &Snapshot| snap.iter().all(|&(g, e)| t.epochs().load(g) == e);
    t.revoke_user("alice", 10);
    assert!(!unchanged(&before_a));
    assert_eq!(
        unchanged(&before_b),
        group(&key(USER, &["alice"])) != group(&key(USER, &["bob"]))
    );
    // An entry that does not move (an older cut-off) changes no epoch.
    let mut again = Snapshot::new();
    t.check(&who("alice", "j1", 20, &[]), false, false, &mut again);
    t.revoke_user("alice", 5);
    assert!(unchanged(&again));
    t.revoke_all(1);
    assert!(!unchanged(&again));
}

#[test]
fn a_marked_group_sends_older_tokens_of_its_subs_to_the_slow_path() {
    let t = Table::new();
    let count = 1024;
    let g = Table::group_of("alice", count);
    let mut snap = Snapshot::new();
    assert_eq!(t.check(&who("alice", "j", 999, &[]), false, true, &mut snap), None);
    assert!(t.mark_group(g, count, 1_000));
    assert!(snap.iter().any(|&(grp, e)| t.epochs().load(grp) != e));
    assert_eq!(
        t.check(&who("alice", "j", 999, &[]), false, true, &mut Snapshot::new()),
        Some(Reason::Group)
    );
    assert_eq!(
        t.check(&who("alice", "j", 1_000, &[]), false, true, &mut Snapshot::new()),
        None
    );
    // Off unless asked for; other groups untouched; only moves forward.
    assert_eq!(
        t.check(&who("alice", "j", 999, &[]), false, false, &mut Snapshot::new()),
        None
    );
    let other = (0..100)
        .map(|i| format!("u{i}"))
        .find(|s| Table::group_of(s, count) != g)
        .unwrap();
    assert_eq!(
        t.check(&who(&other, "j", 0, &[]), false, true, &mut Snapshot::new()),
        None
    );
    assert!(!t.mark_group(g, count, 500));
    assert!(!t.mark_group(count, count, 2_000));
    // A real revocation still says so.
    t.revoke_user("alice", 2_000);
    assert_eq!(
        t.check(&who("alice", "j", 999, &[]), false, true, &mut Snapshot::new()),
        Some(Reason::User)
    );
}

#[test]
fn a_new_token_entry_moves_its_epoch_even_with_exp_zero() {
    let t = Table::new();
    let mut snap = Snapshot::new();
    assert_eq!(t.check(&who("u", "j", 0, &[]), false, false, &mut snap), None);
    assert!(t.revoke_token("i", "j", 0.0));
    assert!(snap.iter().any(|&(g, e)| t.epochs().load(g) != e));
    assert_eq!(
        t.check(&who("u", "j", 0, &[]), false, false, &mut Snapshot::new()),
        Some(Reason::Token)
    );
}
