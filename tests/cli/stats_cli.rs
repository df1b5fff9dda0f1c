//! `flashdrill stats` and `flashdrill report` run as the real binary on a data directory whose
//! progress was seeded through the library API.

use std::path::Path;
use std::time::Duration;

use chrono::{Local, TimeDelta, Timelike, Utc};
use flashdrill_core::deck;
use flashdrill_core::schedule::Rating;
use flashdrill_core::session::{CardKey, Session, deck_queue};
use flashdrill_core::store::{CardProgress, Mode};

use crate::common::{profile_store, run, stderr, stdout};

/// A user deck whose text needs escaping in HTML and quoting in CSV.
const ESCAPE_DECK: &str = r#"{
  "format": "flashdrill-deck/1",
  "id": "escape-test",
  "title": "Escape <test> & co",
  "source": { "title": "Article", "author": "Author" },
  "cards": [
    {
      "id": "tricky",
      "category": "term",
      "prompt": "Is <script>alert(\"x\")</script> & 'this' shown as text?",
      "answer": "Yes, \"as text\"",
      "source": "Everything is text."
    },
    {
      "id": "when",
      "category": "date",
      "prompt": "When?",
      "answer": "2000",
      "date": "2000",
      "source": "In 2000."
    }
  ]
}
"#;

/// Seeds the default profile: days start 12 hours away from now (so the answers, made an hour
/// ago, are today's whatever the clock says); in srs, "tricky" Good and "when" Again (30 s
/// each); in practice, the first bundled date card Good (60 s).
fn seed(dir: &Path) -> deck::Library {
    let user_dir = deck::user_deck_dir(dir);
    std::fs::create_dir_all(&user_dir).unwrap();
    std::fs::write(user_dir.join("escape.json"), ESCAPE_DECK).unwrap();
    let library = deck::load_library(&[user_dir], true);
    assert!(library.failures.is_empty(), "{:?}", library.failures);

    let mut store = profile_store(dir, None);
    let mut settings = store.load_settings().unwrap();
    settings.day_starts_at = (Local::now().hour() + 12) % 24;
    store.save_settings(&settings).unwrap();

    let at = Utc::now() - TimeDelta::hours(1);
    let queue = deck_queue(
        &store,
        "escape-test",
        &["tricky", "when"],
        &settings,
        &at.with_timezone(&Local),
    )
    .unwrap();
    assert_eq!(queue.len(), 2);
    let mut s = Session::from_settings(&settings, Mode::Srs, queue, at).unwrap();
    let half_minute = Duration::from_secs(30);
    assert_eq!(s.current().unwrap().card_id, "tricky");
    s.answer(&mut store, Rating::Good, None, None, half_minute, at)
        .unwrap();
    assert_eq!(s.current().unwrap().card_id, "when");
    s.answer(&mut store, Rating::Again, None, None, half_minute, at)
        .unwrap();

    let dates = library.deck("pm-dates").unwrap();
    let first = CardKey::new("pm-dates", dates.deck.cards[0].id.clone());
    let mut p = Session::from_settings(
        &settings,
        Mode::Practice,
        vec![(first, CardProgress::new_card(at))],
        at,
    )
    .unwrap();
    p.answer(
        &mut store,
        Rating::Good,
        None,
        Some(true),
        Duration::from_mins(1),
        at,
    )
    .unwrap();
    library
}

fn count_category(library: &deck::Library, category: &str) -> usize {
    library
        .decks
        .iter()
        .flat_map(|d| &d.deck.cards)
        .filter(|c| c.category == category)
        .count()
}

/// The mastery row of a category: new, learning, young, mature.
fn mastery_row(text: &str, label: &str) -> Vec<String> {
    let line = text
        .lines()
        .find(|l| l.trim_start().starts_with(&format!("{label} ")))
        .unwrap_or_else(|| panic!("no {label} row in\n{text}"));
    line.split_whitespace()
        .skip(1)
        .take(4)
        .map(str::to_owned)
        .collect()
}

