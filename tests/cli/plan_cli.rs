//! `flashdrill exam`, `forecast`, `postpone`, `advance` and `settings --deck` on a real data
//! directory.

use chrono::{Duration, Local, Utc};

use crate::common::{run, stderr, stdout};

/// A history for ten cards of pm-dates: five learnt 60 days ago (overdue now, so due today),
/// five learnt 10 days ago and answered again 5 days ago (due in the coming weeks).
fn with_history(d: &std::path::Path) {
    let now = Utc::now();
    let ids = [
        "putin-first-visit-year",
        "cooling",
        "two-visits",
        "invasion-month",
        "what-happened-feb-2022",
        "first-artillery-accusation",
        "white-house-announcement",
        "kim-eastern-russia-when",
        "what-finalised-sept-2023",
        "over-1000-year",
    ];
    let mut reviews = Vec::new();
    for (i, id) in ids.iter().enumerate() {
        let times: Vec<chrono::DateTime<Utc>> = if i < 5 {
            let first = now - Duration::days(60);
            vec![first, first + Duration::minutes(15)]
        } else {
            let first = now - Duration::days(10);
            vec![
                first,
                first + Duration::minutes(15),
                now - Duration::days(5),
            ]
        };
        for at in times {
            reviews.push(format!(
                r#"{{"deck":"pm-dates","card":"{id}","at":"{}","rating":3,"mode":"srs"}}"#,
                at.format("%Y-%m-%dT%H:%M:%S%.3fZ")
            ));
        }
    }
    let file = d.join("history.json");
    std::fs::write(
        &file,
        format!(
            r#"{{"format":"flashdrill-progress/1","reviews":[{}],"cards":[]}}"#,
            reviews.join(",")
        ),
    )
    .unwrap();
    let o = run(d, &["progress", "import", file.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
}

/// Study days from now to `date_in(days)`: the study day rolls over at 4:00, so between
/// midnight and 4:00 it is still yesterday's.
fn days_left(days: i64) -> i64 {
    let date = Local::now().date_naive() + Duration::days(days);
    flashdrill_core::plan::day_number(date)
        - flashdrill_core::schedule::StudyDays::local(4).day_of(Utc::now())
}

fn date_in(days: i64) -> String {
    (Local::now().date_naive() + Duration::days(days))
        .format("%Y-%m-%d")
        .to_string()
}

#[test]
fn an_exam_is_set_listed_refused_and_removed() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let date = date_in(20);
    let o = run(
        d,
        &[
            "exam", "--deck", "pm-dates", "--date", &date, "--target", "0.9",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("pm-dates: Exam on"), "{}", stdout(&o));
    let left = format!("in {} days", days_left(20));
    assert!(stdout(&o).contains(&left), "{}", stdout(&o));

    // Bad values: a message naming the value and what is allowed; nothing changed.
    for (args, told) in [
        (vec!["--date", "2020-01-01"], "is in the past"),
        (vec!["--date", "12/01/2027"], "\"12/01/2027\" is not a date"),
        (
            vec!["--date", date.as_str(), "--target", "1.5"],
            "from 0.70 to 0.99",
        ),
    ] {
        let mut all = vec!["exam", "--deck", "pm-dates"];
        all.extend(args);
        let o = run(d, &all);
        assert_eq!(o.status.code(), Some(2), "{all:?}");
        assert!(stderr(&o).contains(told), "{all:?}: {}", stderr(&o));
        assert!(stderr(&o).contains("nothing was changed"), "{}", stderr(&o));
    }
    let o = run(d, &["exam", "--deck", "no-such-deck", "--date", &date]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("there is no deck \"no-such-deck\""),
        "{}",
        stderr(&o)
    );

    let o = run(d, &["exam"]);
    assert!(
        stdout(&o).contains(&format!("{left}: 0 % of cards ready")),
        "{}",
        stdout(&o)
    );

    let o = run(d, &["exam", "--deck", "pm-dates", "--clear"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = run(d, &["exam"]);
    assert!(
        stdout(&o).contains("No exam dates are set"),
        "{}",
        stdout(&o)
    );
    let o = run(d, &["exam", "--deck", "pm-dates", "--clear"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("has no exam date"), "{}", stderr(&o));
}

#[test]
fn the_forecast_counts_each_day_and_each_exam() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    with_history(d);
    let o = run(d, &["exam", "--deck", "pm-dates", "--date", &date_in(30)]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = run(d, &["forecast", "--days", "40", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let json: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let days = json["days"].as_array().unwrap();
    assert_eq!(days.len(), 40);
    let reviews: u64 = days.iter().map(|d| d["review"].as_u64().unwrap()).sum();
    // Ten cards in review, each due once within 40 days (after being brought forward for
    // the exam if needed).
    assert_eq!(reviews, 10, "{days:?}");
    // New cards: the other 41 of the bundled decks, on the first day (limit 20 a deck).
    assert_eq!(days[0]["new"], 41);
    let exam = &json["exams"][0];
    assert_eq!(exam["deck_id"], "pm-dates");
    assert_eq!(exam["days_left"], days_left(30));
    assert_eq!(exam["cards"], 18);
    assert_eq!(exam["target"], 0.9);

    let o = run(d, &["forecast", "--days", "0"]);
    assert_eq!(o.status.code(), Some(2));
    let o = run(d, &["forecast", "--deck", "pm-terms", "--days", "3"]);
    assert!(o.status.success());
    assert_eq!(stdout(&o).lines().count(), 4, "{}", stdout(&o));
}

#[test]
fn postpone_and_advance_move_cards_and_say_how_many() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let o = run(d, &["postpone", "--count", "3"]);
    assert!(stdout(&o).contains("nothing to postpone"), "{}", stdout(&o));
    with_history(d);
    let before = stdout(&run(d, &["forecast", "--days", "1", "--json"]));
    let due_today = |text: &str| {
        let json: serde_json::Value = serde_json::from_str(text).unwrap();
        json["days"][0]["review"].as_u64().unwrap()
    };
    let due = due_today(&before);
    assert!(due >= 2, "{before}");
    let o = run(d, &["postpone", "--count", "2", "--deck", "pm-dates"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("Postponed 2 cards"), "{}", stdout(&o));
    let after = stdout(&run(d, &["forecast", "--days", "1", "--json"]));
    assert_eq!(due_today(&after), due - 2);
    let o = run(d, &["advance", "--count", "1"]);
    assert!(stdout(&o).contains("Advanced 1 card."), "{}", stdout(&o));
    let advanced = stdout(&run(d, &["forecast", "--days", "1", "--json"]));
    assert_eq!(due_today(&advanced), due - 1);
    let o = run(d, &["postpone", "--count", "1", "--deck", "nope"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn a_deck_keeps_its_own_retention() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let o = run(
        d,
        &["settings", "--deck", "pm-terms", "desired_retention=0.95"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o).trim(), "pm-terms: desired_retention = 0.95");
    let o = run(
        d,
        &["settings", "--deck", "pm-terms", "desired_retention=1.5"],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("from 0.70 to 0.99"), "{}", stderr(&o));
    let o = run(d, &["settings", "--deck", "pm-terms", "new_per_day=5"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("is a profile setting"),
        "{}",
        stderr(&o)
    );
    let o = run(d, &["settings", "--deck", "pm-terms"]);
    assert_eq!(stdout(&o).trim(), "pm-terms: desired_retention = 0.95");
    let o = run(
        d,
        &[
            "settings",
            "--deck",
            "pm-terms",
            "desired_retention=default",
        ],
    );
    assert!(stdout(&o).contains("(the profile's)"), "{}", stdout(&o));
    // The profile's own settings: the new keys, checked.
    let o = run(
        d,
        &["settings", "easy_days=sun=0 sat=50", "load_balance=false"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let o = run(d, &["settings", "easy_days=sun=200"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("\"200\" is not a percentage"),
        "{}",
        stderr(&o)
    );
}
