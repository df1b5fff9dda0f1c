//! Statistics on a small fixture whose right answers are worked out by hand below.
//!
//! The clock: Wednesday 12 March 2025, 10:00 at UTC+1 (09:00 UTC); study days start at 04:00
//! local time, so "today" runs from 12 March 04:00 to 13 March 04:00 local, day -1 is
//! 11 March 04:00 – 12 March 04:00, and so on.

use chrono::{DateTime, FixedOffset, TimeDelta, TimeZone, Utc};

use super::*;
use crate::deck::{Card, Deck, LoadedDeck, Origin, Source};
use crate::schedule::SchedulerConfig;

fn tz() -> FixedOffset {
    FixedOffset::east_opt(3600).unwrap()
}

fn now_local() -> DateTime<FixedOffset> {
    tz().with_ymd_and_hms(2025, 3, 12, 10, 0, 0).unwrap()
}

fn now() -> DateTime<Utc> {
    now_local().with_timezone(&Utc)
}

/// A local time (UTC+1) in 2025 (or another year) as UTC.
fn local(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    tz().with_ymd_and_hms(y, m, d, h, min, 0)
        .unwrap()
        .with_timezone(&Utc)
}

fn card(id: &str, category: &str) -> Card {
    Card {
        id: id.to_owned(),
        category: category.to_owned(),
        prompt: format!("Prompt {id}?"),
        answer: format!("Answer {id}"),
        accept: Vec::new(),
        distractors: Vec::new(),
        date: (category == "date").then(|| "2000".to_owned()),
        event: None,
        group: None,
        role: None,
        cloze: None,
        explanation: None,
        source: "The source.".to_owned(),
        tags: Vec::new(),
        image: None,
    }
}

fn deck(id: &str, cards: Vec<Card>) -> LoadedDeck {
    LoadedDeck {
        deck: Deck {
            format: crate::deck::FORMAT_V1.to_owned(),
            id: id.to_owned(),
            title: format!("Deck {id}"),
            description: None,
            source: Source {
                title: "Article".to_owned(),
                author: "Author".to_owned(),
                url: None,
            },
            cards,
        },
        origin: Origin::Bundled,
    }
}

/// d1: a (date), b (date), c (actor), d (actor), e (term);
/// d2: x (date), y (place), z (date), w (term).
fn library() -> Library {
    Library {
        decks: vec![
            deck(
                "d1",
                vec![
                    card("a", "date"),
                    card("b", "date"),
                    card("c", "actor"),
                    card("d", "actor"),
                    card("e", "term"),
                ],
            ),
            deck(
                "d2",
                vec![
                    card("x", "date"),
                    card("y", "place"),
                    card("z", "date"),
                    card("w", "term"),
                ],
            ),
        ],
        failures: Vec::new(),
    }
}

fn progress(
    state: State,
    stability: Option<f32>,
    last_review: Option<DateTime<Utc>>,
    due: DateTime<Utc>,
) -> CardProgress {
    CardProgress::from_state(CardState {
        state,
        step: matches!(state, State::Learning | State::Relearning).then_some(0),
        stability,
        difficulty: stability.map(|_| 5.0),
        due,
        last_review,
        reps: 3,
        lapses: 0,
    })
}

fn record(deck_id: &str, card_id: &str, p: CardProgress) -> CardRecord {
    CardRecord {
        deck_id: deck_id.to_owned(),
        card_id: card_id.to_owned(),
        progress: p,
    }
}

