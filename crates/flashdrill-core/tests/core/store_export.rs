//! Progress export and import.

use std::time::Duration;

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use flashdrill_core::schedule::Rating;
use flashdrill_core::session::{CardKey, Session};
use flashdrill_core::settings::Settings;
use flashdrill_core::store::export::{ImportError, PROGRESS_FORMAT, ProgressFile};
use flashdrill_core::store::{CardProgress, Mode, Store};

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 3, 1, 12, 0, 0).unwrap()
}

/// A profile with a few weeks of srs study (learning steps, lapses, fuzzed intervals),
/// practice answers and a suspended card.
fn studied_store() -> Store {
    let mut store = Store::open_in_memory("a").unwrap();
    let settings = Settings::default();
    let ratings = [
        Rating::Good,
        Rating::Good,
        Rating::Again,
        Rating::Hard,
        Rating::Good,
        Rating::Easy,
    ];
    let mut now = t0();
    for day in 0..30 {
        let mut queue = Vec::new();
        for i in 0..6 {
            let key = CardKey::new(if i < 4 { "deck-a" } else { "deck-b" }, format!("c{i}"));
            let p = store
                .card(&key.deck_id, &key.card_id)
                .unwrap()
                .unwrap_or_else(|| CardProgress::new_card(now));
            if p.card.due <= now + TimeDelta::hours(12) && !p.suspended {
                queue.push((key, p));
            }
        }
        let mut s = Session::from_settings(&settings, Mode::Srs, queue, now).unwrap();
        let mut n = day;
        while s.current().is_some() {
            let rating = ratings[n % ratings.len()];
            n += 1;
            s.answer(
                &mut store,
                rating,
                Some("typed"),
                None,
                Duration::from_millis(1500),
                now,
            )
            .unwrap();
            now += TimeDelta::seconds(40);
            s.advance(now);
        }
        now += TimeDelta::days(1);
    }
    let practice = vec![(
        CardKey::new("deck-a", "c0"),
        store.card("deck-a", "c0").unwrap().unwrap(),
    )];
    let mut s = Session::from_settings(&settings, Mode::Practice, practice, now).unwrap();
    s.answer(
        &mut store,
        Rating::Again,
        Some("nope"),
        Some(false),
        Duration::from_millis(900),
        now,
    )
    .unwrap();
    drop(s);
    store.set_suspended("deck-b", "c5", true, now).unwrap();
    store
        .set_suspended("deck-b", "never-studied", true, now)
        .unwrap();
    store
}

#[test]
fn export_import_into_an_empty_profile_export_again_gives_the_same_cards() {
    let store = studied_store();
    let first = store.export_progress().unwrap();
    assert_eq!(first.format, PROGRESS_FORMAT);
    assert!(first.reviews.len() > 50, "{}", first.reviews.len());
    assert!(first.reviews.iter().any(|r| r.mode == Mode::Practice));
    assert!(first.cards.iter().any(|c| c.lapses > 0));
    let text = first.to_json();

    let mut empty = Store::open_in_memory("b").unwrap();
    let parsed = ProgressFile::parse(&text).unwrap();
    assert_eq!(parsed, first);
    let summary = empty
        .import_progress(&parsed, &Settings::default())
        .unwrap();
    assert_eq!(summary.reviews_added, first.reviews.len());
    assert_eq!(summary.reviews_skipped, 0);
    assert_eq!(summary.cards_rebuilt, 6);
    assert_eq!(summary.cards_added, 1);

    let second = empty.export_progress().unwrap();
    assert_eq!(second.cards, first.cards);
    assert_eq!(second.reviews.len(), first.reviews.len());
    for (a, b) in first.reviews.iter().zip(&second.reviews) {
        assert_eq!(
            (&a.deck, &a.card, a.at, a.rating, a.mode),
            (&b.deck, &b.card, b.at, b.rating, b.mode)
        );
        assert_eq!(
            (&a.answer, a.correct, a.response_ms),
            (&b.answer, b.correct, b.response_ms)
        );
    }
    // The rebuilt log rows carry the states that make undo work.
    let history = empty.card_history("deck-a", "c1").unwrap();
    let last = history.last().unwrap();
    assert_eq!(
        last.state_after,
        empty.card("deck-a", "c1").unwrap().map(|p| p.card)
    );
    let undone = empty.undo_answer(last.id).unwrap();
    assert_eq!(
        undone.restored.map(|p| p.card),
        history[history.len() - 2].state_after
    );

    // Importing the same file again adds nothing and changes nothing.
    let mut again = Store::open_in_memory("c").unwrap();
    again
        .import_progress(&parsed, &Settings::default())
        .unwrap();
    let s = again
        .import_progress(&parsed, &Settings::default())
        .unwrap();
    assert_eq!(s.reviews_added, 0);
    assert_eq!(s.reviews_skipped, first.reviews.len());
    assert_eq!(again.export_progress().unwrap().cards, first.cards);
}

