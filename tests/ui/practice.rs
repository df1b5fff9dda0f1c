//! Practice mode through the whole app: card-by-card practice that leaves the schedule alone,
//! a timeline question ordered with the keyboard, and a matching question with one wrong try.

use crate::common::press;
use std::collections::HashMap;

use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use flashdrill::app::{FlashdrillApp, Screen};
use flashdrill_core::deck::{self, PartialDate};
use flashdrill_core::quiz::{self, Event};
use flashdrill_core::schedule::Rating;
use flashdrill_core::store::{Mode, ReviewRecord};

fn app(dir: &std::path::Path) -> crate::common::App {
    crate::common::app_sized(dir, [1100.0, 900.0])
}

fn pick(harness: &mut Harness<'_, FlashdrillApp>, combo: &str, option: &str) {
    harness.get_by_label(combo).click();
    harness.run();
    harness.get_by_label(option).click();
    harness.run();
}

fn reviews(harness: &Harness<'_, FlashdrillApp>) -> Vec<ReviewRecord> {
    harness
        .state()
        .store()
        .expect("store open")
        .all_reviews()
        .expect("reviews")
}

fn practice_rows(harness: &Harness<'_, FlashdrillApp>) -> Vec<ReviewRecord> {
    reviews(harness)
        .into_iter()
        .filter(|r| r.mode == Mode::Practice)
        .collect()
}

fn disabled(harness: &Harness<'_, FlashdrillApp>, label: &str) -> bool {
    harness.get_by_label(label).accesskit_node().is_disabled()
}

/// The labels of every node whose label starts with `prefix(i)` for i = 0, 1, …, in order.
fn labels_in_order(
    harness: &Harness<'_, FlashdrillApp>,
    prefix: impl Fn(usize) -> String,
) -> Vec<String> {
    let mut out = Vec::new();
    loop {
        let p = prefix(out.len());
        let found: Vec<String> = harness
            .query_all_by(|n| n.label().is_some_and(|l| l.starts_with(&p)))
            .filter_map(|n| n.accesskit_node().label())
            .collect();
        match found.as_slice() {
            [one] => out.push(one[p.len()..].to_owned()),
            [] => return out,
            many => panic!("several nodes start with {p:?}: {many:?}"),
        }
    }
}

/// The timeline rows as shown: "1. caption", "2. caption", …
fn timeline_rows(harness: &Harness<'_, FlashdrillApp>) -> Vec<String> {
    labels_in_order(harness, |i| format!("{}. ", i + 1))
}

fn bundled_cards(deck_id: &str) -> Vec<deck::Card> {
    let library = deck::load_library(&[], true);
    library
        .deck(deck_id)
        .expect("bundled deck")
        .deck
        .cards
        .clone()
}