/// Stored card states. Retrievability is 0.9 exactly when the time since the last review
/// equals the stability (the FSRS forgetting curve is built that way) and 1 right after a
/// review, so the recall numbers below can be worked out by hand.
fn cards() -> Vec<CardRecord> {
    let day = TimeDelta::days;
    let mut suspended = progress(State::Review, Some(50.0), Some(now() - day(50)), now());
    suspended.suspended = true;
    let mut buried = progress(
        State::Review,
        Some(3.0),
        Some(now() - day(3)),
        local(2025, 3, 12, 9, 0),
    );
    buried.buried_until = Some(local(2025, 3, 13, 4, 0));
    vec![
        // Mature (30 ≥ 21), R = 0.9, overdue since 10 March → forecast day 0.
        record(
            "d1",
            "a",
            progress(
                State::Review,
                Some(30.0),
                Some(now() - day(30)),
                local(2025, 3, 10, 10, 0),
            ),
        ),
        // Young, R = 0.9, due 14 March 10:00 local → day 2.
        record(
            "d1",
            "b",
            progress(
                State::Review,
                Some(5.0),
                Some(now() - day(5)),
                local(2025, 3, 14, 10, 0),
            ),
        ),
        // Learning, reviewed just now (R = 1), due in 10 minutes → day 0.
        record(
            "d1",
            "c",
            progress(
                State::Learning,
                Some(1.0),
                Some(now()),
                now() + TimeDelta::minutes(10),
            ),
        ),
        // Mature, R = 0.9, suspended: in mastery, not in the forecast.
        record("d1", "d", suspended),
        // e has no stored state: new.
        // No longer in any deck: ignored everywhere.
        record(
            "d1",
            "gone",
            progress(State::Review, Some(10.0), Some(now()), now()),
        ),
        // Relearning (a learning level), R = 0.9, due 13 March 03:30 local: before the 04:00
        // rollover, so still today → day 0.
        record(
            "d2",
            "x",
            progress(
                State::Relearning,
                Some(2.0),
                Some(now() - day(2)),
                local(2025, 3, 13, 3, 30),
            ),
        ),
        // Stability exactly 21: mature. R = 1. Due 13 March 04:00 local → day 1.
        record(
            "d2",
            "y",
            progress(
                State::Review,
                Some(21.0),
                Some(now()),
                local(2025, 3, 13, 4, 0),
            ),
        ),
        // Young, R = 0.9, overdue but buried until tomorrow 04:00 → day 1.
        record("d2", "z", buried),
        // Reset to New (no memory): new, no retrievability, not in the forecast.
        record(
            "d2",
            "w",
            progress(State::New, None, None, now() - TimeDelta::hours(1)),
        ),
    ]
}

struct R {
    deck: &'static str,
    card: &'static str,
    at: DateTime<Utc>,
    rating: Rating,
    mode: Mode,
    correct: Option<bool>,
    ms: u64,
    /// The state before the answer (srs only); `None`: a new card.
    before: Option<State>,
}

fn review(id: i64, r: &R) -> ReviewRecord {
    let before = r
        .before
        .map(|s| progress(s, Some(5.0), Some(r.at), r.at).card);
    ReviewRecord {
        id,
        deck_id: r.deck.to_owned(),
        card_id: r.card.to_owned(),
        at: r.at,
        rating: r.rating,
        mode: r.mode,
        answer_given: None,
        correct: r.correct,
        response_ms: r.ms,
        state_before: before,
        state_after: (r.mode == Mode::Srs)
            .then(|| progress(State::Review, Some(6.0), Some(r.at), r.at).card),
    }
}