#[test]
fn stats_summarise_today_streak_mastery_and_forecast() {
    let dir = tempfile::tempdir().unwrap();
    let library = seed(dir.path());
    let o = run(dir.path(), &["stats"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(text.starts_with("Profile Default, all decks, "), "{text}");
    // 2 reviews and a practice answer, 30 + 30 + 60 s = 2 min, 2 of 3 right.
    assert!(
        text.contains("Today: 2 reviews, 1 practice or drill answer, 2 min, 67 % right"),
        "{text}"
    );
    assert!(text.contains("Streak: 1 day (longest 1 day)"), "{text}");
    // No card was in Review before an answer yet.
    assert!(
        text.contains(
            "True retention, last 30 days: no reviews of learned cards yet (desired 90 %)"
        ),
        "{text}"
    );
    assert!(
        text.contains("Total answers: 3; would recall today: "),
        "{text}"
    );
    // "when" (Again) is learning; every other date card is new (practice changes nothing).
    let dates = count_category(&library, "date");
    assert_eq!(
        mastery_row(&text, "Dates"),
        [(dates - 1).to_string(), "1".into(), "0".into(), "0".into()]
    );
    let terms = count_category(&library, "term");
    assert_eq!(
        mastery_row(&text, "Terms"),
        [(terms - 1).to_string(), "1".into(), "0".into(), "0".into()]
    );
    // Both learning cards were due within 10 minutes of an hour ago: overdue, so due today.
    assert!(text.contains("  Today (and overdue)  2\n"), "{text}");
    assert!(text.contains("  Tomorrow             0\n"), "{text}");
    assert_eq!(
        text.lines()
            .skip_while(|l| !l.starts_with("Due in the next 7 days"))
            .count(),
        8,
        "{text}"
    );

    let o = run(dir.path(), &["stats", "--deck", "escape-test"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(
        text.starts_with("Profile Default, deck \"Escape <test> & co\", "),
        "{text}"
    );
    assert!(
        text.contains("Today: 2 reviews, 1 min, 50 % right"),
        "{text}"
    );
    assert_eq!(mastery_row(&text, "Dates"), ["0", "1", "0", "0"]);

    let o = run(dir.path(), &["stats", "--deck", "nope"]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("there is no deck \"nope\""), "{err}");
    assert!(err.contains("escape-test"), "{err}");
}

#[test]
fn stats_of_an_empty_profile_say_so() {
    let dir = tempfile::tempdir().unwrap();
    let o = run(dir.path(), &["stats"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(text.contains("No reviews yet"), "{text}");
    assert!(text.contains("Today: 0 reviews, 0 min, – right"), "{text}");
    assert!(text.contains("Streak: 0 days (longest 0 days)"), "{text}");
}

#[test]
fn csv_report_has_one_row_per_card() {
    let dir = tempfile::tempdir().unwrap();
    seed(dir.path());
    let o = run(
        dir.path(),
        &["report", "--format", "csv", "--deck", "escape-test"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    let lines: Vec<&str> = text.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(lines.len(), 3, "{text}");
    assert!(lines[0].starts_with("deck,card_id,category,prompt,answer,state,level,suspended,reviews,right,wrong,lapses,stability,difficulty,due,last_review,retrievability"));
    assert!(
        lines[1].starts_with(
            "escape-test,tricky,term,\"Is <script>alert(\"\"x\"\")</script> & 'this' shown as text?\",\"Yes, \"\"as text\"\"\",learning,learning,false,1,1,0,0,"
        ),
        "{}",
        lines[1]
    );
    assert!(
        lines[2].starts_with("escape-test,when,date,When?,2000,learning,learning,false,1,0,1,0,"),
        "{}",
        lines[2]
    );

    let o = run(
        dir.path(),
        &["report", "--format", "csv", "--table", "categories"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(
        text.starts_with(
            "category,cards,new,learning,young,mature,reviews,right,wrong,accuracy,recall\r\n"
        ),
        "{text}"
    );
    // Dates: "when" (Again) and the practised bundled card (right) → 2 answers, 1 right.
    let dates = text.lines().find(|l| l.starts_with("date,")).unwrap();
    let cells: Vec<&str> = dates.trim_end().split(',').collect();
    assert_eq!(&cells[3..10], ["1", "0", "0", "2", "1", "1", "0.500"]);
}

#[test]
fn json_and_html_reports_are_written_to_files() {
    let dir = tempfile::tempdir().unwrap();
    let library = seed(dir.path());
    let json_path = dir.path().join("report.json");
    let o = run(
        dir.path(),
        &[
            "report",
            "--format",
            "json",
            "--out",
            json_path.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).is_empty());
    assert!(stderr(&o).contains("wrote "), "{}", stderr(&o));
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json_path).unwrap()).unwrap();
    assert_eq!(v["format"], "flashdrill-report/1");
    assert_eq!(v["profile"], "Default");
    assert_eq!(v["deck"], serde_json::Value::Null);
    let cards = v["cards"].as_array().unwrap();
    assert_eq!(cards.len(), library.card_count());
    let tricky = cards.iter().find(|c| c["card_id"] == "tricky").unwrap();
    assert_eq!(tricky["right"], 1);
    assert_eq!(tricky["state"], "learning");
    assert!(tricky["stability"].as_f64().unwrap() > 0.0);
    assert!(tricky["retrievability"].as_f64().unwrap() > 0.5);
    let practised = &cards[cards
        .iter()
        .position(|c| c["deck_id"] == "pm-dates")
        .unwrap()];
    assert_eq!(
        (practised["reviews"].as_u64(), practised["state"].as_str()),
        (Some(1), Some("new"))
    );
    let categories = v["categories"].as_array().unwrap();
    let total: u64 = categories
        .iter()
        .map(|c| c["cards"].as_u64().unwrap())
        .sum();
    assert_eq!(total, library.card_count() as u64);

    let html_path = dir.path().join("report.html");
    let o = run(
        dir.path(),
        &[
            "report",
            "--format",
            "html",
            "--deck",
            "escape-test",
            "--out",
            html_path.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let html = std::fs::read_to_string(&html_path).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("<style>") && html.contains("@media print"));
    assert!(html.contains(
        "Is &#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62; &#38; &#39;this&#39; shown as text?"
    ));
    assert!(
        !html.contains("<script"),
        "no script, not even from deck text"
    );
    for external in ["src=", "href=", "http:", "https:", "@import", "url("] {
        assert!(!html.contains(external), "{external}");
    }
    assert!(html.contains("Deck: escape-test"));
    // Two card rows, two category rows, two header rows.
    assert_eq!(html.matches("<tr>").count(), 6);
    assert!(!dir.path().join("report.html.tmp").exists());
}