#[test]
fn practising_actors_logs_practice_rows_and_leaves_card_states_alone() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = app(dir.path());
    harness.run();

    // Some srs study first, so that there are card states to leave alone.
    pick(&mut harness, "Question form:", "Flashcards");
    harness.get_by_label("Study all due").click();
    harness.run();
    for key in [
        Key::Space,
        Key::Space,
        Key::Space,
        Key::Num1,
        Key::Space,
        Key::Space,
    ] {
        press(&mut harness, key);
    }
    crate::common::leave_session(&mut harness);
    assert_eq!(harness.state().screen(), Screen::Home);
    let store = harness.state().store().unwrap();
    let states_before = store.card_states(None).unwrap();
    assert_eq!(states_before.len(), 3);
    let srs_answers = reviews(&harness).len();

    harness.get_by_label("Practice…").click();
    harness.run();
    assert_eq!(harness.state().screen(), Screen::Practice);
    // A fresh profile has no leeches; one card was missed today.
    assert!(disabled(&harness, "Practice my leeches"));
    assert!(!disabled(&harness, "Practice cards I missed today"));
    assert!(!disabled(&harness, "Practice all actors"));
    harness.get_by_label("51 matching cards");

    pick(&mut harness, "Question form:", "Flashcards");
    harness.get_by_label("Practice all actors").click();
    harness.run();
    assert_eq!(harness.state().screen(), Screen::Study);
    press(&mut harness, Key::Space);
    harness.get_by_label_contains("practice: your schedule stays as it is");
    // Again, Again, Good.
    for key in [Key::Num1, Key::Space, Key::Num1, Key::Space, Key::Space] {
        press(&mut harness, key);
    }
    crate::common::leave_session(&mut harness);
    assert_eq!(
        harness.state().screen(),
        Screen::Practice,
        "leaving a practice session goes back to practice"
    );

    let store = harness.state().store().unwrap();
    assert_eq!(
        store.card_states(None).unwrap(),
        states_before,
        "practice answers leave every card state as it was"
    );
    let log = reviews(&harness);
    assert_eq!(log.len(), srs_answers + 3);
    let practice = practice_rows(&harness);
    assert_eq!(practice.len(), 3);
    assert!(practice.iter().all(|r| r.deck_id == "pm-actors"));
    assert!(
        practice
            .iter()
            .all(|r| r.state_before.is_none() && r.state_after.is_none())
    );
    let ratings: Vec<Rating> = practice.iter().map(|r| r.rating).collect();
    assert_eq!(ratings, [Rating::Again, Rating::Again, Rating::Good]);
}

#[test]
fn practice_filters_count_and_explain_empty_choices() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = app(dir.path());
    harness.run();
    // The top bar's nav button opens the screen too.
    harness.get_by_label("Practice").click();
    harness.run();
    assert_eq!(harness.state().screen(), Screen::Practice);
    assert!(disabled(&harness, "Practice cards I missed today"));
    assert!(disabled(&harness, "Practice my leeches"));

    pick(&mut harness, "Category:", "Dates");
    harness.get_by_label("8 matching cards");
    pick(&mut harness, "Question form:", "Matching");
    harness.get_by_label("8 matching cards, 0 with a role");
    assert!(disabled(&harness, "Start practice"));
    assert!(
        disabled(&harness, "Practice all dates"),
        "date cards have no roles to match"
    );
    assert!(!disabled(&harness, "Practice all actors"));
    pick(&mut harness, "Category:", "All categories");
    pick(&mut harness, "Tag:", "arms");
    harness.get_by_label("15 matching cards, 3 with a role");
    assert!(!disabled(&harness, "Start practice"));

    press(&mut harness, Key::Escape);
    assert_eq!(harness.state().screen(), Screen::Home);
}

/// Events as the timeline rows show them, with their dates from the bundled deck.
fn shown_events(harness: &Harness<'_, FlashdrillApp>) -> Vec<Event> {
    let dates: HashMap<String, PartialDate> = bundled_cards("pm-dates")
        .iter()
        .filter_map(|c| Some((c.event_caption().to_owned(), c.partial_date()?)))
        .collect();
    timeline_rows(harness)
        .into_iter()
        .map(|caption| Event {
            card_id: caption.clone(),
            date: dates[&caption],
            caption,
        })
        .collect()
}

