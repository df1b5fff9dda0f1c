//! Every keyboard shortcut, in one table that also feeds tooltips and the shortcut overlay.

use egui::{Key, KeyboardShortcut, Modifiers};
use strum::IntoEnumIterator;

use crate::ui::screen::Screen;

/// What the user asked for, by key, click or menu. Screens emit these; the app carries them out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Command {
    /// Space or Enter: show the answer, or go on with the proposed rating (Good on a flip card).
    Primary,
    /// 1–4 while studying: a rating once the answer shows, else the n-th multiple-choice option
    /// (1-based).
    Pick(u8),
    /// Ctrl+Z: undo the last answer of the session, or the last edit in the deck editor.
    Undo,
    /// Ctrl+Shift+Z: redo the last edit undone in the deck editor.
    Redo,
    /// Ctrl+S: save the deck open in the deck editor.
    Save,
    /// Esc: leave the session or close the overlay.
    Back,
    ZoomIn,
    ZoomOut,
    ZoomReset,
    /// `?`: show or hide the shortcut overlay.
    ToggleShortcuts,
    /// Enter on the home screen: import the deck whose path is typed.
    Submit,
    /// 1–6 in a class drill: give (or take back) the n-th team's point (1-based).
    TeamPoint(u8),
    /// P: pause the drill's countdown, or go on.
    Pause,
    /// S: skip the drill's question.
    Skip,
    /// B: back to the drill's previous question.
    PreviousQuestion,
    /// E: end the drill or the live game early (asks first).
    EndEarly,
    /// F11: full screen on or off while a drill or a live game is projected.
    ToggleFullscreen,
    /// Y: yes to the question asked (end, leave).
    Confirm,
    /// N: no to the question asked.
    Decline,
    /// A–F in a matching question: select the n-th name (1-based).
    SelectName(u8),
    /// 1–6 in a matching question: pair the selected name with the n-th role (1-based).
    PickRole(u8),
    /// Up / Down in a timeline question: select the row above or below.
    SelectUp,
    SelectDown,
    /// Alt+Up / Alt+Down in a timeline question: move the selected row up or down.
    MoveUp,
    MoveDown,
}

/// A part of a screen with keys of its own; the `?` overlay lists each under a heading.
#[derive(Debug, Clone, Copy, PartialEq, Eq, strum::EnumIter)]
pub enum Area {
    Home,
    Study,
    Summary,
    Matching,
    Ordering,
    Drill,
    Live,
    Editor,
    Browse,
    Settings,
}

impl Area {
    /// The screen this area is part of (a live game shows on the drill screen).
    #[must_use]
    pub const fn screen(self) -> Screen {
        match self {
            Self::Home => Screen::Home,
            Self::Study => Screen::Study,
            Self::Summary => Screen::Summary,
            Self::Matching | Self::Ordering => Screen::Practice,
            Self::Drill | Self::Live => Screen::Drill,
            Self::Editor => Screen::Editor,
            Self::Browse => Screen::Browse,
            Self::Settings => Screen::Settings,
        }
    }

    /// The overlay's heading for this area's keys.
    #[must_use]
    pub const fn heading(self) -> &'static str {
        match self {
            Self::Home => "Home",
            Self::Study => "Studying",
            Self::Summary => "Session summary",
            Self::Matching => "Matching question",
            Self::Ordering => "Timeline question",
            Self::Drill => "Class drill",
            Self::Live => "Live class game",
            Self::Editor => "Deck editor",
            Self::Browse => "Card browser",
            Self::Settings => "Settings",
        }
    }
}

/// Where a command's keys work.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// On every screen.
    Everywhere,
    /// In these areas only.
    In(&'static [Area]),
}

impl Scope {
    /// Whether the keys work while `screen` is on show.
    #[must_use]
    pub fn covers(self, screen: Screen) -> bool {
        match self {
            Self::Everywhere => true,
            Self::In(areas) => areas.iter().any(|a| a.screen() == screen),
        }
    }
}

/// One row of the command table.
#[derive(Debug, Clone, Copy)]
pub struct CommandInfo {
    pub command: Command,
    /// The keys, as shown in tooltips and the overlay.
    pub keys: &'static str,
    /// What it does, in a few words.
    pub description: &'static str,
    /// The shortcuts that trigger it.
    pub shortcuts: &'static [KeyboardShortcut],
    /// Where they work.
    pub scope: Scope,
}

const fn key(k: Key) -> KeyboardShortcut {
    KeyboardShortcut::new(Modifiers::NONE, k)
}

const fn ctrl(k: Key) -> KeyboardShortcut {
    KeyboardShortcut::new(Modifiers::COMMAND, k)
}

