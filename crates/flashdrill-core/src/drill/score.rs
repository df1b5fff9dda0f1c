//! Points: the one formula of the projector drill and the live class ([`points`]), and a
//! drill's totals and ranking, recomputed from the recorded outcomes.

/// Points for a right answer.
pub const BASE_POINTS: u32 = 100;
/// Most speed points, for an answer revealed with the whole countdown left.
pub const SPEED_POINTS: u32 = 100;
/// Streak points per earlier right answer in a row.
pub const STREAK_STEP: u32 = 10;
/// Most streak points on one answer.
pub const STREAK_CAP: u32 = 50;

/// The share of a `limit`-second countdown left `secs` seconds in: 1 at the start, 0 when it
/// has run out (and after). A `limit` of 0 counts as 1 second.
#[must_use]
pub fn remaining_share(secs: f64, limit: u32) -> f64 {
    let limit = f64::from(limit.max(1));
    ((limit - secs) / limit).clamp(0.0, 1.0)
}

/// Points for a right answer given `secs` seconds into a `limit`-second countdown (`None`:
/// untimed), the `streak`-th right answer in a row (1 for the first): [`BASE_POINTS`], a speed
/// bonus of [`SPEED_POINTS`] × [`remaining_share`] (rounded; none when untimed), and a streak
/// bonus of [`STREAK_STEP`] per earlier right answer in a row, capped at [`STREAK_CAP`].
///
/// The projector drill and the live class both score through here. The drill passes the
/// seconds to the reveal (one for the whole class) and its countdown, which may be off; the
/// live class passes each player's own seconds to their answer, and its countdown is always on.
#[must_use]
pub fn points(secs: f64, limit: Option<u32>, streak: u32) -> u32 {
    let speed = limit.map_or(0, |l| {
        (f64::from(SPEED_POINTS) * remaining_share(secs, l)).round() as u32
    });
    let bonus = (STREAK_STEP * streak.saturating_sub(1)).min(STREAK_CAP);
    BASE_POINTS + speed + bonus
}

/// What happened to a question.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Not asked (yet, or the drill ended before it).
    NotAsked,
    /// Skipped: no points for anyone.
    Skipped,
    /// Revealed after `secs` seconds.
    Answered {
        secs: f64,
        /// The share of the countdown left at the reveal (0 to 1); `None` when untimed.
        remaining: Option<f64>,
        /// The countdown ran out before the reveal.
        timed_out: bool,
        /// For each team: got it right.
        right: Vec<bool>,
    },
}

/// A team's totals.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TeamStats {
    pub points: u32,
    /// Questions right.
    pub right: usize,
    /// Right answers in a row, up to the latest answered question.
    pub streak: u32,
    pub best_streak: u32,
}

/// A team's place in the ranking. Teams with the same points share a place (1, 1, 3, …).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Standing {
    /// Index into [`Drill::teams`](super::Drill::teams).
    pub team: usize,
    /// 1-based.
    pub place: usize,
    pub points: u32,
}

/// Points each team earned on each question (all zero for questions not answered), and each
/// team's totals, from the outcomes of a drill with `teams` teams and countdown `limit`.
pub(super) fn tally(
    outcomes: &[Outcome],
    teams: usize,
    limit: Option<u32>,
) -> (Vec<Vec<u32>>, Vec<TeamStats>) {
    let mut stats = vec![TeamStats::default(); teams];
    let mut table = Vec::with_capacity(outcomes.len());
    for outcome in outcomes {
        let mut row = vec![0; teams];
        if let Outcome::Answered { secs, right, .. } = outcome {
            for ((got, s), points_won) in right.iter().zip(&mut stats).zip(&mut row) {
                if *got {
                    s.streak += 1;
                    s.best_streak = s.best_streak.max(s.streak);
                    s.right += 1;
                    *points_won = points(*secs, limit, s.streak);
                    s.points += *points_won;
                } else {
                    s.streak = 0;
                }
            }
        }
        table.push(row);
    }
    (table, stats)
}

/// Teams by points, most first (ties in team order), with shared places for equal points.
pub(super) fn rank(stats: &[TeamStats]) -> Vec<Standing> {
    let mut order: Vec<usize> = (0..stats.len()).collect();
    order.sort_by(|&a, &b| stats[b].points.cmp(&stats[a].points).then(a.cmp(&b)));
    order
        .iter()
        .map(|&team| Standing {
            team,
            place: 1 + stats
                .iter()
                .filter(|s| s.points > stats[team].points)
                .count(),
            points: stats[team].points,
        })
        .collect()
}