#[test]
fn timeline_questions_are_ordered_with_the_keyboard() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = app(dir.path());
    harness.run();
    harness.get_by_label("Practice").click();
    harness.run();
    pick(&mut harness, "Question form:", "Timeline");
    harness.get_by_label("Practice all dates").click();
    harness.run();
    harness.get_by_label("Put these events in order, earliest first");
    harness.get_by_label("Question 1 of 5 · practice: your schedule stays as it is");

    // First question: checked as shown, which is never in order.
    let events = shown_events(&harness);
    assert_eq!(events.len(), 4);
    let shown: Vec<usize> = (0..events.len()).collect();
    let score = quiz::score_order(&events, &shown);
    assert!(!score.correct_order);
    press(&mut harness, Key::Enter);
    harness.get_by_label(&format!(
        "{} of {} pairs in the right order",
        score.pairs_right, score.pairs_total
    ));
    let log = practice_rows(&harness);
    assert_eq!(log.len(), 4, "one practice row per event shown");
    assert!(
        log.iter()
            .all(|r| r.correct == Some(false) && r.rating == Rating::Again)
    );
    assert!(log.iter().all(|r| r.deck_id == "pm-dates"));
    assert!(
        harness
            .state()
            .store()
            .unwrap()
            .card_states(None)
            .unwrap()
            .is_empty()
    );
    press(&mut harness, Key::Enter);
    harness.get_by_label("Question 2 of 5 · practice: your schedule stays as it is");

    // Second question: a selection sort with Up/Down and Alt+Up.
    let events = shown_events(&harness);
    let mut order: Vec<usize> = (0..events.len()).collect();
    let mut selected = 0;
    for target in 0..order.len() {
        let best = (target..order.len())
            .min_by(|&a, &b| {
                quiz::date_order(&events[order[a]].date, &events[order[b]].date)
                    .then(events[order[a]].date.cmp(&events[order[b]].date))
            })
            .unwrap();
        while selected < best {
            press(&mut harness, Key::ArrowDown);
            selected += 1;
        }
        while selected > best {
            press(&mut harness, Key::ArrowUp);
            selected -= 1;
        }
        for _ in target..best {
            harness.key_press_modifiers(Modifiers::ALT, Key::ArrowUp);
            harness.run();
            order.swap(selected, selected - 1);
            selected -= 1;
        }
    }
    let expected: Vec<String> = order.iter().map(|&i| events[i].caption.clone()).collect();
    assert_eq!(timeline_rows(&harness), expected, "the rows moved as asked");
    assert!(quiz::score_order(&events, &order).correct_order);
    press(&mut harness, Key::Enter);
    harness.get_by_label("All in the right order");
    harness.get_by_label_contains("The right order: ");

    let log = practice_rows(&harness);
    assert_eq!(log.len(), 8);
    assert!(
        log[4..]
            .iter()
            .all(|r| r.correct == Some(true) && r.rating == Rating::Good)
    );

    // Leaving keeps what was answered and returns to the choices.
    press(&mut harness, Key::Escape);
    assert_eq!(harness.state().screen(), Screen::Practice);
    harness.get_by_label("Start practice");
    assert_eq!(practice_rows(&harness).len(), 8);
}

#[test]
fn timeline_rows_move_with_buttons_and_drag_and_drop() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = app(dir.path());
    harness.run();
    harness.get_by_label("Practice").click();
    harness.run();
    pick(&mut harness, "Question form:", "Timeline");
    harness.get_by_label("Practice all dates").click();
    harness.run();

    let before = timeline_rows(&harness);
    let first = before[0].clone();
    let short: String = if first.chars().count() <= 28 {
        first.clone()
    } else {
        format!("{}…", first.chars().take(27).collect::<String>().trim_end())
    };
    assert!(disabled(&harness, &format!("Move \"{short}\" up")));
    harness
        .get_by_label(&format!("Move \"{short}\" down"))
        .click();
    harness.run();
    let after = timeline_rows(&harness);
    assert_eq!(after[1], first);
    assert_eq!(after[0], before[1]);

    // Drag the last row onto the first row's place.
    let last = after.len() - 1;
    let from = harness
        .get_by_label(&format!("{}. {}", last + 1, after[last]))
        .rect()
        .center();
    let to = harness
        .get_by_label(&format!("1. {}", after[0]))
        .rect()
        .center();
    harness.drag_at(from);
    harness.run();
    harness.hover_at(from + egui::vec2(0.0, -10.0));
    harness.run();
    harness.hover_at(to);
    harness.run();
    harness.drop_at(to);
    harness.run();
    let dragged = timeline_rows(&harness);
    assert_eq!(dragged[0], after[last], "{dragged:?}");
    assert_eq!(dragged[1..], after[..last]);
}

