//! The ID mask cannot be walked around by searching (#17): the queue and roster searches find a
//! person by name, by the digits the mask shows, or by the whole number — never by a fragment of
//! hidden digits.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{fill, now, open};
use jxjy_store::queries::QueueFilter;
use jxjy_store::roster::RosterFilter;
use jxjy_store::Store;

fn queue_staff(store: &Store, q: &str) -> Vec<String> {
    let rows = store
        .queue(&QueueFilter {
            search: Some(q.to_owned()),
            limit: 500,
            ..QueueFilter::default()
        })
        .unwrap()
        .rows;
    let mut ids: Vec<String> = rows.into_iter().map(|r| r.staff_id).collect();
    ids.dedup();
    ids
}

fn roster_staff(store: &Store, q: &str) -> Vec<String> {
    store
        .roster(&RosterFilter {
            year: 2019,
            search: Some(q.to_owned()),
            limit: 500,
            ..RosterFilter::default()
        })
        .unwrap()
        .rows
        .into_iter()
        .map(|r| r.staff.id)
        .collect()
}

#[test]
fn a_fragment_of_hidden_digits_finds_nobody_while_name_visible_digits_and_full_number_do() {
    let (_h, _p, mut store) = open("mask");
    fill(&mut store, 40, 2, 5);
    let person = store
        .roster(&RosterFilter {
            year: 2019,
            limit: 1,
            ..RosterFilter::default()
        })
        .unwrap()
        .rows
        .remove(0)
        .staff;
    let full = store
        .reveal_id_number(&person.id, "reviewer01", now())
        .unwrap();
    assert_eq!(full.len(), 18);
    let (head, hidden, tail) = (&full[..4], &full[4..14], &full[14..]);
    assert_eq!(person.id_number_masked, format!("{head}**********{tail}"));

    for find in [roster_staff, queue_staff] {
        // Every hidden window of 3 to 10 digits: nobody, not even the person.
        for len in 3..=10 {
            for at in 0..=hidden.len() - len {
                let fragment = &hidden[at..at + len];
                // A fragment that is also visible somewhere proves nothing about hiding.
                if head.contains(fragment) || tail.contains(fragment) {
                    continue;
                }
                let found = find(&store, fragment);
                assert!(
                    !found.contains(&person.id),
                    "hidden digits {fragment} found the person"
                );
            }
        }
        // Hidden and visible digits together: nothing either.
        let straddle = &full[2..7];
        assert!(!find(&store, straddle).contains(&person.id), "{straddle}");
        assert!(find(&store, &person.name).contains(&person.id));
        assert!(find(&store, head).contains(&person.id));
        assert!(find(&store, tail).contains(&person.id));
        assert!(find(&store, &tail[1..]).contains(&person.id));
        assert!(find(&store, &full).contains(&person.id));
        assert!(find(&store, &full.to_lowercase()).contains(&person.id));
    }
    // The reading of the full number was audited; searching is not a reading.
    let reads = store
        .raw_connection()
        .query_row(
            "SELECT count(*) FROM audit_log WHERE action = 'reveal_id_number'",
            [],
            |r| r.get::<_, i64>(0),
        )
        .unwrap();
    assert_eq!(reads, 1);
}
