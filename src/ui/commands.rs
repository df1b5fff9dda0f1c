//! Every keyboard shortcut, in one table that also feeds tooltips and the shortcut overlay.

use egui::{Key, KeyboardShortcut, Modifiers};

/// What the user asked for, by key, click or menu. Screens emit these; the app carries them out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Command {
    /// Space or Enter: show the answer, or go on with the proposed rating (Good on a flip card).
    Primary,
    /// 1–4: a rating once the answer shows, else the n-th multiple-choice option (1-based).
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

/// The command table: every shortcut the app knows.
pub const COMMANDS: &[CommandInfo] = &[
    CommandInfo {
        command: Command::Primary,
        keys: "Space / Enter",
        description: "Show the answer, then go on (Good, or the proposed rating)",
        shortcuts: &[key(Key::Space), key(Key::Enter)],
    },
    CommandInfo {
        command: Command::Pick(1),
        keys: "1",
        description: "Again, or the first option",
        shortcuts: &[key(Key::Num1)],
    },
    CommandInfo {
        command: Command::Pick(2),
        keys: "2",
        description: "Hard, or the second option",
        shortcuts: &[key(Key::Num2)],
    },
    CommandInfo {
        command: Command::Pick(3),
        keys: "3",
        description: "Good, or the third option",
        shortcuts: &[key(Key::Num3)],
    },
    CommandInfo {
        command: Command::Pick(4),
        keys: "4",
        description: "Easy, or the fourth option",
        shortcuts: &[key(Key::Num4)],
    },
    // Before Undo: Ctrl+Z also matches Ctrl+Shift+Z, so the longer shortcut is read first.
    CommandInfo {
        command: Command::Redo,
        keys: "Ctrl+Shift+Z",
        description: "Redo the last edit undone (deck editor)",
        shortcuts: &[ctrl_shift(Key::Z)],
    },
    CommandInfo {
        command: Command::Undo,
        keys: "Ctrl+Z",
        description: "Undo the last answer, or the last edit in the deck editor",
        shortcuts: &[ctrl(Key::Z)],
    },
    CommandInfo {
        command: Command::Save,
        keys: "Ctrl+S",
        description: "Save the deck (deck editor)",
        shortcuts: &[ctrl(Key::S)],
    },
    CommandInfo {
        command: Command::Back,
        keys: "Esc",
        description: "Leave the session (answers are already saved) or close this overlay",
        shortcuts: &[key(Key::Escape)],
    },
    CommandInfo {
        command: Command::ZoomIn,
        keys: "Ctrl + +",
        description: "Zoom in",
        shortcuts: &[ctrl(Key::Plus), ctrl(Key::Equals)],
    },
    CommandInfo {
        command: Command::ZoomOut,
        keys: "Ctrl + −",
        description: "Zoom out",
        shortcuts: &[ctrl(Key::Minus)],
    },
    CommandInfo {
        command: Command::ZoomReset,
        keys: "Ctrl + 0",
        description: "Reset zoom",
        shortcuts: &[ctrl(Key::Num0)],
    },
    CommandInfo {
        command: Command::ToggleShortcuts,
        keys: "?",
        description: "Show or hide this list of shortcuts",
        shortcuts: &[],
    },
];

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

/// Reads this frame's key presses into commands. While a text field has the keyboard, single
/// keys (Space, digits, `?`) belong to the text; Enter, Esc and Ctrl shortcuts still work.
#[must_use]
pub fn read_shortcuts(ctx: &egui::Context) -> Vec<Command> {
    let typing = ctx.egui_wants_keyboard_input();
    let mut out = Vec::new();
    ctx.input_mut(|input| {
        for row in COMMANDS {
            for shortcut in row.shortcuts {
                let plain_key = shortcut.modifiers.is_none()
                    && !matches!(shortcut.logical_key, Key::Enter | Key::Escape);
                if typing && plain_key {
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
    fn no_shortcut_is_bound_twice() {
        let mut seen = std::collections::HashSet::new();
        for row in COMMANDS {
            for s in row.shortcuts {
                assert!(seen.insert(format!("{s:?}")), "{s:?} bound twice");
            }
        }
    }
}
