//! The article timeline, driven through the whole app: its event list, a card's details and
//! practising the events on show.

use crate::common::{click, store};
use egui::Key;
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use flashdrill::app::{FlashdrillApp, Screen};
use flashdrill_core::deck::{Card, Category, Library};
use flashdrill_core::store::Mode;

fn app(dir: &std::path::Path) -> crate::common::App {
    crate::common::app_sized(dir, [1280.0, 900.0])
}

/// The cards on the timeline: dated date and event cards.
fn date_cards(lib: &Library) -> Vec<&Card> {
    lib.decks
        .iter()
        .flat_map(|d| &d.deck.cards)
        .filter(|c| {
            matches!(c.kind(), Category::Date | Category::Event) && c.partial_date().is_some()
        })
        .collect()
}

fn open_timeline(harness: &mut Harness<'_, FlashdrillApp>) {
    click(harness, "Article timeline");
    assert_eq!(harness.state().screen(), Screen::Timeline);
}

fn flashcards(harness: &mut Harness<'_, FlashdrillApp>) {
    click(harness, "Question form:");
    harness.get_by_label("Flashcards").click();
    harness.run();
}

#[test]
fn the_timeline_lists_every_dated_event() {
    let lib = flashdrill_core::deck::load_library(&[], true);
    let cards = date_cards(&lib);
    assert!(cards.len() > 10, "the bundled decks have dated events");
    let dir = tempfile::tempdir().unwrap();
    let mut harness = app(dir.path());
    harness.run();
    open_timeline(&mut harness);
    harness.get_by_label("The article's timeline");
    let mut captions: Vec<&str> = cards.iter().map(|c| c.event_caption()).collect();
    captions.sort_unstable();
    captions.dedup();
    for caption in &captions {
        // In the bundled decks no caption is used for two dates, so each event is named by it,
        // once.
        assert_eq!(
            harness
                .query_all_by_role_and_label(Role::Button, caption)
                .count(),
            1,
            "{caption}"
        );
    }
    harness.get_by_label("Zoom to 2022–2024");
    harness.get_by_label("Show all");
    harness.get_by_label("not studied yet");
}

#[test]
fn clicking_an_event_shows_its_card_and_history() {
    let lib = flashdrill_core::deck::load_library(&[], true);
    let cards = date_cards(&lib);
    let caption = "Kim Jong Un's visit to eastern Russia";
    let of_event: Vec<&&Card> = cards
        .iter()
        .filter(|c| c.event_caption() == caption)
        .collect();
    assert!(
        of_event.len() >= 2,
        "the test needs an event with several cards"
    );
    assert!(
        of_event.iter().any(|c| c.kind() == Category::Event),
        "event cards are on the timeline too"
    );
    let dir = tempfile::tempdir().unwrap();
    let mut harness = app(dir.path());
    harness.run();
    open_timeline(&mut harness);
    assert!(harness.query_by_label("Card details").is_none());

    harness.get_by_role_and_label(Role::Button, caption).click();
    harness.run();
    harness.get_by_label("Card details");
    let first = of_event[0];
    harness.get_by_label(&format!("Answer: {}", first.answer));
    harness.get_by_label("Review history");
    harness.get_by_label("No answers yet.");
    // The event's cards are listed; choosing another shows it.
    let second = of_event[1];
    harness
        .get_by_role_and_label(Role::Button, &second.prompt)
        .scroll_to_me();
    harness.run();
    harness
        .get_by_role_and_label(Role::Button, &second.prompt)
        .click();
    harness.run();
    harness.get_by_label(&format!("Answer: {}", second.answer));
    click(&mut harness, "Close details");
    assert!(harness.query_by_label("Card details").is_none());
}

#[test]
fn practising_the_events_on_show_leaves_card_states_untouched() {
    let lib = flashdrill_core::deck::load_library(&[], true);
    let cards = date_cards(&lib);
    let dir = tempfile::tempdir().unwrap();
    let mut harness = app(dir.path());
    harness.run();
    flashcards(&mut harness);
    open_timeline(&mut harness);
    click(&mut harness, "Practise these events");
    assert_eq!(harness.state().screen(), Screen::Study);
    harness.get_by_label(&format!("0 done · {} left", cards.len()));
    for _ in 0..2 {
        harness.key_press(Key::Space);
        harness.run();
        harness.key_press(Key::Space);
        harness.run();
    }
    let log = store(&harness).all_reviews().unwrap();
    assert_eq!(log.len(), 2);
    assert!(log.iter().all(|r| r.mode == Mode::Practice));
    assert!(
        store(&harness).card_states(None).unwrap().is_empty(),
        "practice leaves every card new"
    );
    crate::common::leave_session(&mut harness);
    assert_eq!(harness.state().screen(), Screen::Timeline);
}