const fn ctrl_shift(k: Key) -> KeyboardShortcut {
    KeyboardShortcut::new(Modifiers::COMMAND.plus(Modifiers::SHIFT), k)
}

const fn alt(k: Key) -> KeyboardShortcut {
    KeyboardShortcut::new(Modifiers::ALT, k)
}

/// A table row.
const fn row(
    command: Command,
    keys: &'static str,
    description: &'static str,
    shortcuts: &'static [KeyboardShortcut],
    scope: Scope,
) -> CommandInfo {
    CommandInfo {
        command,
        keys,
        description,
        shortcuts,
        scope,
    }
}

const EVERYWHERE: Scope = Scope::Everywhere;
const STUDY: Scope = Scope::In(&[Area::Study]);
const DRILL: Scope = Scope::In(&[Area::Drill]);
const PROJECTOR: Scope = Scope::In(&[Area::Drill, Area::Live]);
const MATCHING: Scope = Scope::In(&[Area::Matching]);
const ORDERING: Scope = Scope::In(&[Area::Ordering]);
const EDITOR: Scope = Scope::In(&[Area::Editor]);

/// The command table: every shortcut the app knows. A key may be bound once per screen.
pub const COMMANDS: &[CommandInfo] = &[
    row(
        Command::Primary,
        "Space / Enter",
        "Show the answer, then go on (Good, or the proposed rating)",
        &[key(Key::Space), key(Key::Enter)],
        Scope::In(&[
            Area::Study,
            Area::Matching,
            Area::Ordering,
            Area::Drill,
            Area::Live,
        ]),
    ),
    row(
        Command::Pick(1),
        "1",
        "Again, or the first option",
        &[key(Key::Num1)],
        STUDY,
    ),
    row(
        Command::Pick(2),
        "2",
        "Hard, or the second option",
        &[key(Key::Num2)],
        STUDY,
    ),
    row(
        Command::Pick(3),
        "3",
        "Good, or the third option",
        &[key(Key::Num3)],
        STUDY,
    ),
    row(
        Command::Pick(4),
        "4",
        "Easy, or the fourth option",
        &[key(Key::Num4)],
        STUDY,
    ),
    // Before Undo: Ctrl+Z also matches Ctrl+Shift+Z, so the longer shortcut is read first.
    row(
        Command::Redo,
        "Ctrl+Shift+Z",
        "Redo the last edit undone",
        &[ctrl_shift(Key::Z)],
        EDITOR,
    ),
    row(
        Command::Undo,
        "Ctrl+Z",
        "Undo the last answer or change (study, browser, settings and the decks' menu share one undo); in the deck editor, the last edit",
        &[ctrl(Key::Z)],
        Scope::In(&[
            Area::Home,
            Area::Study,
            Area::Summary,
            Area::Editor,
            Area::Browse,
            Area::Settings,
        ]),
    ),
    row(
        Command::Save,
        "Ctrl+S",
        "Save the deck",
        &[ctrl(Key::S)],
        EDITOR,
    ),
    row(
        Command::Submit,
        "Enter",
        "Import the deck whose path is typed",
        &[key(Key::Enter)],
        Scope::In(&[Area::Home]),
    ),
    row(
        Command::TeamPoint(1),
        "1",
        "Team 1's point on the revealed question",
        &[key(Key::Num1)],
        DRILL,
    ),
    row(
        Command::TeamPoint(2),
        "2",
        "Team 2's point",
        &[key(Key::Num2)],
        DRILL,
    ),
    row(
        Command::TeamPoint(3),
        "3",
        "Team 3's point",
        &[key(Key::Num3)],
        DRILL,
    ),
    row(
        Command::TeamPoint(4),
        "4",
        "Team 4's point",
        &[key(Key::Num4)],
        DRILL,
    ),
    row(
        Command::TeamPoint(5),
        "5",
        "Team 5's point",
        &[key(Key::Num5)],
        DRILL,
    ),
    row(
        Command::TeamPoint(6),
        "6",
        "Team 6's point",
        &[key(Key::Num6)],
        DRILL,
    ),
    row(
        Command::Pause,
        "P",
        "Pause the countdown, or go on",
        &[key(Key::P)],
        DRILL,
    ),
    row(
        Command::Skip,
        "S",
        "Skip the question",
        &[key(Key::S)],
        DRILL,
    ),
    row(
        Command::PreviousQuestion,
        "B",
        "Back one question",
        &[key(Key::B)],
        DRILL,
    ),
    row(
        Command::EndEarly,
        "E",
        "End now (asks first)",
        &[key(Key::E)],
        PROJECTOR,
    ),
    row(
        Command::ToggleFullscreen,
        "F11",
        "Full screen on or off",
        &[key(Key::F11)],
        PROJECTOR,
    ),
    row(
        Command::Confirm,
        "Y",
        "Yes, to the question asked",
        &[key(Key::Y)],
        PROJECTOR,
    ),
    row(
        Command::Decline,
        "N",
        "No, to the question asked",
        &[key(Key::N)],
        PROJECTOR,
    ),
    row(
        Command::SelectName(1),
        "A",
        "Select the first name",
        &[key(Key::A)],
        MATCHING,
    ),
    row(
        Command::SelectName(2),
        "B",
        "Select the second name",
        &[key(Key::B)],
        MATCHING,
    ),
    row(
        Command::SelectName(3),
        "C",
        "Select the third name",
        &[key(Key::C)],
        MATCHING,
    ),
    row(
        Command::SelectName(4),
        "D",
        "Select the fourth name",
        &[key(Key::D)],
        MATCHING,
    ),
    row(
        Command::SelectName(5),
        "E",
        "Select the fifth name",
        &[key(Key::E)],
        MATCHING,
    ),
    row(
        Command::SelectName(6),
        "F",
        "Select the sixth name",
        &[key(Key::F)],
        MATCHING,
    ),
    row(
        Command::PickRole(1),
        "1",
        "Pair the selected name with the first role",
        &[key(Key::Num1)],
        MATCHING,
    ),
    row(
        Command::PickRole(2),
        "2",
        "… with the second role",
        &[key(Key::Num2)],
        MATCHING,
    ),
    row(
        Command::PickRole(3),
        "3",
        "… with the third role",
        &[key(Key::Num3)],
        MATCHING,
    ),
    row(
        Command::PickRole(4),
        "4",
        "… with the fourth role",
        &[key(Key::Num4)],
        MATCHING,
    ),
    row(
        Command::PickRole(5),
        "5",
        "… with the fifth role",
        &[key(Key::Num5)],
        MATCHING,
    ),
    row(
        Command::PickRole(6),
        "6",
        "… with the sixth role",
        &[key(Key::Num6)],
        MATCHING,
    ),
    // Before Up and Down: a plain arrow's shortcut would also take Alt+arrow.
    row(
        Command::MoveUp,
        "Alt+Up",
        "Move the selected event up",
        &[alt(Key::ArrowUp)],
        ORDERING,
    ),
    row(
        Command::MoveDown,
        "Alt+Down",
        "Move the selected event down",
        &[alt(Key::ArrowDown)],
        ORDERING,
    ),
    row(
        Command::SelectUp,
        "Up",
        "Select the event above",
        &[key(Key::ArrowUp)],
        ORDERING,
    ),
    row(
        Command::SelectDown,
        "Down",
        "Select the event below",
        &[key(Key::ArrowDown)],
        ORDERING,
    ),
    row(
        Command::Back,
        "Esc",
        "Leave the session (answers are already saved) or close this overlay",
        &[key(Key::Escape)],
        EVERYWHERE,
    ),
    row(
        Command::ZoomIn,
        "Ctrl + +",
        "Zoom in",
        &[ctrl(Key::Plus), ctrl(Key::Equals)],
        EVERYWHERE,
    ),
    row(
        Command::ZoomOut,
        "Ctrl + −",
        "Zoom out",
        &[ctrl(Key::Minus)],
        EVERYWHERE,
    ),
    row(
        Command::ZoomReset,
        "Ctrl + 0",
        "Reset zoom",
        &[ctrl(Key::Num0)],
        EVERYWHERE,
    ),
    row(
        Command::ToggleShortcuts,
        "?",
        "Show or hide this list of shortcuts",
        &[],
        EVERYWHERE,
    ),
];