#[test]
fn import_merges_two_profiles_and_replays_the_merged_history() {
    let source = studied_store();
    let file = source.export_progress().unwrap();
    // The target answered deck-a/c0 once, before everything in the file.
    let mut target = Store::open_in_memory("t").unwrap();
    let early = vec![(CardKey::new("deck-a", "c0"), CardProgress::new_card(t0()))];
    let mut s = Session::from_settings(
        &Settings::default(),
        Mode::Srs,
        early,
        t0() - TimeDelta::days(3),
    )
    .unwrap();
    s.answer(
        &mut target,
        Rating::Good,
        None,
        None,
        Duration::from_secs(1),
        t0() - TimeDelta::days(3),
    )
    .unwrap();
    drop(s);
    let summary = target.import_progress(&file, &Settings::default()).unwrap();
    assert_eq!(summary.reviews_added, file.reviews.len());
    let c0 = target.card("deck-a", "c0").unwrap().unwrap();
    let srs_count = file
        .reviews
        .iter()
        .filter(|r| r.deck == "deck-a" && r.card == "c0" && r.mode == Mode::Srs)
        .count();
    assert_eq!(c0.card.reps as usize, srs_count + 1);
}

fn import_err(text: &str) -> String {
    match ProgressFile::parse(text) {
        Err(e) => e.to_string(),
        Ok(_) => panic!("accepted: {text}"),
    }
}

#[test]
fn malformed_files_are_rejected_with_the_place() {
    let err = import_err("{\"format\": \"flashdrill-progress/1\",\n \"reviews\": [,]}");
    assert!(err.starts_with("line 2, column 14"), "{err}");
    let err = import_err("{\"format\": \"other/1\", \"reviews\": [], \"cards\": []}");
    assert_eq!(err, "format: \"other/1\" is not \"flashdrill-progress/1\"");
    let review = |rating: &str| {
        format!(
            "{{\"deck\": \"d\", \"card\": \"c\", \"at\": \"2025-03-01T12:00:00Z\", \
             \"rating\": {rating}, \"mode\": \"srs\", \"response_ms\": 5}}"
        )
    };
    let mut reviews: Vec<String> = (0..13).map(|_| review("3")).collect();
    reviews[12] = review("7");
    let text = format!(
        "{{\"format\": \"flashdrill-progress/1\", \"reviews\": [{}], \"cards\": []}}",
        reviews.join(",")
    );
    assert_eq!(import_err(&text), "reviews[12].rating: 7 is not 1–4");
    for (bad, expected) in [
        (
            "\"at\": \"yesterday\"",
            "reviews[0].at: \"yesterday\" is not an RFC 3339 time",
        ),
        (
            "\"mode\": \"exam\"",
            "reviews[0].mode: \"exam\" is not srs, practice, drill or test",
        ),
        (
            "\"response_ms\": -1",
            "reviews[0].response_ms: -1 is not a whole number",
        ),
        ("\"deck\": \"\"", "reviews[0].deck: must not be empty"),
        (
            "\"correct\": 1",
            "reviews[0].correct: expected true or false, found 1",
        ),
    ] {
        let key = bad.split(':').next().unwrap();
        let base = review("3");
        let one = match base.find(key) {
            Some(start) => {
                let end = base[start..].find([',', '}']).unwrap() + start;
                format!("{}{bad}{}", &base[..start], &base[end..])
            }
            None => format!("{}, {bad}}}", &base[..base.len() - 1]),
        };
        let text = format!(
            "{{\"format\": \"flashdrill-progress/1\", \"reviews\": [{one}], \"cards\": []}}"
        );
        let err = import_err(&text);
        assert!(err.starts_with(expected), "{err} (wanted {expected})");
    }
    let err = import_err(
        "{\"format\": \"flashdrill-progress/1\", \"reviews\": [], \"cards\": [{\"deck\": \"d\", \
         \"card\": \"c\", \"state\": \"mastered\"}]}",
    );
    assert_eq!(
        err,
        "cards[0].state: \"mastered\" is not new, learning, review or relearning"
    );
    let err = import_err("{\"format\": \"flashdrill-progress/1\", \"cards\": []}");
    assert_eq!(err, "reviews: missing");
}

