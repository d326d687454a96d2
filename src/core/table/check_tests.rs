//! The cut-off comparisons and the order of the rules in `Table::check`.

use super::{who, Identity, Reason, Snapshot, Table};

#[test]
fn a_fraction_of_a_millisecond_before_the_cutoff_is_before_it() {
    let t = Table::new();
    t.revoke_user("u", 1_800_000_000_000);
    let at = |iat: f64| Identity {
        iss: None,
        sub: Some("u"),
        jti: None,
        iat,
        since: iat,
        sessions: &[],
    };
    assert_eq!(
        t.check(&at(1_799_999_999.999_6), false, false, &mut Snapshot::new()),
        Some(Reason::User)
    );
    assert_eq!(t.check(&at(1_800_000_000.0), false, false, &mut Snapshot::new()), None);
    t.revoke_user("u", 1_800_000_000_123);
    assert_eq!(
        t.check(&at(1_800_000_000.123), false, false, &mut Snapshot::new()),
        None
    );
    assert_eq!(
        t.check(&at(1_800_000_000.122), false, false, &mut Snapshot::new()),
        Some(Reason::User)
    );
}

#[test]
fn user_cutoff_refuses_tokens_issued_before_it_only() {
    let t = Table::new();
    t.revoke_user("u1", 1_000);
    assert_eq!(
        t.check(&who("u1", "j", 999, &[]), false, false, &mut Snapshot::new()),
        Some(Reason::User)
    );
    assert_eq!(
        t.check(&who("u1", "j", 1_000, &[]), false, false, &mut Snapshot::new()),
        None
    );
    assert_eq!(
        t.check(&who("u2", "j", 0, &[]), false, false, &mut Snapshot::new()),
        None
    );
}

#[test]
fn token_entries_are_keyed_by_issuer_and_jti() {
    let t = Table::new();
    t.revoke_token("i", "j1", 100.0);
    assert_eq!(
        t.check(&who("u", "j1", 0, &[]), false, false, &mut Snapshot::new()),
        Some(Reason::Token)
    );
    assert_eq!(
        t.check(&who("u", "j2", 0, &[]), false, false, &mut Snapshot::new()),
        None
    );
    let other = Identity {
        iss: Some("other"),
        ..who("u", "j1", 0, &[])
    };
    assert_eq!(t.check(&other, false, false, &mut Snapshot::new()), None);
}

#[test]
fn session_cutoff_applies_per_claim_name() {
    let t = Table::new();
    t.revoke_session("did", "phone", 5_000);
    assert_eq!(
        t.check(
            &who("u", "j", 10, &[("did", "phone", 0.01)]),
            false,
            false,
            &mut Snapshot::new()
        ),
        Some(Reason::Session)
    );
    assert_eq!(
        t.check(
            &who("u", "j", 10, &[("sid", "phone", 0.01)]),
            false,
            false,
            &mut Snapshot::new()
        ),
        None
    );
    assert_eq!(
        t.check(
            &who("u", "j", 5_000, &[("did", "phone", 5.0)]),
            false,
            false,
            &mut Snapshot::new()
        ),
        None
    );
}

#[test]
fn global_cutoff_refuses_everything_older() {
    let t = Table::new();
    t.revoke_all(7);
    assert_eq!(
        t.check(&who("u", "j", 6, &[]), false, false, &mut Snapshot::new()),
        Some(Reason::Global)
    );
    assert_eq!(
        t.check(&who("u", "j", 7, &[]), false, false, &mut Snapshot::new()),
        None
    );
}

#[test]
fn allow_list_refuses_unlisted_and_jti_less_tokens() {
    let t = Table::new();
    t.allow_token("i", "j1", 100.0);
    assert_eq!(
        t.check(&who("u", "j1", 0, &[]), true, false, &mut Snapshot::new()),
        None
    );
    assert_eq!(
        t.check(&who("u", "j2", 0, &[]), true, false, &mut Snapshot::new()),
        Some(Reason::NotAllowed)
    );
    let no_jti = Identity {
        jti: None,
        ..who("u", "x", 0, &[])
    };
    assert_eq!(
        t.check(&no_jti, true, false, &mut Snapshot::new()),
        Some(Reason::NotAllowed)
    );
}

#[test]
fn cutoffs_compare_the_session_start_and_rotation_marks_the_iat() {
    let t = Table::new();
    t.revoke_user("u", 10_000);
    t.revoke_session("sid", "s", 10_000);
    t.revoke_session("rfam", "s", 10_000);
    // Minted after the cut-offs from a session begun before them.
    let minted = |sessions| Identity {
        since: 5.0,
        sessions,
        ..who("u", "j", 20_000, &[])
    };
    assert_eq!(
        t.check(&minted(&[]), false, false, &mut Snapshot::new()),
        Some(Reason::User)
    );
    t.revoke_all(9_000);
    assert_eq!(
        t.check(
            &Identity {
                sub: None,
                ..minted(&[])
            },
            false,
            false,
            &mut Snapshot::new()
        ),
        Some(Reason::Global)
    );
    let other = Identity {
        sub: Some("v"),
        since: 5.0,
        ..who("v", "j", 20_000, &[("sid", "s", 5.0)])
    };
    assert_eq!(
        t.check(&other, false, false, &mut Snapshot::new()),
        Some(Reason::Global)
    );
    let t = Table::new();
    t.revoke_session("sid", "s", 10_000);
    t.revoke_session("rfam", "s", 10_000);
    let by_session = Identity {
        since: 5.0,
        ..who("v", "j", 20_000, &[("sid", "s", 5.0)])
    };
    assert_eq!(
        t.check(&by_session, false, false, &mut Snapshot::new()),
        Some(Reason::Session)
    );
    // A rotation mark passes a token issued after it, whenever its session began.
    let rotated = Identity {
        since: 5.0,
        ..who("v", "j", 20_000, &[("rfam", "s", 20.0)])
    };
    assert_eq!(t.check(&rotated, false, false, &mut Snapshot::new()), None);
}
