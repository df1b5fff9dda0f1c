//! The results file: one row per student per revealed question, a blank line, then the
//! standings. Written by the core's CSV writer ([`flashdrill_core::csv_out`]), as the projector
//! drill's results are: what students and decks wrote (names, prompts, answers) are text cells,
//! defused against formula injection by the core's one rule; the numbers and fixed words the
//! game wrote itself are written as they are.

use flashdrill_core::csv_out::{Cell, CsvText, LineEnd};
use flashdrill_core::drill::standings_row;

use crate::engine::Game;

/// The results as CSV. Columns of the answers: student, question, form, prompt, correct
/// answer, answer, right (1/0, empty when not answered), seconds, points. Then, after a blank
/// line: place, student, points, right, best streak.
#[must_use]
pub fn results_csv(game: &Game) -> String {
    let (rows, standings) = game.result_rows();
    let mut out = CsvText::new(LineEnd::Lf);
    out.row(
        [
            "student",
            "question",
            "form",
            "prompt",
            "correct answer",
            "answer",
            "right",
            "seconds",
            "points",
        ]
        .map(Cell::Plain),
    );
    for r in &rows {
        let numbers = [
            r.question.to_string(),
            r.right
                .map_or_else(String::new, |b| u8::from(b).to_string()),
            r.secs.map_or_else(String::new, |s| format!("{s:.1}")),
            r.points.to_string(),
        ];
        out.row([
            Cell::Text(&r.student),
            Cell::Plain(&numbers[0]),
            Cell::Plain(r.form),
            Cell::Text(&r.prompt),
            Cell::Text(&r.correct_answer),
            Cell::Text(r.given.as_deref().unwrap_or_default()),
            Cell::Plain(&numbers[1]),
            Cell::Plain(&numbers[2]),
            Cell::Plain(&numbers[3]),
        ]);
    }
    out.blank_line();
    out.row(["place", "student", "points", "right", "best streak"].map(Cell::Plain));
    for (s, stats) in &standings {
        standings_row(
            &mut out,
            s.place,
            &s.name,
            s.points,
            stats.right,
            stats.best_streak,
        );
    }
    out.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Answer;
    use crate::engine::tests::choice_question;

    #[test]
    fn text_cells_follow_the_core_rule_and_numbers_stay_numbers() {
        let mut q = choice_question(0, 1);
        // Deck text that looks like a number is still text, and a formula start is defused.
        q.prompt = "-3.5".into();
        let mut g = Game::new(vec![q], 20, "123456").unwrap();
        let a = g.join("123456", "@SUM(A1)", "ta").unwrap();
        let b = g.join("123456", "+cmd", "tb").unwrap();
        g.start(0.0);
        g.answer(a, 0, Answer::Choice(1), 5.0).unwrap();
        g.answer(b, 0, Answer::Choice(2), 1.0).unwrap();
        g.reveal(6.0);
        g.next(6.0);
        let csv = results_csv(&g);
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(
            lines[1], "'@SUM(A1),1,Multiple choice,'-3.5,B,B,1,5.0,175",
            "{csv}"
        );
        assert_eq!(lines[2], "'+cmd,1,Multiple choice,'-3.5,B,C,0,1.0,0");
        assert_eq!(lines[3], "", "a blank line before the standings");
        assert_eq!(lines[5..], ["1,'@SUM(A1),175,1,1", "2,'+cmd,0,0,0"]);
    }

    #[test]
    fn a_row_per_student_and_question_then_standings() {
        let mut q = choice_question(0, 1);
        q.prompt = "Who, \"exactly\"?".into();
        let mut g = Game::new(vec![q, choice_question(1, 0)], 20, "123456").unwrap();
        let a = g.join("123456", "=HYPERLINK(x)", "ta").unwrap();
        let b = g.join("123456", "Bo", "tb").unwrap();
        g.start(0.0);
        g.answer(a, 0, Answer::Choice(1), 5.0).unwrap();
        g.answer(b, 0, Answer::Choice(0), 2.0).unwrap();
        g.reveal(6.0);
        g.next(6.0);
        g.next(6.0);
        g.reveal(7.0);
        g.next(7.0);
        g.next(7.0);
        let csv = results_csv(&g);
        let (answers, totals) = csv.split_once("\n\n").unwrap();
        let lines: Vec<&str> = answers.lines().collect();
        assert_eq!(
            lines[0],
            "student,question,form,prompt,correct answer,answer,right,seconds,points"
        );
        assert_eq!(
            lines[1],
            "'=HYPERLINK(x),1,Multiple choice,\"Who, \"\"exactly\"\"?\",B,B,1,5.0,175"
        );
        assert_eq!(
            lines[2],
            "'=HYPERLINK(x),2,Multiple choice,Question 1?,A,,,,0"
        );
        assert_eq!(
            lines[3],
            "Bo,1,Multiple choice,\"Who, \"\"exactly\"\"?\",B,A,0,2.0,0"
        );
        assert_eq!(lines.len(), 5);
        assert_eq!(
            totals,
            "place,student,points,right,best streak\n1,'=HYPERLINK(x),175,1,1\n2,Bo,0,0,0\n"
        );
    }
}