/// The fixture log. Study days (0 = Wed 12 March) in brackets; "R" = the card was in Review
/// before an srs answer, so the answer counts for true retention.
fn reviews() -> Vec<ReviewRecord> {
    use Mode::{Drill, Practice, Srs};
    use Rating::{Again, Easy, Good, Hard};
    let srs = |deck, card, at, rating, ms, before| R {
        deck,
        card,
        at,
        rating,
        mode: Srs,
        correct: None,
        ms,
        before,
    };
    let mut log = vec![
        // 1 [0] R pass, right, 4 s
        srs(
            "d1",
            "a",
            local(2025, 3, 12, 9, 0),
            Good,
            4000,
            Some(State::Review),
        ),
        // 2 [0] R fail, wrong, 6 s
        srs(
            "d1",
            "b",
            local(2025, 3, 12, 9, 30),
            Again,
            6000,
            Some(State::Review),
        ),
        // 3 [-1] 03:30 is before the 04:00 rollover; a learning card, not retention; right, 2 s
        srs(
            "d1",
            "c",
            local(2025, 3, 12, 3, 30),
            Hard,
            2000,
            Some(State::Learning),
        ),
        // 4 [0] practice, marked right, 3 s
        R {
            deck: "d2",
            card: "x",
            at: local(2025, 3, 12, 9, 45),
            rating: Good,
            mode: Practice,
            correct: Some(true),
            ms: 3000,
            before: None,
        },
        // 5 [-1] drill, marked wrong, 5 s
        R {
            deck: "d1",
            card: "a",
            at: local(2025, 3, 11, 20, 0),
            rating: Again,
            mode: Drill,
            correct: Some(false),
            ms: 5000,
            before: None,
        },
        // 6 [-2] Mon 10 March, R pass
        srs(
            "d2",
            "y",
            local(2025, 3, 10, 12, 0),
            Easy,
            1000,
            Some(State::Review),
        ),
        // 7 [-4] Sat 8 March, R pass
        srs(
            "d1",
            "a",
            local(2025, 3, 8, 12, 0),
            Good,
            1000,
            Some(State::Review),
        ),
        // 8 [-5] Fri 7 March, R fail
        srs(
            "d1",
            "b",
            local(2025, 3, 7, 12, 0),
            Again,
            1000,
            Some(State::Review),
        ),
        // 9 [-6] Thu 6 March, a new card: not retention
        srs("d1", "b", local(2025, 3, 6, 12, 0), Good, 1000, None),
        // 10 [-9] Mon 3 March, R pass (Hard passes)
        srs(
            "d1",
            "a",
            local(2025, 3, 3, 12, 0),
            Hard,
            1000,
            Some(State::Review),
        ),
        // 11 [-10] Sun 2 March, R fail
        srs(
            "d1",
            "a",
            local(2025, 3, 2, 12, 0),
            Again,
            1000,
            Some(State::Review),
        ),
        // 12 [-8] Tue 4 March, R pass
        srs(
            "d1",
            "b",
            local(2025, 3, 4, 12, 0),
            Easy,
            1000,
            Some(State::Review),
        ),
    ];
    // 13–18: five days in a row in January 2023 (two answers on the 5th), long before the
    // 365-day window: they count for the total and the longest streak only.
    for (day, hour) in [(1, 12), (2, 12), (3, 12), (4, 12), (5, 9), (5, 18)] {
        log.push(srs(
            "d1",
            "a",
            local(2023, 1, day, hour, 0),
            Good,
            1000,
            Some(State::Review),
        ));
    }
    log.iter()
        .enumerate()
        .map(|(i, r)| review(i as i64 + 1, r))
        .collect()
}

fn scheduler() -> Scheduler {
    Scheduler::new(SchedulerConfig::default()).unwrap()
}

fn stats(filter: Filter) -> Stats {
    compute(
        &reviews(),
        &cards(),
        &library(),
        &scheduler(),
        4,
        filter,
        &now_local(),
    )
}

fn day(s: &Stats, k: i64) -> DayStats {
    s.days[(HISTORY_DAYS as i64 - 1 + k) as usize]
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-4
}

#[test]
fn reviews_per_day_are_stacked_by_rating_with_time() {
    let s = stats(Filter::all());
    assert_eq!(s.today, NaiveDate::from_ymd_opt(2025, 3, 12).unwrap());
    assert_eq!(s.days.len(), 365);
    assert_eq!(day(&s, 0).date, s.today);
    assert_eq!(
        s.days[0].date,
        NaiveDate::from_ymd_opt(2024, 3, 13).unwrap(),
        "364 days before 12 March 2025 (2024 is a leap year)"
    );
    // Today: answers 1 (Good), 2 (Again), 4 (Good, practice) → Again 1, Good 2.
    // Right: 1 (Good), 4 (marked right) = 2. Time: 4000 + 6000 + 3000 ms.
    assert_eq!(day(&s, 0).by_rating, [1, 0, 2, 0]);
    assert_eq!(day(&s, 0).right, 2);
    assert_eq!(day(&s, 0).ms, 13_000);
    // Yesterday: 3 (Hard, at 03:30 today, before the rollover) and 5 (Again, drill);
    // right: only 3. Time 2000 + 5000.
    assert_eq!(day(&s, -1).by_rating, [1, 1, 0, 0]);
    assert_eq!(day(&s, -1).right, 1);
    assert_eq!(day(&s, -1).ms, 7000);
    assert_eq!(day(&s, -2).by_rating, [0, 0, 0, 1]); // 6
    assert_eq!(day(&s, -3).reviews(), 0);
    assert_eq!(day(&s, -4).rated(Rating::Good), 1); // 7
    assert_eq!(day(&s, -5).rated(Rating::Again), 1); // 8
    assert_eq!(day(&s, -8).rated(Rating::Easy), 1); // 12
    assert_eq!(day(&s, -10).rated(Rating::Again), 1); // 11
    // Last 30 days: 3 + 2 + 1 (−2) + 1 (−4) + 1 (−5) + 1 (−6) + 1 (−8) + 1 (−9) + 1 (−10) = 12.
    let last30: u32 = s.last_days(30).iter().map(DayStats::reviews).sum();
    assert_eq!(last30, 12);
    assert_eq!(s.last_days(30).len(), 30);
    assert_eq!(s.last_days(1000).len(), 365);
    // 12 recent answers + 6 in January 2023.
    assert_eq!(s.total_reviews, 18);
    // Today: 3 answers, 2 right, 13 s.
    assert_eq!(
        s.today_numbers,
        TodayNumbers {
            reviews: 2,
            other: 1,
            right: 2,
            ms: 13_000
        }
    );
    assert!(close(s.today_numbers.right_rate().unwrap(), 2.0 / 3.0));
    assert!(close(s.today_numbers.minutes(), 13.0 / 60.0));
}

