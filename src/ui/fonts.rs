//! Every script on screen: characters egui's bundled fonts lack come from the system's fonts,
//! looked up only when a character needs one; a script no installed font has is reported once,
//! with the font package that would show it.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use egui::epaint::text::{FallbackRequest, FontInsert, FontProvider};

use super::notice::Notice;

/// A script (or group of characters) a font package covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Script {
    /// What the user would call it: "Korean", "Thai".
    pub name: &'static str,
    /// The Debian/Ubuntu package with a font for it.
    pub package: &'static str,
}

/// The script of `c`, for saying which font package would show it.
#[must_use]
pub fn script_of(c: char) -> Script {
    let script = |name, package| Script { name, package };
    match u32::from(c) {
        0x1100..=0x11FF | 0x3130..=0x318F | 0xA960..=0xA97F | 0xAC00..=0xD7AF => {
            script("Korean", "fonts-noto-cjk")
        }
        0x3040..=0x30FF | 0x31F0..=0x31FF | 0xFF66..=0xFF9F => script("Japanese", "fonts-noto-cjk"),
        0x2E80..=0x2FDF
        | 0x3000..=0x303F
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xF900..=0xFAFF
        | 0xFF00..=0xFF65
        | 0x20000..=0x3134F => script("Chinese and Japanese", "fonts-noto-cjk"),
        0x0370..=0x03FF | 0x1F00..=0x1FFF => script("Greek", "fonts-noto-core"),
        0x0400..=0x052F => script("Cyrillic", "fonts-noto-core"),
        0x0590..=0x05FF => script("Hebrew", "fonts-noto-core"),
        0x0600..=0x06FF | 0x0750..=0x077F => script("Arabic", "fonts-noto-core"),
        0x0900..=0x097F => script("Devanagari", "fonts-noto-core"),
        0x0E00..=0x0E7F => script("Thai", "fonts-noto-core"),
        0x2600..=0x27BF | 0x1F000..=0x1FAFF => script("emoji", "fonts-noto-color-emoji"),
        _ => script("some characters", "fonts-noto-core"),
    }
}

/// What to tell the user about the scripts no installed font has, each with one of its
/// characters: one message naming them all and every package to install.
#[must_use]
pub fn notice(missing: &[(Script, char)]) -> Notice {
    let names: Vec<String> = missing
        .iter()
        // The character itself would show as a box: its code point instead.
        .map(|(script, example)| format!("{} (U+{:04X})", script.name, u32::from(*example)))
        .collect();
    let mut packages: Vec<&str> = missing.iter().map(|(s, _)| s.package).collect();
    packages.sort_unstable();
    packages.dedup();
    Notice::warning(format!(
        "No font on this computer has {}, so {} as boxes. Install {}, then restart flashdrill \
         — on Debian or Ubuntu: sudo apt install {}",
        join_words(&names),
        if names.len() == 1 {
            "it shows"
        } else {
            "they show"
        },
        if packages.len() == 1 {
            "a font"
        } else {
            "fonts"
        },
        packages.join(" ")
    ))
}

/// "a", "a and b", "a, b and c".
fn join_words(words: &[String]) -> String {
    match words {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// The scripts no installed font had, as the text was laid out.
#[derive(Debug, Default)]
struct Missing {
    /// Every script found missing, with the first character of it seen.
    seen: BTreeMap<Script, char>,
    /// Whether one was found since the app last asked.
    new: bool,
}

/// Shared with the font provider that notes what no font had: the app asks it each frame.
#[derive(Debug, Clone, Default)]
pub struct MissingFonts(Arc<Mutex<Missing>>);

impl MissingFonts {
    fn note(&self, c: char) {
        if c.is_whitespace() || c.is_control() {
            return;
        }
        let script = script_of(c);
        if let Ok(mut missing) = self.0.lock()
            && !missing.seen.contains_key(&script)
        {
            missing.seen.insert(script, c);
            missing.new = true;
        }
    }

    /// Whether a script was found missing since the last call.
    #[must_use]
    pub fn take_new(&self) -> bool {
        self.0.lock().is_ok_and(|mut m| std::mem::take(&mut m.new))
    }

    /// Every script found missing so far, each with one of its characters.
    #[must_use]
    pub fn all(&self) -> Vec<(Script, char)> {
        self.0
            .lock()
            .map(|m| m.seen.iter().map(|(&s, &c)| (s, c)).collect())
            .unwrap_or_default()
    }
}

/// Asked last, after every font and the system's: notes the character and finds nothing.
struct NoteMissing(MissingFonts);

impl FontProvider for NoteMissing {
    fn font_for(&self, request: &FallbackRequest<'_>) -> Option<FontInsert> {
        if let Some(c) = request.cluster.chars().next() {
            self.0.note(c);
        }
        None
    }
}

/// Gives `ctx` the system's fonts for characters the bundled fonts lack (enumerated on a
/// background thread, asked only when a character needs one), then a provider noting what
/// no font had.
#[must_use]
pub fn install(ctx: &egui::Context) -> MissingFonts {
    ctx.add_font_provider(Arc::new(
        egui_system_font_provider::SystemFontProvider::new(),
    ));
    install_notes(ctx)
}

/// Only the provider noting characters no font has (no system fonts): for tests of the notice.
#[must_use]
pub fn install_notes(ctx: &egui::Context) -> MissingFonts {
    let missing = MissingFonts::default();
    ctx.add_font_provider(Arc::new(NoteMissing(missing.clone())));
    missing
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_name_their_font_package() {
        assert_eq!(script_of('김').name, "Korean");
        assert_eq!(script_of('ひ').name, "Japanese");
        assert_eq!(script_of('京').name, "Chinese and Japanese");
        assert_eq!(script_of('京').package, "fonts-noto-cjk");
        assert_eq!(script_of('ก').name, "Thai");
        assert_eq!(script_of('क').package, "fonts-noto-core");
        assert_eq!(script_of('😀').package, "fonts-noto-color-emoji");
    }

    #[test]
    fn each_missing_script_is_noted_once_and_told_in_one_message() {
        let missing = MissingFonts::default();
        for c in "김정은 김 ".chars() {
            missing.note(c);
        }
        assert!(missing.take_new());
        assert!(!missing.take_new());
        missing.note('은');
        assert!(!missing.take_new(), "Korean was noted already");
        missing.note('ก');
        assert!(missing.take_new());
        let all = missing.all();
        assert_eq!(all.len(), 2, "{all:?}");
        let text = notice(&all).text;
        assert_eq!(
            text,
            "No font on this computer has Korean (U+AE40) and Thai (U+0E01), so they show as \
             boxes. Install fonts, then restart flashdrill — on Debian or Ubuntu: sudo apt \
             install fonts-noto-cjk fonts-noto-core"
        );
        let one = notice(&all[..1]).text;
        assert!(
            one.contains("Korean (U+AE40), so it shows as boxes. Install a font"),
            "{one}"
        );
    }
}
