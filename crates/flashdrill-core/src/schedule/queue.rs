//! Which cards to study now, in what order: a pure function of card states and the clock.

use chrono::{
    DateTime, LocalResult, NaiveDate, NaiveTime, Offset, TimeDelta, TimeZone, Timelike, Utc,
};

use super::{CardState, State};

/// The local hour at which a new study day begins (Anki's "next day starts at").
pub const DEFAULT_ROLLOVER_HOUR: u32 = 4;

/// One card as the queue sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct QueueItem<K> {
    /// The caller's identifier, e.g. `(deck id, card id)` or a row index.
    pub key: K,
    pub state: CardState,
    pub suspended: bool,
    /// Hidden until this moment (buried siblings, "bury until tomorrow").
    pub buried_until: Option<DateTime<Utc>>,
    /// Position among new cards (deck order); lower comes first.
    pub new_order: u32,
}

/// Daily limits and learn-ahead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QueueLimits {
    /// New cards introduced per day.
    pub new_per_day: u32,
    /// Review-state cards answered per day (learning and relearning cards are not limited).
    pub reviews_per_day: u32,
    /// Learning cards due this soon are shown early when nothing else is left.
    pub learn_ahead: TimeDelta,
}

impl Default for QueueLimits {
    fn default() -> Self {
        Self {
            new_per_day: 20,
            reviews_per_day: 200,
            learn_ahead: TimeDelta::minutes(20),
        }
    }
}

/// The study day as of `now`, and what was already done in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Today {
    pub now: DateTime<Utc>,
    /// When the study day ends (the next rollover); review and new cards due before it are due
    /// today.
    pub day_end: DateTime<Utc>,
    /// New cards already introduced today (count toward `new_per_day`).
    pub new_studied: u32,
    /// Review-state cards already answered today (count toward `reviews_per_day`).
    pub reviews_studied: u32,
}

impl Today {
    /// The study day containing `now_local`, with rollover at `rollover_hour`, nothing studied.
    #[must_use]
    pub fn new<Tz: TimeZone>(now_local: &DateTime<Tz>, rollover_hour: u32) -> Self {
        Self {
            now: now_local.with_timezone(&Utc),
            day_end: day_end(now_local, rollover_hour),
            new_studied: 0,
            reviews_studied: 0,
        }
    }
}

/// Why a card is in the queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum QueueKind {
    New,
    Learning,
    Review,
}

/// One card to study, pointing back into the input slice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QueueEntry<'a, K> {
    /// Index into the `items` slice given to [`build_queue`].
    pub index: usize,
    pub key: &'a K,
    pub kind: QueueKind,
    pub due: DateTime<Utc>,
}

/// Cards waiting today, after limits: the home screen's three numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DueCounts {
    pub new: u32,
    pub learning: u32,
    pub review: u32,
}

impl DueCounts {
    #[must_use]
    pub fn total(&self) -> u32 {
        self.new
            .saturating_add(self.learning)
            .saturating_add(self.review)
    }
}

/// Candidates sorted by a key, then index for a stable, deterministic order.
struct Candidates {
    learning_now: Vec<(i64, usize)>,
    learning_ahead: Vec<(i64, usize)>,
    reviews: Vec<(i64, usize)>,
    new: Vec<(u32, usize)>,
}

fn collect<K>(items: &[QueueItem<K>], today: &Today, limits: &QueueLimits) -> Candidates {
    let now = today.now;
    let ahead = now + limits.learn_ahead.max(TimeDelta::zero());
    let mut c = Candidates {
        learning_now: Vec::new(),
        learning_ahead: Vec::new(),
        reviews: Vec::new(),
        new: Vec::new(),
    };
    for (index, item) in items.iter().enumerate() {
        if item.suspended || item.buried_until.is_some_and(|b| b > now) {
            continue;
        }
        let due = item.state.due;
        let key = due.timestamp_millis();
        match item.state.state {
            State::Learning | State::Relearning if due <= now => c.learning_now.push((key, index)),
            State::Learning | State::Relearning if due <= ahead => {
                c.learning_ahead.push((key, index));
            }
            State::Review if due < today.day_end => c.reviews.push((key, index)),
            State::New if due < today.day_end => c.new.push((item.new_order, index)),
            _ => {}
        }
    }
    c
}