#[test]
fn mode_filter_limits_activity_but_not_retention() {
    let s = stats(Filter {
        deck: None,
        mode: Some(Mode::Srs),
    });
    // Today without the practice answer 4: Good 1, Again 1; right 1; 10 s.
    assert_eq!(day(&s, 0).by_rating, [1, 0, 1, 0]);
    assert_eq!(s.today_numbers.ms, 10_000);
    // Yesterday without the drill answer 5: only 3 (Hard).
    assert_eq!(day(&s, -1).by_rating, [0, 1, 0, 0]);
    // 18 answers minus 4 and 5.
    assert_eq!(s.total_reviews, 16);
    // Retention is the same as unfiltered (see below): srs only either way.
    assert_eq!(s.recent_retention, stats(Filter::all()).recent_retention);

    let drill = stats(Filter {
        deck: None,
        mode: Some(Mode::Drill),
    });
    assert_eq!(drill.total_reviews, 1);
    assert_eq!(drill.today_numbers.reviews, 0);
    // Only day −1 is active: it ends yesterday, so the current streak is 1.
    assert_eq!(
        drill.streaks,
        Streaks {
            current: 1,
            longest: 1
        }
    );
}

#[test]
fn true_retention_by_week_and_over_30_days() {
    let s = stats(Filter::all());
    assert_eq!(s.retention_weeks.len(), 52);
    let this_week = s.retention_weeks[51];
    // Today (Wednesday 12 March) is in the week of Monday 10 March.
    assert_eq!(
        this_week.start,
        NaiveDate::from_ymd_opt(2025, 3, 10).unwrap()
    );
    // That week: 1 pass, 2 fail, 6 pass (Monday 10th). 3 (learning) and 4, 5 (not srs) do not
    // count → 2 passed, 1 failed.
    assert_eq!(
        this_week.retention,
        Retention {
            passed: 2,
            failed: 1
        }
    );
    // Week of 3 March: 10 (Mon, Hard) pass, 12 (Tue) pass, 8 (Fri) fail, 7 (Sat) pass;
    // 9 was a new card → 3 passed, 1 failed = 75 %.
    assert_eq!(
        s.retention_weeks[50].start,
        NaiveDate::from_ymd_opt(2025, 3, 3).unwrap()
    );
    assert_eq!(
        s.retention_weeks[50].retention,
        Retention {
            passed: 3,
            failed: 1
        }
    );
    assert!(close(s.retention_weeks[50].retention.rate().unwrap(), 0.75));
    // Week of 24 February: 11 (Sunday 2 March) fail.
    assert_eq!(
        s.retention_weeks[49].retention,
        Retention {
            passed: 0,
            failed: 1
        }
    );
    assert_eq!(s.retention_weeks[48].retention.rate(), None);
    // Last 30 days: passes 1, 6, 7, 10, 12 = 5; fails 2, 8, 11 = 3.
    assert_eq!(
        s.recent_retention,
        Retention {
            passed: 5,
            failed: 3
        }
    );
    assert!((s.desired_retention - 0.9).abs() < 1e-6);
}

