//! What the game shows: the projector's snapshot, each phone's view, the review log and the
//! results file's rows.

use super::{
    Answer, Body, CardRef, Game, Given, LEADERBOARD_TOP, LogEntry, Phase, PhoneView, PlayerId,
    PlayerStats, PlayerView, Question, Snapshot, Standing,
};

fn form_code(q: &Question) -> &'static str {
    match q.body {
        Body::Timeline(_) => "timeline",
        _ => "choice",
    }
}

fn options_of(q: &Question) -> Vec<String> {
    match &q.body {
        Body::MultipleChoice(c) => c.options.clone(),
        Body::Timeline(t) => t.events.iter().map(|e| e.caption.clone()).collect(),
        Body::Matching(_) | Body::FlipReveal => Vec::new(),
    }
}

fn correct_of(q: &Question) -> Vec<usize> {
    match &q.body {
        Body::MultipleChoice(c) => vec![c.correct_index],
        Body::Timeline(t) => t.correct_order(),
        Body::Matching(_) | Body::FlipReveal => Vec::new(),
    }
}

/// The answer as written in the results file: the option's text, or the captions in order.
fn describe(q: &Question, answer: &Answer) -> String {
    let options = options_of(q);
    let text = |i: &usize| options.get(*i).cloned().unwrap_or_default();
    match answer {
        Answer::Choice(i) => text(i),
        Answer::Order(order) => order.iter().map(text).collect::<Vec<_>>().join(" → "),
    }
}

impl Game {
    fn answer_counts(&self) -> Vec<usize> {
        let Some(q) = self.questions.get(self.current) else {
            return Vec::new();
        };
        let given = self
            .active()
            .filter_map(|(_, p)| p.answers[self.current].as_ref());
        if let Body::MultipleChoice(c) = &q.body {
            let mut counts = vec![0; c.options.len()];
            for g in given {
                if let Answer::Choice(i) = g.answer {
                    counts[i] += 1;
                }
            }
            counts
        } else {
            let mut counts = vec![0; 2];
            for g in given {
                counts[usize::from(!g.right)] += 1;
            }
            counts
        }
    }

    /// Everything the projector shows.
    #[must_use]
    pub fn snapshot(&self, now: f64) -> Snapshot {
        let in_question = matches!(
            self.phase,
            Phase::Question | Phase::Reveal | Phase::Leaderboard
        );
        let players: Vec<PlayerView> = self
            .active()
            .map(|(id, p)| {
                let stats = self.stats(id);
                PlayerView {
                    id,
                    name: p.name.clone(),
                    connected: p.connections > 0,
                    points: stats.points,
                    last_points: stats.last_points,
                    streak: stats.streak,
                    right: stats.right,
                    answered: in_question && p.answers[self.current].is_some(),
                }
            })
            .collect();
        Snapshot {
            phase: self.phase,
            question: self.current,
            question_count: self.questions.len(),
            current: in_question.then(|| self.questions[self.current].clone()),
            seconds_left: self.seconds_left(now),
            time_limit: self.time_limit,
            answered: players.iter().filter(|p| p.answered).count(),
            players,
            answer_counts: if in_question {
                self.answer_counts()
            } else {
                Vec::new()
            },
            ranking: self.ranking(),
        }
    }

