//! Drill mode at projector size (1920×1080) in both themes, rendered on the CPU: the setup,
//! a question, its reveal, the scoreboard and the podium. The drill's questions are seeded so
//! the pictures are the same on every run. `UPDATE_SNAPSHOTS=1 cargo test --test
//! ui_drill_snapshots` accepts changes.

use crate::common::{click, press};
use egui::Key;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use flashdrill::app::{FlashdrillApp, Screen};
use flashdrill_core::drill::Phase;

fn harness(dir: &std::path::Path, theme: &str) -> crate::common::App {
    crate::common::rendered(dir, [1920.0, 1080.0], theme)
}

fn phase(h: &Harness<'_, FlashdrillApp>) -> Phase {
    h.state().drill().expect("a drill").phase()
}

fn drill(theme: &str) {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(dir.path(), theme);
    click(&mut h, "Class drill");
    assert_eq!(h.state().screen(), Screen::Drill);
    // Three questions, multiple choice and flip-and-reveal only, no time limit (so the
    // pictures do not depend on how fast the test runs), three teams.
    h.get_by_label("Number of questions").click();
    h.run();
    h.get_by_label("Number of questions").type_text("3");
    h.run();
    click(&mut h, "Timeline");
    click(&mut h, "Matching");
    click(&mut h, "Time limit");
    click(&mut h, "Off");
    click(&mut h, "Number of teams");
    click(&mut h, "3 teams");
    h.snapshot(format!("drill-setup-{theme}"));

    click(&mut h, "Start drill");
    assert_eq!(phase(&h), Phase::Question);
    h.get_by_label("Question 1 / 3");
    h.snapshot(format!("drill-question-{theme}"));

    press(&mut h, Key::Space);
    assert_eq!(phase(&h), Phase::Revealed);
    press(&mut h, Key::Num1);
    press(&mut h, Key::Num3);
    h.snapshot(format!("drill-reveal-{theme}"));

    press(&mut h, Key::Space);
    assert_eq!(phase(&h), Phase::Scoreboard);
    h.snapshot(format!("drill-scoreboard-{theme}"));

    for keys in [&[Key::Num1][..], &[Key::Num2, Key::Num1]] {
        press(&mut h, Key::Space);
        press(&mut h, Key::Space);
        for key in keys {
            press(&mut h, *key);
        }
        press(&mut h, Key::Space);
    }
    assert_eq!(phase(&h), Phase::Finished);
    h.get_by_label_contains("1st: Team 1 · ");
    h.snapshot(format!("drill-podium-{theme}"));
}

#[test]
fn drill_light() {
    drill("light");
}

#[test]
fn drill_dark() {
    drill("dark");
}