#[test]
fn a_failed_import_writes_nothing() {
    let mut store = Store::open_in_memory("x").unwrap();
    let file = studied_store().export_progress().unwrap();
    // Settings the scheduler refuses: the import fails before writing.
    let settings = Settings {
        learning_steps: vec![TimeDelta::zero()],
        ..Settings::default()
    };
    let err = store.import_progress(&file, &settings).unwrap_err();
    assert!(matches!(err, ImportError::Schedule(_)), "{err}");
    assert_eq!(store.review_count().unwrap(), 0);
    assert!(store.card_states(None).unwrap().is_empty());
}

#[test]
fn rebuild_all_reproduces_the_stored_states() {
    let mut store = studied_store();
    let before = store.card_states(None).unwrap();
    // Nothing changes with the settings the answers were made with.
    let n = store.rebuild_all(&Settings::default()).unwrap();
    assert_eq!(n, 0);
    assert_eq!(store.card_states(None).unwrap(), before);
    // With other settings the schedules change but flags stay.
    let mut s = Settings::default();
    s.set("desired_retention", "0.8").unwrap();
    assert_eq!(store.rebuild_all(&s).unwrap(), 6);
    let after = store.card_states(None).unwrap();
    assert_ne!(after, before);
    // The log rows follow: undoing the last answer of a card gives its replayed state before.
    let history = store.card_history("deck-a", "c2").unwrap();
    let last = history.last().unwrap();
    assert_eq!(
        last.state_after,
        store.card("deck-a", "c2").unwrap().map(|p| p.card)
    );
    for w in history.windows(2) {
        if w[1].mode == Mode::Srs && w[0].mode == Mode::Srs {
            assert_eq!(w[1].state_before, w[0].state_after);
        }
    }
    // And back: rebuilding with the original settings restores every state.
    assert_eq!(store.rebuild_all(&Settings::default()).unwrap(), 6);
    assert_eq!(store.card_states(None).unwrap(), before);
    assert!(store.card("deck-b", "c5").unwrap().unwrap().suspended);
}

#[test]
fn only_deck_card_at_rating_and_mode_are_required_in_a_review() {
    let text = "{\"format\": \"flashdrill-progress/1\", \"reviews\": [{\"deck\": \"d\", \
                \"card\": \"c\", \"at\": \"2025-03-01T12:00:00Z\", \"rating\": 3, \
                \"mode\": \"srs\"}], \"cards\": []}";
    let file = ProgressFile::parse(text).unwrap();
    let r = &file.reviews[0];
    assert_eq!(
        (r.id, r.response_ms),
        (0, 0),
        "missing id and time read as 0"
    );
    assert_eq!((r.answer.as_deref(), r.correct), (None, None));
    assert_eq!(r.rating, Rating::Good);
    // And it imports: the card is rebuilt from the one review.
    let mut store = Store::open_in_memory("p").unwrap();
    let summary = store.import_progress(&file, &Settings::default()).unwrap();
    assert_eq!((summary.reviews_added, summary.cards_rebuilt), (1, 1));
    assert_eq!(store.card("d", "c").unwrap().unwrap().card.reps, 1);

    for field in ["deck", "card", "at", "rating", "mode"] {
        let without = text.replace(&format!("\"{field}\""), "\"unused\"");
        assert_eq!(
            import_err(&without),
            format!("reviews[0].{field}: missing"),
            "{without}"
        );
    }
}

#[test]
fn shape_errors_are_told_in_the_words_of_json() {
    let wrap = |reviews: &str| {
        format!("{{\"format\": \"flashdrill-progress/1\", \"reviews\": {reviews}, \"cards\": []}}")
    };
    assert_eq!(
        import_err(&wrap("{}")),
        "reviews: expected an array, found an object"
    );
    let err = import_err(&wrap("[3]"));
    assert!(
        err.starts_with("reviews[0]: expected an object, found "),
        "{err}"
    );
    assert_eq!(
        import_err("[]"),
        "the file: expected an object, found an array"
    );
    assert_eq!(
        import_err(&wrap("[]").replace("\"cards\": []", "\"cards\": [{\"deck\": \"d\", \"card\": \"c\", \"state\": \"new\", \"due\": \"2025-03-01T12:00:00Z\", \"reps\": 0, \"lapses\": 0, \"suspended\": \"no\"}]")),
        "cards[0].suspended: expected true or false, found \"no\""
    );
}

