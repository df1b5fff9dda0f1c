//! Every script shows: characters the bundled fonts lack come from the system's fonts (in CI,
//! Debian's `fonts-noto-cjk`, which `.ci/run` installs); a script no font has is named once,
//! with the package to install.

use egui::FontId;
use egui_kittest::kittest::Queryable;
use flashdrill::ui::fonts;

use crate::common::{app_sized, rendered};

const KOREAN: &str = "김정은";
const JAPANESE: &str = "東京 とうきょう";
const CHINESE: &str = "北京";

/// A deck of one card whose prompt and answer are in Korean, Japanese and Chinese.
fn east_asian_deck(dir: &std::path::Path) {
    let deck = format!(
        r#"{{"format": "flashdrill-deck/1", "id": "east-asia", "title": "East Asia",
            "source": {{"title": "Names", "author": "A teacher"}},
            "cards": [{{"id": "names", "category": "term",
              "prompt": "Kim Jong Un is {KOREAN}; Tokyo is {JAPANESE}; Beijing is ___.",
              "answer": "{CHINESE}",
              "source": "Kim Jong Un is {KOREAN}; Tokyo is {JAPANESE}; Beijing is {CHINESE}."}}]}}"#
    );
    let folder = flashdrill_core::deck::user_deck_dir(dir);
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(folder.join("east-asia.json"), deck).unwrap();
}

#[test]
fn a_card_in_korean_japanese_and_chinese_has_a_glyph_for_every_character() {
    let data = tempfile::tempdir().unwrap();
    east_asian_deck(data.path());
    let mut h = rendered(data.path(), [1100.0, 760.0], "light");
    let missing = fonts::install(&h.ctx);
    h.state_mut().watch_fonts(missing.clone());
    h.get_by_label("Study East Asia").click_accesskit();
    h.run();
    let prompt = format!("Kim Jong Un is {KOREAN}; Tokyo is {JAPANESE}; Beijing is");
    assert!(
        h.query_by_label_contains(&prompt).is_some(),
        "the card is on screen"
    );
    h.get_by_label("Your answer").type_text(CHINESE);
    h.run();
    h.key_press(egui::Key::Enter);
    h.run();
    for text in [KOREAN, JAPANESE, CHINESE] {
        for c in text.chars().filter(|c| !c.is_whitespace()) {
            let has = h
                .ctx
                .fonts_mut(|f| f.has_glyph(&FontId::proportional(20.0), c));
            assert!(
                has,
                "no font has {c:?}: install Debian's fonts-noto-cjk (sudo apt install \
                 fonts-noto-cjk), as .ci/run does"
            );
        }
    }
    assert!(missing.all().is_empty(), "{:?}", missing.all());
    assert!(
        h.query_by_label_contains("No font on this computer")
            .is_none()
    );
    h.snapshot("study-east-asian-scripts-light");
}

#[test]
fn a_script_no_font_has_is_named_once_with_the_package_to_install() {
    let data = tempfile::tempdir().unwrap();
    east_asian_deck(data.path());
    let mut h = app_sized(data.path(), [1100.0, 760.0]);
    // No system fonts: only the provider that notes what no font has; boxes drawn, as in
    // the app (the harness would rather stop at a missing glyph).
    h.ctx
        .set_missing_glyph_policy(egui::MissingGlyphPolicy::Tofu);
    let missing = fonts::install_notes(&h.ctx);
    h.state_mut().watch_fonts(missing.clone());
    h.get_by_label("Study East Asia").click_accesskit();
    h.run();
    h.key_press(egui::Key::Escape);
    h.run();
    let names: Vec<&str> = missing.all().iter().map(|(s, _)| s.name).collect();
    assert!(names.contains(&"Korean"), "{names:?}");
    // Told on the home screen (the study screen shows no notices), with the package.
    let told = h.get_by_label_contains("No font on this computer has");
    let text = format!("{told:?}");
    for part in [
        "Korean (U+AE40)",
        "Japanese (U+3068)",
        "Chinese and Japanese (U+6771)",
    ] {
        assert!(text.contains(part), "{part} in {text}");
    }
    h.get_by_label_contains("sudo apt install fonts-noto-cjk");
    // Told once, however often the characters are drawn again.
    h.get_by_label("Study East Asia").click_accesskit();
    h.run();
    h.key_press(egui::Key::Escape);
    h.run();
    assert!(!missing.take_new());
    assert!(
        h.query_by_label_contains("No font on this computer")
            .is_none()
    );
}
