//! The results file: one row per student per revealed question, a blank line, then the
//! standings. Written through the `csv` crate; text a spreadsheet would run as a formula gets
//! a leading `'` (the rule of the core's report CSV).

use crate::engine::Game;

/// A cell as written: text starting with `=`, `+`, `-`, `@`, tab or carriage return (and not a
/// number) gets a leading `'`, so opening the file in a spreadsheet never runs anything.
#[must_use]
pub fn defuse(cell: &str) -> String {
    if cell.parse::<f64>().is_ok() {
        cell.to_owned()
    } else {
        flashdrill_core::csv_out::text(cell).into_owned()
    }
}

fn write_rows(rows: &[Vec<String>]) -> String {
    let mut writer = csv::WriterBuilder::new()
        .flexible(true)
        .from_writer(Vec::new());
    for row in rows {
        // Writing to memory cannot fail on I/O; a failed row would only be left out.
        let _ = writer.write_record(row.iter().map(|c| defuse(c)));
    }
    let bytes = writer.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}

/// The results as CSV. Columns of the answers: student, question, form, prompt, correct
/// answer, answer, right (1/0, empty when not answered), seconds, points. Then, after a blank
/// line: place, student, points, right, best streak.
#[must_use]
pub fn results_csv(game: &Game) -> String {
    let (rows, standings) = game.result_rows();
    let mut answers = vec![
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
        .map(str::to_owned)
        .to_vec(),
    ];
    for r in rows {
        answers.push(vec![
            r.student,
            r.question.to_string(),
            r.form.to_owned(),
            r.prompt,
            r.correct_answer,
            r.given.unwrap_or_default(),
            r.right
                .map_or_else(String::new, |b| u8::from(b).to_string()),
            r.secs.map_or_else(String::new, |s| format!("{s:.1}")),
            r.points.to_string(),
        ]);
    }
    let mut totals = vec![
        ["place", "student", "points", "right", "best streak"]
            .map(str::to_owned)
            .to_vec(),
    ];
    for (s, stats) in standings {
        totals.push(vec![
            s.place.to_string(),
            s.name,
            s.points.to_string(),
            stats.right.to_string(),
            stats.best_streak.to_string(),
        ]);
    }
    format!("{}\n{}", write_rows(&answers), write_rows(&totals))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Answer;
    use crate::engine::tests::choice_question;

    #[test]
    fn formulas_are_defused_and_numbers_kept() {
        assert_eq!(defuse("=1+1"), "'=1+1");
        assert_eq!(defuse("+cmd"), "'+cmd");
        assert_eq!(defuse("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(defuse("\tx"), "'\tx");
        assert_eq!(defuse("-3.5"), "-3.5");
        assert_eq!(defuse("Ada"), "Ada");
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