/// Keeps the `n` smallest in order (partial selection: O(len + n log n)).
fn smallest<T: Ord + Copy>(v: &mut Vec<T>, n: usize) {
    if n < v.len() {
        if n == 0 {
            v.clear();
            return;
        }
        v.select_nth_unstable(n - 1);
        v.truncate(n);
    }
    v.sort_unstable();
}

fn remaining(limit: u32, done: u32) -> usize {
    limit.saturating_sub(done) as usize
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The study queue at `today.now`:
/// 1. learning and relearning cards already due, earliest first;
/// 2. review cards due before the end of the study day, most overdue first, up to the review
///    limit left today, with new cards (by `new_order`, up to the new limit left) spread evenly
///    among them;
/// 3. learning cards due within `learn_ahead`, earliest first.
///
/// Suspended cards and cards buried past `now` are left out. Rebuild after each answer.
#[must_use]
pub fn build_queue<'a, K>(
    items: &'a [QueueItem<K>],
    today: &Today,
    limits: &QueueLimits,
) -> Vec<QueueEntry<'a, K>> {
    let mut c = collect(items, today, limits);
    c.learning_now.sort_unstable();
    c.learning_ahead.sort_unstable();
    smallest(
        &mut c.reviews,
        remaining(limits.reviews_per_day, today.reviews_studied),
    );
    smallest(&mut c.new, remaining(limits.new_per_day, today.new_studied));

    let entry = |index: usize, kind| QueueEntry {
        index,
        key: &items[index].key,
        kind,
        due: items[index].state.due,
    };
    let mut out = Vec::with_capacity(
        c.learning_now.len() + c.reviews.len() + c.new.len() + c.learning_ahead.len(),
    );
    out.extend(
        c.learning_now
            .iter()
            .map(|&(_, i)| entry(i, QueueKind::Learning)),
    );

    // Even mix: review r sits at (r+1)/(reviews+1) of the way, new card n at (n+1)/(new+1);
    // emit whichever comes first (reviews win ties).
    let (reviews, new) = (c.reviews.len(), c.new.len());
    let (mut r, mut n) = (0, 0);
    while r < reviews || n < new {
        let take_review = if r == reviews {
            false
        } else if n == new {
            true
        } else {
            (r + 1) * (new + 1) <= (n + 1) * (reviews + 1)
        };
        if take_review {
            out.push(entry(c.reviews[r].1, QueueKind::Review));
            r += 1;
        } else {
            out.push(entry(c.new[n].1, QueueKind::New));
            n += 1;
        }
    }

    out.extend(
        c.learning_ahead
            .iter()
            .map(|&(_, i)| entry(i, QueueKind::Learning)),
    );
    out
}

/// Where a card would come in [`build_queue`]'s order, for choosing one card among siblings
/// (smaller first): learning cards due now, then reviews (most overdue first), then new cards
/// (by `new_order`), then learning cards due within the learn-ahead limit. `None` when the card
/// is not waiting today (suspended, buried, or due later).
#[must_use]
pub fn queue_rank<K>(
    item: &QueueItem<K>,
    today: &Today,
    limits: &QueueLimits,
) -> Option<(u8, i64)> {
    let now = today.now;
    if item.suspended || item.buried_until.is_some_and(|b| b > now) {
        return None;
    }
    let due = item.state.due;
    let ahead = now + limits.learn_ahead.max(TimeDelta::zero());
    match item.state.state {
        State::Learning | State::Relearning if due <= now => Some((0, due.timestamp_millis())),
        State::Review if due < today.day_end => Some((1, due.timestamp_millis())),
        State::New if due < today.day_end => Some((2, i64::from(item.new_order))),
        State::Learning | State::Relearning if due <= ahead => Some((3, due.timestamp_millis())),
        _ => None,
    }
}