#[test]
fn matching_with_one_wrong_try() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = app(dir.path());
    harness.run();
    harness.get_by_label("Practice").click();
    harness.run();
    pick(&mut harness, "Question form:", "Matching");
    harness.get_by_label("Practice all actors").click();
    harness.run();
    harness.get_by_label("Match each name with its role");

    let names = labels_in_order(&harness, |i| format!("{}. ", char::from(b'A' + i as u8)));
    let roles = labels_in_order(&harness, |i| format!("{}. ", i + 1));
    assert_eq!((names.len(), roles.len()), (6, 6));
    let cards = bundled_cards("pm-actors");
    let partner = |name: &str| -> usize {
        roles
            .iter()
            .position(|role| {
                cards
                    .iter()
                    .any(|c| c.answer == name && c.role.as_deref() == Some(role.as_str()))
            })
            .expect("every name has its role on the right")
    };
    let digit = |j: usize| {
        [
            Key::Num1,
            Key::Num2,
            Key::Num3,
            Key::Num4,
            Key::Num5,
            Key::Num6,
        ][j]
    };
    let letter = |i: usize| [Key::A, Key::B, Key::C, Key::D, Key::E, Key::F][i];

    // A: a wrong role first, then the right one.
    let right_a = partner(&names[0]);
    let wrong_a = (right_a + 1) % 6;
    press(&mut harness, Key::A);
    assert!(harness.query_by_label_contains("Not a pair").is_none());
    press(&mut harness, digit(wrong_a));
    // The wrong pair is named in words, not only flashed in colour.
    harness.get_by_label(&format!(
        "Not a pair: {} is not \"{}\". Try another role.",
        names[0], roles[wrong_a]
    ));
    assert!(
        !disabled(&harness, &format!("A. {}", names[0])),
        "can retry"
    );
    assert!(!disabled(
        &harness,
        &format!("{}. {}", wrong_a + 1, roles[wrong_a])
    ));
    press(&mut harness, digit(right_a));
    assert!(harness.query_by_label_contains("Not a pair").is_none());
    assert!(disabled(&harness, &format!("A. {}", names[0])), "matched");
    assert!(disabled(
        &harness,
        &format!("{}. {}", right_a + 1, roles[right_a])
    ));
    assert!(practice_rows(&harness).is_empty(), "logged once finished");

    // B by clicking, the rest by keys.
    let right_b = partner(&names[1]);
    harness.get_by_label(&format!("B. {}", names[1])).click();
    harness.run();
    harness
        .get_by_label(&format!("{}. {}", right_b + 1, roles[right_b]))
        .click();
    harness.run();
    for (i, name) in names.iter().enumerate().skip(2) {
        press(&mut harness, letter(i));
        press(&mut harness, digit(partner(name)));
    }
    harness.get_by_label("5 of 6 right on the first try");
    // The finished question shows each name beside its role, and what A was first tried with.
    for (i, name) in names.iter().enumerate() {
        let role = &roles[partner(name)];
        let name_at = harness.get_by_label(name).rect().center().y;
        let role_at = harness.get_by_label(role).rect().center().y;
        assert!((name_at - role_at).abs() < 12.0, "{name} beside {role}");
        if i > 0 {
            assert!(name_at > harness.get_by_label(&names[i - 1]).rect().center().y);
        }
    }
    harness.get_by_label(&format!("Missed: first tried {}", roles[wrong_a]));
    assert_eq!(
        harness.query_all_by_label("Right the first time").count(),
        5
    );

    let log = practice_rows(&harness);
    assert_eq!(log.len(), 6, "one practice row per name");
    assert!(log.iter().all(|r| r.deck_id == "pm-actors"));
    let missed: Vec<&ReviewRecord> = log.iter().filter(|r| r.correct == Some(false)).collect();
    assert_eq!(missed.len(), 1);
    assert_eq!(missed[0].rating, Rating::Again);
    assert_eq!(
        missed[0].answer_given.as_deref(),
        Some(roles[wrong_a].as_str())
    );
    let missed_card = cards.iter().find(|c| c.id == missed[0].card_id).unwrap();
    assert_eq!(missed_card.answer, names[0]);
    assert!(
        log.iter()
            .filter(|r| r.correct == Some(true))
            .all(|r| r.rating == Rating::Good)
    );
    assert!(
        harness
            .state()
            .store()
            .unwrap()
            .card_states(None)
            .unwrap()
            .is_empty(),
        "practice never creates card states"
    );

    press(&mut harness, Key::Enter);
    harness.get_by_label("Question 2 of 5 · practice: your schedule stays as it is");
    // The missed card now counts as missed today: too few for matching, enough for cards.
    press(&mut harness, Key::Escape);
    assert!(disabled(&harness, "Practice cards I missed today"));
    pick(&mut harness, "Question form:", "Type the answer");
    assert!(!disabled(&harness, "Practice cards I missed today"));
}