#[test]
fn zooming_in_narrows_the_events_practised() {
    let lib = flashdrill_core::deck::load_library(&[], true);
    let recent = date_cards(&lib)
        .iter()
        .filter(|c| c.partial_date().is_some_and(|d| d.year >= 2022))
        .count();
    assert!(recent > 0 && recent < date_cards(&lib).len());
    let dir = tempfile::tempdir().unwrap();
    let mut harness = app(dir.path());
    harness.run();
    flashcards(&mut harness);
    open_timeline(&mut harness);
    click(&mut harness, "Zoom to 2022–2024");
    click(&mut harness, "Practise these events");
    harness.get_by_label(&format!("0 done · {recent} left"));
    harness.key_press(Key::Escape);
    harness.run();
    open_timeline(&mut harness);
    click(&mut harness, "Show all");
    click(&mut harness, "Practise these events");
    harness.get_by_label(&format!("0 done · {} left", date_cards(&lib).len()));
}

/// A teacher's own deck about 1961: date cards whose prompts are cloze sentences, with no
/// event captions of their own.
fn deck_about_1961(dir: &std::path::Path) {
    let deck = r#"{"format": "flashdrill-deck/1", "id": "space-race", "title": "The space race, 1961",
        "source": {"title": "A lesson", "author": "A teacher"},
        "cards": [
          {"id": "gagarin", "category": "date", "prompt": "In ___, Yuri Gagarin became the first person in space.",
           "answer": "April 1961", "date": "1961-04-12",
           "source": "In April 1961, Yuri Gagarin became the first person in space."},
          {"id": "shepard", "category": "date", "prompt": "Alan Shepard followed him in ___ , on a suborbital flight that lasted fifteen minutes and was watched by millions of people on television.",
           "answer": "May 1961", "date": "1961-05-05",
           "source": "Alan Shepard followed him in May 1961."},
          {"id": "wall", "category": "date", "prompt": "The Berlin Wall went up in ___.",
           "answer": "August 1961", "date": "1961-08-13",
           "source": "The Berlin Wall went up in August 1961."}
        ]}"#;
    let folder = flashdrill_core::deck::user_deck_dir(dir);
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(folder.join("space-race.json"), deck).unwrap();
}

#[test]
fn a_deck_about_1961_fits_the_axis_reads_well_and_can_be_shown_alone() {
    let dir = tempfile::tempdir().unwrap();
    deck_about_1961(dir.path());
    let mut harness = crate::common::app_sized(dir.path(), [800.0, 600.0]);
    harness.run();
    flashcards(&mut harness);
    open_timeline(&mut harness);
    // Captions read as sentences: the blank is filled with the answer.
    harness.get_by_role_and_label(
        Role::Button,
        "In April 1961, Yuri Gagarin became the first person in space.",
    );
    harness.get_by_role_and_label(Role::Button, "The Berlin Wall went up in August 1961.");
    assert!(
        harness.query_by_label_contains("___").is_none(),
        "no caption shows a blank"
    );
    // The event list wraps within the window, even a long caption.
    let long = harness.get_by_role_and_label(
        Role::Button,
        "Alan Shepard followed him in May 1961, on a suborbital flight that lasted fifteen \
         minutes and was watched by millions of people on television.",
    );
    assert!(long.rect().right() <= 800.0, "{:?}", long.rect());
    // One deck at a time: the bundled decks' events go, the 1961 ones fill the axis.
    crate::common::choose(&mut harness, "Deck:", "The space race, 1961");
    assert!(
        harness
            .query_by_label("Putin's first visit to North Korea")
            .is_none()
    );
    harness.get_by_label_contains("Time axis of 3 dated events from 1961 to 1961");
    assert!(
        harness.query_by_label_contains("Zoom to").is_none(),
        "no zoom to years the deck does not have"
    );
    // The axis spans 1961: every event is on show, so all three can be practised.
    click(&mut harness, "Practise these events");
    assert_eq!(harness.state().screen(), Screen::Study);
    harness.get_by_label("0 done · 3 left");
}