#[test]
fn mastery_by_category_with_recall() {
    let s = stats(Filter::all());
    let categories: Vec<&Category> = s.mastery.iter().map(|m| &m.category).collect();
    assert_eq!(
        categories,
        [
            &Category::Date,
            &Category::Actor,
            &Category::Term,
            &Category::Place
        ]
    );
    // Dates: a mature (30), b young (5), x learning (relearning), z young (3).
    assert_eq!(
        s.mastery[0].counts,
        MasteryCounts {
            new: 0,
            learning: 1,
            young: 2,
            mature: 1
        }
    );
    // a, b, x, z were each last reviewed one stability ago: R = 0.9 each, mean 0.9.
    assert_eq!(s.mastery[0].reviewed, 4);
    assert!(close(s.mastery[0].recall.unwrap(), 0.9));
    // Actors: c learning (R = 1, just reviewed), d mature and suspended (R = 0.9):
    // mean (1 + 0.9) / 2 = 0.95.
    assert_eq!(
        s.mastery[1].counts,
        MasteryCounts {
            new: 0,
            learning: 1,
            young: 0,
            mature: 1
        }
    );
    assert!(close(s.mastery[1].recall.unwrap(), 0.95));
    // Terms: e (no state) and w (reset to New): both new, none reviewed.
    assert_eq!(s.mastery[2].counts.new, 2);
    assert_eq!(s.mastery[2].counts.total(), 2);
    assert_eq!(s.mastery[2].recall, None);
    // Places: y, stability exactly 21 → mature; R = 1.
    assert_eq!(s.mastery[3].counts.mature, 1);
    assert!(close(s.mastery[3].recall.unwrap(), 1.0));
    // Everything: 9 deck cards ("gone" is in no deck); recall over the 7 reviewed cards:
    // (0.9 × 4 + 1 + 0.9 + 1) / 7 = 6.5 / 7.
    assert_eq!(s.mastery_total().total(), 9);
    assert_eq!(s.mastery_total().as_array(), [2, 2, 2, 3]);
    assert!(close(s.recall.unwrap(), 6.5 / 7.0));
}

#[test]
fn forecast_counts_overdue_today_and_skips_suspended_and_new() {
    let s = stats(Filter::all());
    assert_eq!(s.forecast.len(), 30);
    // Day 0: a (overdue), c (learning, in 10 minutes), x (03:30 tomorrow, before the
    // rollover) = 3. Day 1: y (04:00 tomorrow) and z (buried until 04:00 tomorrow) = 2.
    // Day 2: b = 1. d is suspended; e and w are new; "gone" is in no deck.
    let mut expected = vec![0; 30];
    expected[0] = 3;
    expected[1] = 2;
    expected[2] = 1;
    assert_eq!(s.forecast, expected);
    assert_eq!(
        s.forecast_date(2),
        NaiveDate::from_ymd_opt(2025, 3, 14).unwrap()
    );
}

#[test]
fn streaks_count_back_from_today() {
    let s = stats(Filter::all());
    // Active days: 0, −1, −2 (current run of 3), −4, −5, −6 (3), −8, −9, −10 (3), and five
    // days in a row in January 2023 → longest 5.
    assert_eq!(
        s.streaks,
        Streaks {
            current: 3,
            longest: 5
        }
    );
    // Nothing yet today: the run up to yesterday still counts.
    let mut active = vec![-1, -2, -2, -5];
    assert_eq!(
        streaks(&mut active),
        Streaks {
            current: 2,
            longest: 2
        }
    );
    // The last answer was two days ago: no current streak.
    let mut active = vec![-2, -3, -4, -9];
    assert_eq!(
        streaks(&mut active),
        Streaks {
            current: 0,
            longest: 3
        }
    );
    assert_eq!(streaks(&mut Vec::new()), Streaks::default());
}