/// Long captions, dated unevenly: 1961, 1962, 1969 and 1989.
const LONG_CAPTIONS: [(&str, &str); 4] = [
    (
        "1961",
        "Yuri Gagarin orbits the Earth once aboard Vostok 1 and lands by parachute in a field near Saratov, the first person in space",
    ),
    (
        "1962",
        "The Cuban Missile Crisis brings the United States and the Soviet Union to the brink of nuclear war for thirteen days in October",
    ),
    (
        "1969",
        "Neil Armstrong and Buzz Aldrin land on the Moon in the lunar module Eagle while Michael Collins orbits above in Columbia",
    ),
    (
        "1989",
        "The Berlin Wall falls after the East German government opens the border crossings to the West on the evening of 9 November",
    ),
];

fn long_caption_deck(dir: &std::path::Path) {
    let cards: Vec<String> = LONG_CAPTIONS
        .iter()
        .enumerate()
        .map(|(i, (date, caption))| {
            format!(
                r#"{{"id": "e{i}", "category": "date", "prompt": "When? {caption}", "answer": "{date}",
                    "date": "{date}", "event": "{caption}", "source": "In {date}: {caption}."}}"#
            )
        })
        .collect();
    let deck = format!(
        r#"{{"format": "flashdrill-deck/1", "id": "cold-war", "title": "Cold War, long captions",
            "source": {{"title": "A lesson", "author": "A teacher"}}, "cards": [{}]}}"#,
        cards.join(",")
    );
    let folder = flashdrill_core::deck::user_deck_dir(dir);
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(folder.join("cold-war.json"), deck).unwrap();
}

/// A timeline round over the long-caption deck, in an 800×600 window.
fn long_caption_round(dir: &std::path::Path) -> crate::common::App {
    long_caption_deck(dir);
    let mut harness = crate::common::app_sized(dir, [800.0, 600.0]);
    harness.run();
    harness.get_by_label("Practice").click();
    harness.run();
    pick(&mut harness, "Question form:", "Timeline");
    crate::common::choose(&mut harness, "Deck:", "Cold War, long captions");
    harness.get_by_label("Start practice").click();
    harness.run();
    harness.get_by_label("Put these events in order, earliest first");
    harness
}

#[test]
fn long_timeline_captions_wrap_beside_their_move_buttons() {
    let dir = tempfile::tempdir().unwrap();
    let harness = long_caption_round(dir.path());
    let rows = timeline_rows(&harness);
    assert_eq!(rows.len(), 4);
    for (i, caption) in rows.iter().enumerate() {
        let row = harness
            .get_by_label(&format!("{}. {caption}", i + 1))
            .rect();
        let short = format!(
            "{}…",
            caption.chars().take(27).collect::<String>().trim_end()
        );
        let down = harness
            .get_by_label(&format!("Move \"{short}\" down"))
            .rect();
        assert!(
            row.right() <= down.left() && row.right() <= 800.0,
            "{caption}: {row:?} runs under the buttons at {down:?}"
        );
        assert!(row.height() > 30.0, "the long caption wraps: {row:?}");
    }
}

