//! The names of the screens, below everything that refers to them.

/// Which screen is on show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, strum::EnumIter)]
pub enum Screen {
    Home,
    Study,
    Summary,
    Settings,
    Stats,
    /// The card browser.
    Browse,
    /// The article's dated events on a time axis.
    Timeline,
    /// Practice any cards now: the setup, and timeline and matching rounds.
    Practice,
    /// The profile's database could not be opened.
    Recovery,
    /// Drill mode: a quiz for a class on a projector.
    Drill,
    /// The deck editor.
    Editor,
    /// Import from Anki, Quizlet and spreadsheets; export to Anki.
    Import,
    /// "Test yourself": a mock test of one deck.
    SelfTest,
    /// A class's spaced warm-up on the projector.
    Warmup,
    /// A teacher's classes: rosters, each student's progress, reports.
    Classes,
}