#[test]
fn deck_filter_limits_everything() {
    let s = stats(Filter::deck("d2"));
    // d2's answers: 4 (today, practice) and 6 (day −2).
    assert_eq!(s.total_reviews, 2);
    assert_eq!(day(&s, 0).by_rating, [0, 0, 1, 0]);
    assert_eq!(
        s.streaks,
        Streaks {
            current: 1,
            longest: 1
        }
    );
    // Retention: only 6 (pass).
    assert_eq!(
        s.recent_retention,
        Retention {
            passed: 1,
            failed: 0
        }
    );
    // Forecast: x on day 0, y and z on day 1.
    assert_eq!(&s.forecast[..3], &[1, 2, 0]);
    // Mastery: dates x (learning), z (young); terms w (new); places y (mature).
    let rows: Vec<(Category, [u32; 4])> = s
        .mastery
        .iter()
        .map(|m| (m.category.clone(), m.counts.as_array()))
        .collect();
    assert_eq!(
        rows,
        [
            (Category::Date, [0, 1, 1, 0]),
            (Category::Term, [1, 0, 0, 0]),
            (Category::Place, [0, 0, 0, 1]),
        ]
    );
}

#[test]
fn order_of_the_log_does_not_matter() {
    let mut log = reviews();
    log.reverse();
    log.swap(0, 9);
    let shuffled = compute(
        &log,
        &cards(),
        &library(),
        &scheduler(),
        4,
        Filter::all(),
        &now_local(),
    );
    assert_eq!(shuffled, stats(Filter::all()));
}

#[test]
fn an_empty_profile_has_empty_stats() {
    let s = compute(
        &[],
        &[],
        &library(),
        &scheduler(),
        4,
        Filter::all(),
        &now_local(),
    );
    assert!(s.is_empty());
    assert_eq!(s.today_numbers.right_rate(), None);
    assert_eq!(s.recall, None);
    assert_eq!(s.streaks, Streaks::default());
    assert!(s.forecast.iter().all(|&n| n == 0));
    // Every deck card is new.
    assert_eq!(s.mastery_total().as_array(), [9, 0, 0, 0]);
}

#[test]
fn the_day_rollover_hour_moves_answers_between_days() {
    // With days starting at midnight, answer 3 (03:30 on 12 March) is today's, and 10:00 on
    // 12 March is still 12 March.
    let s = compute(
        &reviews(),
        &cards(),
        &library(),
        &scheduler(),
        0,
        Filter::all(),
        &now_local(),
    );
    // Today: 1, 2, 3, 4 → Again 1 (2), Hard 1 (3), Good 2 (1, 4).
    assert_eq!(day(&s, 0).by_rating, [1, 1, 2, 0]);
    assert_eq!(day(&s, -1).by_rating, [1, 0, 0, 0]); // 5 only
}

#[test]
fn load_reads_through_the_store() {
    use crate::settings::Settings;
    use crate::store::{LeechPolicy, NewReview};
    let mut store = Store::open_in_memory("me").unwrap();
    let settings = Settings {
        desired_retention: 0.85,
        ..Settings::default()
    };
    store.save_settings(&settings).unwrap();
    let sched = scheduler();
    let at = now() - TimeDelta::minutes(5);
    let after = sched.review(&CardState::new_card(at), Rating::Good, at, 0);
    store
        .record_answer(
            &NewReview {
                deck_id: "d1",
                card_id: "a",
                at,
                rating: Rating::Good,
                mode: Mode::Srs,
                answer_given: None,
                correct: None,
                response_ms: 2500,
                state_after: Some(after),
            },
            LeechPolicy::from_settings(&settings),
        )
        .unwrap();
    let s = load(&store, &library(), Filter::all(), &now_local()).unwrap();
    assert_eq!(s.total_reviews, 1);
    assert_eq!(s.today_numbers.ms, 2500);
    assert!((s.desired_retention - 0.85).abs() < 1e-6);
    // a is now learning (Good on a new card goes to the 10-minute step), due today.
    assert_eq!(s.mastery[0].counts.learning, 1);
    assert_eq!(s.forecast[0], 1);
}

#[test]
fn self_test_answers_are_not_study() {
    assert!(!Filter::all().includes_mode(Mode::Test));
    assert!(Filter::all().includes_mode(Mode::Practice));
    let tests = Filter {
        deck: None,
        mode: Some(Mode::Test),
    };
    assert!(tests.includes_mode(Mode::Test) && !tests.includes_mode(Mode::Srs));
}