/// Where the text `needle` is painted this frame (the first text shape that contains it).
fn painted_at(harness: &Harness<'_, FlashdrillApp>, needle: &str) -> Option<egui::Pos2> {
    fn find(shape: &egui::Shape, needle: &str) -> Option<egui::Pos2> {
        match shape {
            egui::Shape::Text(t) if t.galley.text().contains(needle) => Some(t.pos),
            egui::Shape::Vec(shapes) => shapes.iter().find_map(|s| find(s, needle)),
            _ => None,
        }
    }
    harness
        .output()
        .shapes
        .iter()
        .find_map(|c| find(&c.shape, needle))
}

#[test]
fn a_dragged_row_stays_under_the_pointer_where_it_was_grabbed() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = long_caption_round(dir.path());
    let rows = timeline_rows(&harness);
    let label = format!("1. {}", rows[0]);
    let grab = harness.get_by_label(&label).rect().left_center() + egui::vec2(6.0, 0.0);
    let words: String = rows[0].chars().take(12).collect();
    let before = painted_at(&harness, &words).expect("the row is painted");
    harness.drag_at(grab);
    harness.run();
    let moved = egui::vec2(0.0, 40.0);
    harness.hover_at(grab + moved);
    harness.run();
    let during = painted_at(&harness, &words).expect("the dragged row is painted");
    let offset = during - before;
    assert!(
        (offset - moved).length() < 2.0,
        "the row moved by {offset:?}, the pointer by {moved:?}"
    );
    harness.drop_at(grab + moved);
    harness.run();
}

#[test]
fn the_right_order_is_drawn_to_scale_in_time() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = long_caption_round(dir.path());
    press(&mut harness, Key::Enter);
    harness.get_by_label_contains("The right order: ");
    let xs: Vec<f32> = LONG_CAPTIONS
        .iter()
        .map(|(date, caption)| {
            harness
                .get_by_label(&format!("{date}: {caption}"))
                .rect()
                .center()
                .x
        })
        .collect();
    let years: Vec<f32> = LONG_CAPTIONS
        .iter()
        .map(|(d, _)| d.parse::<f32>().unwrap())
        .collect();
    let span = xs[3] - xs[0];
    assert!(span > 300.0, "{xs:?}");
    for k in 1..3 {
        let share = (xs[k] - xs[0]) / span;
        let time = (years[k] - years[0]) / (years[3] - years[0]);
        assert!((share - time).abs() < 0.02, "{xs:?} for {years:?}");
    }
}

#[test]
fn practice_multiple_choice_goes_on_without_a_rating_and_returns_to_practice() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = app(dir.path());
    harness.run();
    harness.get_by_label("Practice").click();
    harness.run();
    pick(&mut harness, "Question form:", "Multiple choice");
    harness.get_by_label("Practice all actors").click();
    harness.run();
    assert_eq!(harness.state().screen(), Screen::Study);
    press(&mut harness, Key::Num1);
    // The choice is marked: no "How well did you know it?", no empty intervals.
    assert!(
        harness
            .query_by_label_contains("How well did you know it?")
            .is_none()
    );
    assert!(harness.query_by_label("—").is_none());
    harness.get_by_label("Practice: your schedule stays as it is.");
    harness.get_by_label("Next card (Space / Enter)").click();
    harness.run();
    let log = practice_rows(&harness);
    assert_eq!(log.len(), 1);
    let expected = if log[0].correct == Some(true) {
        Rating::Good
    } else {
        Rating::Again
    };
    assert_eq!(log[0].rating, expected);

    // The summary leads back to where the session began: practice.
    for _ in 0..200 {
        if harness.state().screen() != Screen::Study {
            break;
        }
        press(&mut harness, Key::Num1);
        press(&mut harness, Key::Space);
    }
    assert_eq!(harness.state().screen(), Screen::Summary);
    assert!(harness.query_by_label("Back to decks").is_none());
    harness.get_by_label("Back to practice").click();
    harness.run();
    assert_eq!(harness.state().screen(), Screen::Practice);
}
