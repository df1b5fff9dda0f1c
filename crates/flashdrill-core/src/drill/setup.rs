//! What the teacher chooses before a drill: decks, categories, how many questions in which
//! forms, the countdown and the teams; and why a choice cannot start a drill.

use std::collections::BTreeSet;

/// Questions in a drill unless the teacher says otherwise.
pub const DEFAULT_QUESTIONS: usize = 10;
/// Most questions in one drill.
pub const MAX_QUESTIONS: usize = 50;
/// The default countdown, in seconds.
pub const DEFAULT_TIME_LIMIT: u32 = 20;
/// Shortest countdown, in seconds.
pub const MIN_TIME_LIMIT: u32 = 10;
/// Longest countdown, in seconds.
pub const MAX_TIME_LIMIT: u32 = 60;
/// The countdowns offered in the setup screen, in seconds (besides "off").
pub const TIME_LIMITS: [u32; 5] = [10, 20, 30, 45, 60];
/// Fewest teams when playing in teams.
pub const MIN_TEAMS: usize = 2;
/// Most teams.
pub const MAX_TEAMS: usize = 6;
/// How many team colours there are (`Team::colour_index` is below this).
pub const TEAM_COLOURS: usize = 6;
/// Longest team name, in characters (it has to fit on a button on the projector).
pub const MAX_TEAM_NAME_CHARS: usize = 30;
/// The name of the one "team" when the class plays without teams.
pub const CLASS_TEAM: &str = "Class";

/// How a drill question is put to the class.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    strum::IntoStaticStr,
    strum::VariantArray,
)]
pub enum QuestionForm {
    /// The prompt with two to four options.
    #[strum(serialize = "Multiple choice")]
    MultipleChoice,
    /// Put three to five events in order.
    Timeline,
    /// Pair names with their roles.
    Matching,
    /// The prompt; the answer shows on reveal.
    #[strum(serialize = "Flip and reveal")]
    FlipReveal,
}

impl QuestionForm {
    /// Every form, in declaration order (strum's `VARIANTS` as an array).
    pub const ALL: [QuestionForm; 4] = match <Self as strum::VariantArray>::VARIANTS {
        &[a, b, c, d] => [a, b, c, d],
        _ => panic!("QuestionForm has four variants"),
    };

    /// As shown on screen and in the results file.
    #[must_use]
    pub fn label(self) -> &'static str {
        self.into()
    }
}

/// A team of the class.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Team {
    pub name: String,
    /// Which of the [`TEAM_COLOURS`] team colours it plays in.
    pub colour_index: usize,
}

impl Team {
    #[must_use]
    pub fn new(name: impl Into<String>, colour_index: usize) -> Self {
        Self {
            name: name.into(),
            colour_index,
        }
    }

    /// "Team 1", "Team 2", … for the team at `index` (0-based).
    #[must_use]
    pub fn default_name(index: usize) -> String {
        format!("Team {}", index + 1)
    }
}

/// What the teacher chose before the drill.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DrillSetup {
    /// Deck ids to draw cards from.
    pub decks: BTreeSet<String>,
    /// Categories (as written in decks: `"date"`, `"actor"`, …) to draw cards from.
    pub categories: BTreeSet<String>,
    /// How many questions to ask.
    pub questions: usize,
    /// The forms questions may take.
    pub forms: BTreeSet<QuestionForm>,
    /// The countdown per question in seconds, or `None` for no countdown.
    pub time_limit: Option<u32>,
    /// No teams (the class plays as one), or 2 to 6 teams.
    pub teams: Vec<Team>,
}

impl Default for DrillSetup {
    /// No deck or category yet; ten questions in every form; 20 seconds; no teams.
    fn default() -> Self {
        Self {
            decks: BTreeSet::new(),
            categories: BTreeSet::new(),
            questions: DEFAULT_QUESTIONS,
            forms: QuestionForm::ALL.into_iter().collect(),
            time_limit: Some(DEFAULT_TIME_LIMIT),
            teams: Vec::new(),
        }
    }
}

/// Why a drill cannot start.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DrillError {
    #[error("Choose at least one deck")]
    NoDecks,
    #[error("Choose at least one category")]
    NoCategories,
    #[error("Choose at least one question form")]
    NoForms,
    #[error("The number of questions must be 1 to {MAX_QUESTIONS}, not {0}")]
    Questions(usize),
    #[error(
        "The time limit must be off or {MIN_TIME_LIMIT} to {MAX_TIME_LIMIT} seconds, not {0} seconds"
    )]
    TimeLimit(u32),
    #[error("Play with no teams or with {MIN_TEAMS} to {MAX_TEAMS} teams, not {0}")]
    TeamCount(usize),
    #[error("Team {0} needs a name")]
    EmptyTeamName(usize),
    #[error("Team {0}'s name is longer than {MAX_TEAM_NAME_CHARS} characters")]
    LongTeamName(usize),
    #[error("Two teams are called \"{0}\"")]
    DuplicateTeamName(String),
    #[error("Team \"{name}\" has colour {index}, but there are only {TEAM_COLOURS} team colours")]
    Colour { name: String, index: usize },
    #[error("No card is in the chosen decks and categories")]
    NoCards,
    #[error("No question can be made from the chosen cards in the chosen question forms")]
    NoQuestions,
}

impl DrillSetup {
    /// Checks the choices; the first problem found is returned.
    pub fn validate(&self) -> Result<(), DrillError> {
        if self.decks.is_empty() {
            return Err(DrillError::NoDecks);
        }
        if self.categories.is_empty() {
            return Err(DrillError::NoCategories);
        }
        if self.forms.is_empty() {
            return Err(DrillError::NoForms);
        }
        if !(1..=MAX_QUESTIONS).contains(&self.questions) {
            return Err(DrillError::Questions(self.questions));
        }
        if let Some(limit) = self.time_limit
            && !(MIN_TIME_LIMIT..=MAX_TIME_LIMIT).contains(&limit)
        {
            return Err(DrillError::TimeLimit(limit));
        }
        let n = self.teams.len();
        if n != 0 && !(MIN_TEAMS..=MAX_TEAMS).contains(&n) {
            return Err(DrillError::TeamCount(n));
        }
        let mut names: Vec<String> = Vec::new();
        for (i, team) in self.teams.iter().enumerate() {
            let name = team.name.trim();
            if name.is_empty() {
                return Err(DrillError::EmptyTeamName(i + 1));
            }
            if name.chars().count() > MAX_TEAM_NAME_CHARS {
                return Err(DrillError::LongTeamName(i + 1));
            }
            let key = name.to_lowercase();
            if names.contains(&key) {
                return Err(DrillError::DuplicateTeamName(name.to_owned()));
            }
            names.push(key);
            if team.colour_index >= TEAM_COLOURS {
                return Err(DrillError::Colour {
                    name: name.to_owned(),
                    index: team.colour_index,
                });
            }
        }
        Ok(())
    }
}