/// The overlay's sections with `screen` on show: the rows that work everywhere, then each area
/// of that screen (its heading marked "this screen"), then every other screen's areas, so that
/// the overlay is the whole table. A row shared by two areas shows under both.
#[must_use]
pub fn sections(screen: Screen) -> Vec<(String, Vec<&'static CommandInfo>)> {
    let everywhere = COMMANDS
        .iter()
        .filter(|row| row.scope == Scope::Everywhere)
        .collect();
    let mut out = vec![("Everywhere".to_owned(), everywhere)];
    let here = Area::iter().filter(|a| a.screen() == screen);
    let elsewhere = Area::iter().filter(|a| a.screen() != screen);
    for (area, current) in here.map(|a| (a, true)).chain(elsewhere.map(|a| (a, false))) {
        let rows: Vec<&CommandInfo> = COMMANDS
            .iter()
            .filter(|row| matches!(row.scope, Scope::In(areas) if areas.contains(&area)))
            .collect();
        if rows.is_empty() {
            continue;
        }
        let heading = if current {
            format!("{} (this screen)", area.heading())
        } else {
            area.heading().to_owned()
        };
        out.push((heading, rows));
    }
    out
}

/// The table row of a command.
#[must_use]
pub fn info(command: Command) -> Option<&'static CommandInfo> {
    COMMANDS.iter().find(|c| c.command == command)
}

