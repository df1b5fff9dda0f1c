//! A drill's results file.

use crate::csv_out::{Cell, CsvText, LineEnd};

use super::game::Drill;
use super::score::Outcome;

impl Drill {
    /// The results as CSV: a header and one row per question played (number, form, prompt,
    /// answer, seconds to the reveal, then 1 or 0 per team; a skipped question has empty
    /// seconds and team cells), a blank line, then one row per team in ranking order (place,
    /// team, points, right, best streak). Written by the `csv` crate (RFC 4180 quoting, `\n`
    /// line ends); prompts, answers and team names are text cells, safe from formula injection
    /// (see [`crate::csv_out`]), the numbers the drill counted are written as numbers.
    #[must_use]
    pub fn results_csv(&self) -> String {
        let mut out = CsvText::new(LineEnd::Lf);
        let header = ["number", "form", "prompt", "answer", "seconds"].map(Cell::Plain);
        out.row(
            header
                .into_iter()
                .chain(self.teams().iter().map(|t| Cell::Text(&t.name))),
        );
        for (i, question) in self.questions().iter().enumerate() {
            let number = (i + 1).to_string();
            let (seconds, right) = match self.outcome(i) {
                None | Some(Outcome::NotAsked) => continue,
                Some(Outcome::Skipped) => (String::new(), vec![""; self.teams().len()]),
                Some(Outcome::Answered { secs, right, .. }) => (
                    format!("{secs:.1}"),
                    right.iter().map(|r| if *r { "1" } else { "0" }).collect(),
                ),
            };
            out.row(
                [
                    Cell::Plain(&number),
                    Cell::Plain(question.form().label()),
                    Cell::Text(&question.prompt),
                    Cell::Text(&question.answer),
                    Cell::Plain(&seconds),
                ]
                .into_iter()
                .chain(right.into_iter().map(Cell::Plain)),
            );
        }
        out.blank_line();
        out.row(["place", "team", "points", "right", "best streak"].map(Cell::Plain));
        let stats = self.team_stats();
        for standing in self.ranking() {
            let s = stats[standing.team];
            let name = &self.teams()[standing.team].name;
            standings_row(
                &mut out,
                standing.place,
                name,
                s.points,
                s.right,
                s.best_streak,
            );
        }
        out.finish()
    }
}

/// Writes one row of a results file's standings: place, name (a text cell), points, right
/// answers, best streak. The drill's results file and the live class's end with these rows.
pub fn standings_row(
    out: &mut CsvText,
    place: usize,
    name: &str,
    points: u32,
    right: usize,
    best_streak: u32,
) {
    let numbers = [
        place.to_string(),
        points.to_string(),
        right.to_string(),
        best_streak.to_string(),
    ];
    out.row([
        Cell::Plain(&numbers[0]),
        Cell::Text(name),
        Cell::Plain(&numbers[1]),
        Cell::Plain(&numbers[2]),
        Cell::Plain(&numbers[3]),
    ]);
}

/// One text cell (a prompt, an answer, a team name) as [`Drill::results_csv`] writes it: safe
/// from formula injection, quoted when it holds a comma, a quote or a line break.
#[must_use]
pub fn csv_field(field: &str) -> String {
    crate::csv_out::text_field(field)
}