/// Review ids stay what they are from profile to profile: a history merged into another keeps
/// its ids, so merging it twice, or from two computers, keeps each review once.
#[test]
fn review_ids_travel_with_the_history() {
    let store = studied_store();
    let file = store.export_progress().unwrap();
    let mut other = Store::open_in_memory("b").unwrap();
    other.import_progress(&file, &Settings::default()).unwrap();
    let ids = |s: &Store| {
        let mut ids: Vec<i64> = s.all_reviews().unwrap().iter().map(|r| r.id).collect();
        ids.sort_unstable();
        ids
    };
    assert_eq!(ids(&other), ids(&store));
    for r in other.all_reviews().unwrap() {
        assert_eq!(
            flashdrill_core::store::review_id_ms(r.id),
            r.at.timestamp_millis(),
            "an id begins with its time"
        );
    }
    // Merging the exported history back changes nothing.
    let back = other.export_progress().unwrap();
    let mut merged = studied_store();
    let summary = merged.import_progress(&back, &Settings::default()).unwrap();
    assert_eq!(summary.reviews_added, 0);
    assert_eq!(summary.reviews_skipped, back.reviews.len());
}

/// When the caller's last check says no, nothing of the import is saved.
#[test]
fn an_import_abandoned_before_its_commit_saves_nothing() {
    let file = studied_store().export_progress().unwrap();
    let mut store = Store::open_in_memory("b").unwrap();
    let mut incoming = flashdrill_core::store::import::Incoming::default();
    incoming.cards.push(("deck-a", "c0"));
    for r in file.reviews.iter().filter(|r| r.card == "c0") {
        incoming.reviews.push(r.incoming(0));
    }
    assert!(!incoming.reviews.is_empty());
    let mut asked = false;
    let err = store
        .import_incoming_then(&incoming, &Settings::default(), &mut || {
            asked = true;
            false
        })
        .unwrap_err();
    assert!(asked);
    assert!(matches!(err, ImportError::Abandoned), "{err}");
    assert_eq!(store.review_count().unwrap(), 0);
    assert_eq!(store.card("deck-a", "c0").unwrap(), None);
    // The same import, let through, saves it all.
    let summary = store
        .import_incoming(&incoming, &Settings::default())
        .unwrap();
    assert_eq!(summary.reviews_added, incoming.reviews.len());
}

/// A large history is written many rows a statement; a review whose id another card's review
/// already holds takes the next free id of its millisecond, and nothing is lost.
#[test]
fn a_large_import_meeting_a_taken_id_keeps_every_review() {
    use flashdrill_core::store::import::{Incoming, IncomingReview};
    let mut store = Store::open_in_memory("a").unwrap();
    let settings = Settings::default();
    let review = |card: u32, at: DateTime<Utc>, id: i64| IncomingReview {
        card,
        at,
        rating: Rating::Good,
        mode: Mode::Srs,
        answer: None,
        correct: None,
        response_ms: 1200,
        id,
    };
    // One review of card a at t0.
    let first = Incoming {
        cards: vec![("deck", "a")],
        reviews: vec![review(0, t0(), 0)],
        ..Incoming::default()
    };
    store.import_incoming(&first, &settings).unwrap();
    let taken = store.all_reviews().unwrap()[0].id;
    // 300 reviews of card b (listed under two indexes), one of them at t0 carrying that id.
    let mut reviews: Vec<IncomingReview<'_>> = (1..300)
        .map(|i| review(u32::from(i % 2 == 0), t0() + TimeDelta::hours(i), 0))
        .collect();
    reviews.push(review(1, t0(), taken));
    let second = Incoming {
        cards: vec![("deck", "b"), ("deck", "b")],
        reviews,
        ..Incoming::default()
    };
    let summary = store.import_incoming(&second, &settings).unwrap();
    assert_eq!(summary.reviews_added, 300);
    let all = store.all_reviews().unwrap();
    assert_eq!(all.len(), 301);
    let at_t0: Vec<(&str, i64)> = all
        .iter()
        .filter(|r| r.at == t0())
        .map(|r| (r.card_id.as_str(), r.id))
        .collect();
    assert!(at_t0.contains(&("a", taken)), "{at_t0:?}");
    assert!(at_t0.contains(&("b", taken + 1)), "{at_t0:?}");
    assert_eq!(all.iter().filter(|r| r.card_id == "b").count(), 300);
    assert!(store.card("deck", "b").unwrap().is_some());
}