/// The tooltip for a control that triggers `command`: its description and keys.
#[must_use]
pub fn tooltip(command: Command) -> String {
    info(command).map_or_else(String::new, |c| format!("{} ({})", c.description, c.keys))
}

/// The keys for a command, for labels such as "Show answer (Space)".
#[must_use]
pub fn keys(command: Command) -> &'static str {
    info(command).map_or("", |c| c.keys)
}

/// Reads this frame's key presses into commands, with the keys of `screen` and those that work
/// everywhere. While a widget has the keyboard, single keys (Space, letters, digits, arrows,
/// `?`) belong to it; Esc and shortcuts with Ctrl or Alt still work, and so does Enter in a
/// text field. Enter on a focused button (reached with Tab) presses that button.
#[must_use]
pub fn read_shortcuts(ctx: &egui::Context, screen: Screen) -> Vec<Command> {
    let typing = ctx.egui_wants_keyboard_input();
    let on_button = typing && !ctx.text_edit_focused();
    let mut out = Vec::new();
    ctx.input_mut(|input| {
        for row in COMMANDS.iter().filter(|row| row.scope.covers(screen)) {
            for shortcut in row.shortcuts {
                let plain_key = shortcut.modifiers.is_none()
                    && !matches!(shortcut.logical_key, Key::Enter | Key::Escape);
                let enter = shortcut.modifiers.is_none() && shortcut.logical_key == Key::Enter;
                if (typing && plain_key) || (on_button && enter) {
                    continue;
                }
                if input.consume_shortcut(shortcut) {
                    out.push(row.command);
                    break;
                }
            }
        }
        if !typing {
            let question = input
                .events
                .iter()
                .any(|e| matches!(e, egui::Event::Text(t) if t == "?"));
            if question {
                input
                    .events
                    .retain(|e| !matches!(e, egui::Event::Text(t) if t == "?"));
                out.push(Command::ToggleShortcuts);
            }
        }
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_command_has_keys_and_a_description() {
        for row in COMMANDS {
            assert!(!row.keys.is_empty(), "{:?}", row.command);
            assert!(!row.description.is_empty(), "{:?}", row.command);
        }
        assert!(tooltip(Command::Undo).contains("Ctrl+Z"));
    }

    #[test]
    fn no_shortcut_is_bound_twice_on_a_screen() {
        for screen in Screen::iter() {
            let mut seen = std::collections::HashSet::new();
            for row in COMMANDS.iter().filter(|row| row.scope.covers(screen)) {
                for s in row.shortcuts {
                    assert!(
                        seen.insert(format!("{s:?}")),
                        "{s:?} bound twice on {screen:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn every_command_has_one_row() {
        for (i, row) in COMMANDS.iter().enumerate() {
            assert_eq!(
                COMMANDS.iter().position(|r| r.command == row.command),
                Some(i),
                "{:?}",
                row.command
            );
        }
    }

    #[test]
    fn the_overlay_lists_every_screens_keys_this_screens_first() {
        let headings =
            |screen| -> Vec<String> { sections(screen).into_iter().map(|s| s.0).collect() };
        let home = headings(Screen::Home);
        assert_eq!(home[..2], ["Everywhere", "Home (this screen)"]);
        assert!(home.iter().any(|h| h == "Class drill"));
        assert!(home.iter().any(|h| h == "Studying"));
        let drill = headings(Screen::Drill);
        assert_eq!(
            drill[..3],
            [
                "Everywhere",
                "Class drill (this screen)",
                "Live class game (this screen)"
            ]
        );
        assert!(drill.iter().any(|h| h == "Home"));
        // Every row of the table is listed somewhere, whatever the screen.
        for screen in Screen::iter() {
            let listed = sections(screen);
            for row in COMMANDS {
                assert!(
                    listed
                        .iter()
                        .any(|(_, rows)| rows.iter().any(|r| r.command == row.command)),
                    "{:?} missing on {screen:?}",
                    row.command
                );
            }
        }
        let drill = sections(Screen::Drill);
        let has = |section: usize, command| drill[section].1.iter().any(|r| r.command == command);
        assert!(has(1, Command::Pause));
        assert!(has(1, Command::EndEarly) && has(2, Command::EndEarly));
        assert!(!has(2, Command::Pause), "the live game has no pause");
    }
}