/// Moves cards so that no two neighbours in `queue` share a sibling group (`group` gives a
/// card's group, `None` for a card without siblings), wherever another card can go between
/// them. First a later card of another group steps in between; where none is left (siblings at
/// the end of the queue), the earlier sibling moves back to the latest place whose neighbours
/// are both of other groups. Siblings keep their order, and so do the other cards.
pub fn spread_siblings<T, G: PartialEq>(queue: &mut [T], group: impl Fn(&T) -> Option<G>) {
    for i in 1..queue.len() {
        let Some(previous) = group(&queue[i - 1]) else {
            continue;
        };
        if group(&queue[i]).as_ref() != Some(&previous) {
            continue;
        }
        if let Some(j) =
            (i + 1..queue.len()).find(|&j| group(&queue[j]).as_ref() != Some(&previous))
        {
            queue[i..=j].rotate_right(1);
        }
    }
    // Siblings still side by side, with no later card to step in: one of the pair's earlier
    // siblings (the latest that can) moves back, staying after its own earlier sibling, to the
    // latest place whose neighbours are both of other groups, provided the two cards it leaves
    // are not siblings of each other. The bound only guards against a `group` that answers
    // differently for the same card.
    let mut moves_left = queue.len() * queue.len();
    let mut i = 1;
    while i < queue.len() && moves_left > 0 {
        let g = group(&queue[i]);
        if g.is_none() || group(&queue[i - 1]) != g {
            i += 1;
            continue;
        }
        let fits = |q: &[T], k: usize| (k == 0 || group(&q[k - 1]) != g) && group(&q[k]) != g;
        let leaves_apart = |q: &[T], p: usize| {
            p == 0 || p + 1 >= q.len() || {
                let left = group(&q[p - 1]);
                left.is_none() || left != group(&q[p + 1])
            }
        };
        let chain: Vec<usize> = (0..i).rev().filter(|&p| group(&queue[p]) == g).collect();
        let mut moved_to = None;
        for (n, &p) in chain.iter().enumerate() {
            if !leaves_apart(queue, p) {
                continue;
            }
            let floor = chain.get(n + 1).map_or(0, |&q| q + 1);
            if let Some(k) = (floor..p).rev().find(|&k| fits(queue, k)) {
                queue[k..=p].rotate_right(1);
                moved_to = Some(k);
                break;
            }
        }
        match moved_to {
            Some(k) => {
                moves_left -= 1;
                i = k.max(1);
            }
            None => i += 1,
        }
    }
}

/// How many cards [`build_queue`] would return, by kind, without sorting.
#[must_use]
pub fn due_counts<K>(items: &[QueueItem<K>], today: &Today, limits: &QueueLimits) -> DueCounts {
    let c = collect(items, today, limits);
    DueCounts {
        new: count(
            c.new
                .len()
                .min(remaining(limits.new_per_day, today.new_studied)),
        ),
        learning: count(c.learning_now.len() + c.learning_ahead.len()),
        review: count(
            c.reviews
                .len()
                .min(remaining(limits.reviews_per_day, today.reviews_studied)),
        ),
    }
}

/// The start of the learner's current study day: the most recent local `hour`:00 at or before
/// `now_local` (today's if the clock has passed it, else yesterday's). `hour` above 23 is read
/// as 23. Daylight-saving gaps fall back to `now_local`'s UTC offset.
#[must_use]
pub fn day_start<Tz: TimeZone>(now_local: &DateTime<Tz>, hour: u32) -> DateTime<Utc> {
    let hour = hour.min(23);
    let local = now_local.naive_local();
    let date = if local.hour() < hour {
        local.date().pred_opt().unwrap_or(local.date())
    } else {
        local.date()
    };
    local_hour_to_utc(now_local, date, hour)
}