    /// What `id`'s phone shows now.
    #[must_use]
    pub fn phone_view(&self, id: PlayerId, now: f64) -> PhoneView {
        let Some(player) = self.players.get(id as usize).filter(|p| !p.removed) else {
            return PhoneView::Removed;
        };
        let count = self.questions.len();
        let q = &self.questions[self.current];
        // The cheap phases first: they are rendered for every answer and every join.
        match self.phase {
            Phase::Lobby => {
                return PhoneView::Lobby {
                    name: player.name.clone(),
                    players: self.player_count(),
                };
            }
            Phase::Question => {
                return PhoneView::Question {
                    question: self.current,
                    count,
                    form: form_code(q),
                    prompt: q.prompt.clone(),
                    options: options_of(q),
                    seconds_left: self.seconds_left(now).unwrap_or(0.0),
                    time_limit: self.time_limit,
                    answered: player.answers[self.current].is_some(),
                };
            }
            Phase::Reveal | Phase::Leaderboard | Phase::Finished => {}
        }
        let ranking = &self.board.ranking;
        let rank = self.board.place.get(id as usize).copied().unwrap_or(0);
        let stats = self.stats(id);
        let top = || ranking.iter().take(LEADERBOARD_TOP).cloned().collect();
        match self.phase {
            Phase::Reveal => PhoneView::Reveal {
                question: self.current,
                count,
                form: form_code(q),
                prompt: q.prompt.clone(),
                options: options_of(q),
                correct: correct_of(q),
                answer: q.answer.clone(),
                right: player.answers[self.current].as_ref().map(|g| g.right),
                points: stats.last_points,
                total: stats.points,
                streak: stats.streak,
                rank,
            },
            Phase::Leaderboard => PhoneView::Leaderboard {
                question: self.current,
                count,
                top: top(),
                total: stats.points,
                rank,
                players: ranking.len(),
            },
            // Finished (the lobby and questions returned above).
            _ => PhoneView::Finished {
                top: top(),
                total: stats.points,
                rank,
                players: ranking.len(),
                right: stats.right,
                questions: self.revealed(),
            },
        }
    }

    /// The revealed questions for the review log: one entry per question that someone
    /// answered, `correct` when at least half of the answers were right, `secs` the answers'
    /// mean time.
    #[must_use]
    pub fn log_entries(&self) -> Vec<LogEntry> {
        (0..self.questions.len())
            .filter(|&q| self.open_secs[q].is_some())
            .filter_map(|q| {
                let given: Vec<&Given> = self
                    .active()
                    .filter_map(|(_, p)| p.answers[q].as_ref())
                    .collect();
                if given.is_empty() {
                    return None;
                }
                let right = given.iter().filter(|g| g.right).count();
                Some(LogEntry {
                    question: q,
                    cards: self.questions[q].cards.clone(),
                    correct: right * 2 >= given.len(),
                    secs: given.iter().map(|g| g.secs).sum::<f64>() / given.len() as f64,
                })
            })
            .collect()
    }

    /// The results: one row per student per revealed question, then the standings.
    #[must_use]
    pub fn result_rows(&self) -> (Vec<ResultRow>, Vec<(Standing, PlayerStats)>) {
        let mut rows = Vec::new();
        for (_, p) in self.active() {
            let (points, _) = self.score(p);
            for (q, question) in self.questions.iter().enumerate() {
                if self.open_secs[q].is_none() {
                    continue;
                }
                let given = p.answers[q].as_ref();
                rows.push(ResultRow {
                    student: p.name.clone(),
                    question: q + 1,
                    form: question.form().label(),
                    prompt: question.prompt.clone(),
                    correct_answer: question.answer.clone(),
                    given: given.map(|g| describe(question, &g.answer)),
                    right: given.map(|g| g.right),
                    secs: given.map(|g| g.secs),
                    points: points[q],
                });
            }
        }
        let standings = self
            .ranking()
            .into_iter()
            .map(|s| {
                let stats = self.stats(s.player);
                (s, stats)
            })
            .collect();
        (rows, standings)
    }

    /// The refs of the question's cards (for tests and the log).
    #[must_use]
    pub fn cards(&self, question: usize) -> &[CardRef] {
        self.questions.get(question).map_or(&[], |q| &q.cards)
    }
}

/// One student's answer to one question, for the results file.
#[derive(Debug, Clone, PartialEq)]
pub struct ResultRow {
    pub student: String,
    /// 1-based.
    pub question: usize,
    pub form: &'static str,
    pub prompt: String,
    pub correct_answer: String,
    /// `None`: no answer.
    pub given: Option<String>,
    pub right: Option<bool>,
    pub secs: Option<f64>,
    pub points: u32,
}