/// The end of the learner's current study day: the next local `hour`:00 after `now_local`.
#[must_use]
pub fn day_end<Tz: TimeZone>(now_local: &DateTime<Tz>, hour: u32) -> DateTime<Utc> {
    let hour = hour.min(23);
    let local = now_local.naive_local();
    let date = if local.hour() < hour {
        local.date()
    } else {
        local.date().succ_opt().unwrap_or(local.date())
    };
    local_hour_to_utc(now_local, date, hour)
}

fn local_hour_to_utc<Tz: TimeZone>(
    now_local: &DateTime<Tz>,
    date: NaiveDate,
    hour: u32,
) -> DateTime<Utc> {
    let naive = date.and_time(NaiveTime::MIN) + TimeDelta::hours(i64::from(hour));
    match now_local.timezone().from_local_datetime(&naive) {
        LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => t.with_timezone(&Utc),
        LocalResult::None => {
            let offset = i64::from(now_local.offset().fix().local_minus_utc());
            Utc.from_utc_datetime(&(naive - TimeDelta::seconds(offset)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::FixedOffset;

    fn t0() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2025, 3, 1, 12, 0, 0).unwrap()
    }

    fn card(state: State, due: DateTime<Utc>) -> CardState {
        CardState {
            state,
            step: None,
            stability: Some(5.0),
            difficulty: Some(5.0),
            due,
            last_review: Some(due - TimeDelta::days(1)),
            reps: 1,
            lapses: 0,
        }
    }

    fn item(
        key: &'static str,
        state: State,
        due: DateTime<Utc>,
        new_order: u32,
    ) -> QueueItem<&'static str> {
        QueueItem {
            key,
            state: card(state, due),
            suspended: false,
            buried_until: None,
            new_order,
        }
    }

    fn today(reviews_studied: u32, new_studied: u32) -> Today {
        Today {
            now: t0(),
            day_end: t0() + TimeDelta::hours(16),
            new_studied,
            reviews_studied,
        }
    }

    fn keys(q: &[QueueEntry<'_, &'static str>]) -> Vec<&'static str> {
        q.iter().map(|e| *e.key).collect()
    }

    #[test]
    fn order_learning_then_mixed_then_learn_ahead() {
        let h = TimeDelta::hours;
        let m = TimeDelta::minutes;
        let items = vec![
            item("learn_ahead", State::Learning, t0() + m(15), 0),
            item("learn_later", State::Learning, t0() + m(25), 0),
            item("relearn_due", State::Relearning, t0() - m(1), 0),
            item("learn_due", State::Learning, t0() - m(5), 0),
            item("rev_new_today", State::Review, t0() + h(3), 0),
            item("rev_old", State::Review, t0() - TimeDelta::days(9), 0),
            item("rev_mid", State::Review, t0() - TimeDelta::days(2), 0),
            item("rev_tomorrow", State::Review, t0() + h(17), 0),
            item("new_b", State::New, t0() - h(1), 2),
            item("new_a", State::New, t0() - h(1), 1),
        ];
        let q = build_queue(&items, &today(0, 0), &QueueLimits::default());
        assert_eq!(
            keys(&q),
            [
                "learn_due",
                "relearn_due",
                "rev_old",
                "new_a",
                "rev_mid",
                "new_b",
                "rev_new_today",
                "learn_ahead"
            ]
        );
        assert_eq!(q[0].kind, QueueKind::Learning);
        assert_eq!(q[3].kind, QueueKind::New);
        assert_eq!(q[3].index, 9);
        assert_eq!(q[2].due, t0() - TimeDelta::days(9));
        assert_eq!(
            due_counts(&items, &today(0, 0), &QueueLimits::default()),
            DueCounts {
                new: 2,
                learning: 3,
                review: 3
            }
        );
    }

    #[test]
    fn limits_count_what_was_done_today() {
        let mut items = Vec::new();
        for i in 0..300u32 {
            items.push(item(
                "r",
                State::Review,
                t0() - TimeDelta::minutes(i64::from(i)),
                0,
            ));
        }
        for i in 0..50u32 {
            items.push(item("n", State::New, t0(), 50 - i));
        }
        let limits = QueueLimits::default();
        let q = build_queue(&items, &today(0, 0), &limits);
        assert_eq!(
            q.iter().filter(|e| e.kind == QueueKind::Review).count(),
            200
        );
        assert_eq!(q.iter().filter(|e| e.kind == QueueKind::New).count(), 20);
        // The most overdue 200 reviews, in order.
        let revs: Vec<usize> = q
            .iter()
            .filter(|e| e.kind == QueueKind::Review)
            .map(|e| e.index)
            .collect();
        assert_eq!(revs, (100..300).rev().collect::<Vec<_>>());
        // The 20 lowest new_order, in order (new_order 1 is item 349).
        let news: Vec<usize> = q
            .iter()
            .filter(|e| e.kind == QueueKind::New)
            .map(|e| e.index)
            .collect();
        assert_eq!(news, (330..350).rev().collect::<Vec<_>>());
        // Spread: one new card after every ~10 reviews, from the start to the end.
        let first_new = q.iter().position(|e| e.kind == QueueKind::New).unwrap();
        assert_eq!(first_new, 9);
        let last_new = q.iter().rposition(|e| e.kind == QueueKind::New).unwrap();
        assert_eq!(q.len() - 1 - last_new, 9);

        let q = build_queue(&items, &today(195, 18), &limits);
        assert_eq!(q.len(), 5 + 2);
        let q = build_queue(&items, &today(250, 30), &limits);
        assert!(q.is_empty());
        assert_eq!(
            due_counts(&items, &today(195, 18), &limits),
            DueCounts {
                new: 2,
                learning: 0,
                review: 5
            }
        );
        assert_eq!(due_counts(&items, &today(195, 18), &limits).total(), 7);
    }

    #[test]
    fn new_cards_alone_and_reviews_alone() {
        let items = vec![
            item("n2", State::New, t0(), 2),
            item("n1", State::New, t0(), 1),
            item("n1b", State::New, t0(), 1),
        ];
        let q = build_queue(&items, &today(0, 0), &QueueLimits::default());
        assert_eq!(keys(&q), ["n1", "n1b", "n2"]);
        let none = QueueLimits {
            new_per_day: 0,
            ..QueueLimits::default()
        };
        assert!(build_queue(&items, &today(0, 0), &none).is_empty());
    }

    #[test]
    fn suspended_and_buried_are_excluded() {
        let mut items = vec![
            item("susp", State::Review, t0() - TimeDelta::days(1), 0),
            item("buried", State::Review, t0() - TimeDelta::days(1), 0),
            item("unburied", State::Learning, t0() - TimeDelta::days(1), 0),
            item("new_buried", State::New, t0(), 0),
        ];
        items[0].suspended = true;
        items[1].buried_until = Some(t0() + TimeDelta::hours(1));
        items[2].buried_until = Some(t0());
        items[3].buried_until = Some(t0() + TimeDelta::days(1));
        let q = build_queue(&items, &today(0, 0), &QueueLimits::default());
        assert_eq!(keys(&q), ["unburied"]);
    }

    #[test]
    fn queue_rank_follows_the_queue_order() {
        let m = TimeDelta::minutes;
        let mut items = [
            item("learn_due", State::Learning, t0() - m(5), 0),
            item("review", State::Review, t0() - TimeDelta::days(3), 0),
            item("new", State::New, t0(), 7),
            item("learn_ahead", State::Learning, t0() + m(15), 0),
            item("tomorrow", State::Review, t0() + TimeDelta::hours(20), 0),
            item("suspended", State::Review, t0(), 0),
        ];
        items[5].suspended = true;
        let limits = QueueLimits::default();
        let ranks: Vec<Option<u8>> = items
            .iter()
            .map(|i| queue_rank(i, &today(0, 0), &limits).map(|r| r.0))
            .collect();
        assert_eq!(ranks, [Some(0), Some(1), Some(2), Some(3), None, None]);
        assert_eq!(queue_rank(&items[2], &today(0, 0), &limits), Some((2, 7)));
    }

    #[test]
    fn siblings_are_spread_apart_keeping_order() {
        fn group(s: &&'static str) -> Option<&'static str> {
            s.split(':').next().filter(|g| !g.is_empty())
        }
        let mut q = ["a:1", "a:2", "b:1", "a:3", ":x", ":y", "c:1", "c:2"];
        spread_siblings(&mut q, group);
        assert_eq!(q, ["a:1", "b:1", "a:2", ":x", "a:3", "c:1", ":y", "c:2"]);
        let mut q = ["a:1", "a:2", "b:1", "a:3", ":x", "c:1", "c:2", ":y"];
        spread_siblings(&mut q, group);
        assert_eq!(q, ["a:1", "b:1", "a:2", ":x", "a:3", "c:1", ":y", "c:2"]);
        // Cards without a group may sit side by side; siblings at the end move back between
        // them, in their order.
        let mut q = [":x", ":y", "a:1", "a:2"];
        spread_siblings(&mut q, group);
        assert_eq!(q, [":x", "a:1", ":y", "a:2"]);
        let mut q = [":x", ":y", "b:1", "a:1", "a:2", "a:3"];
        spread_siblings(&mut q, group);
        assert_eq!(q, [":x", "a:1", ":y", "a:2", "b:1", "a:3"]);
        // A group with nothing to separate it stays together.
        let mut q = [":x", "a:1", "a:2", "a:3"];
        spread_siblings(&mut q, group);
        assert_eq!(q, ["a:1", ":x", "a:2", "a:3"]);
        let mut q = ["a:1", "a:2"];
        spread_siblings(&mut q, group);
        assert_eq!(q, ["a:1", "a:2"]);
    }

    #[test]
    fn day_start_rolls_over_at_the_cutoff_hour() {
        let tz = FixedOffset::east_opt(2 * 3600).unwrap();
        let at = |d, h, m| tz.with_ymd_and_hms(2025, 3, d, h, m, 0).unwrap();
        let utc = |d, h| Utc.with_ymd_and_hms(2025, 3, d, h, 0, 0).unwrap();
        // 4am local = 2am UTC.
        assert_eq!(day_start(&at(10, 23, 30), 4), utc(10, 2));
        assert_eq!(day_start(&at(11, 0, 30), 4), utc(10, 2)); // after midnight: still the 10th
        assert_eq!(day_start(&at(11, 3, 59), 4), utc(10, 2));
        assert_eq!(day_start(&at(11, 4, 0), 4), utc(11, 2));
        assert_eq!(day_end(&at(11, 0, 30), 4), utc(11, 2));
        assert_eq!(day_end(&at(11, 4, 0), 4), utc(12, 2));
        // Midnight rollover.
        assert_eq!(day_start(&at(11, 0, 0), 0), utc(10, 22));
        assert_eq!(day_end(&at(10, 23, 59), 0), utc(10, 22));
        // Out-of-range hours are read as 23.
        assert_eq!(day_start(&at(11, 23, 30), 99), utc(11, 21));
        // Month boundary.
        let t = tz.with_ymd_and_hms(2025, 4, 1, 1, 0, 0).unwrap();
        assert_eq!(day_start(&t, 4), utc(31, 2));
        let today = Today::new(&at(11, 3, 0), 4);
        assert_eq!(today.now, utc(11, 1));
        assert_eq!(today.day_end, utc(11, 2));
    }
}
