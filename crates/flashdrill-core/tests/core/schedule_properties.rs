//! Property tests: invariants of the scheduler and the queue over random inputs.

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use flashdrill_core::schedule::{
    CardState, QueueItem, QueueKind, QueueLimits, Rating, Scheduler, SchedulerConfig, State, Today,
    build_queue, due_counts, fuzz_seed,
};
use proptest::prelude::*;

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 1, 1, 8, 0, 0).unwrap()
}

fn rating() -> impl Strategy<Value = Rating> {
    prop::sample::select(Rating::ALL.to_vec())
}

/// Gaps between reviews: seconds to months.
fn gap() -> impl Strategy<Value = i64> {
    prop_oneof![1i64..3600, 3600i64..86_400 * 3, 86_400i64..86_400 * 400]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn reviews_keep_states_sane(
        steps in prop::sample::select(vec!["1m 10m", "", "10m", "30s 5m 1h 1d"]),
        fuzz in any::<bool>(),
        history in prop::collection::vec((rating(), gap()), 1..30),
    ) {
        let steps_parsed = flashdrill_core::schedule::parse_steps(steps).unwrap();
        let s = Scheduler::new(SchedulerConfig {
            learning_steps: steps_parsed.clone(),
            relearning_steps: steps_parsed,
            fuzz,
            ..SchedulerConfig::default()
        })
        .unwrap();
        let mut card = CardState::new_card(t0());
        let mut now = t0();
        let mut log = Vec::new();
        for (i, &(r, g)) in history.iter().enumerate() {
            if i > 0 {
                now += TimeDelta::seconds(g);
            }
            let seed = fuzz_seed("deck", "card", card.reps);
            let o = s.preview(&card, now, seed);
            // Passing intervals never go down from Hard to Easy.
            prop_assert!(o.interval(Rating::Hard) <= o.interval(Rating::Good));
            prop_assert!(o.interval(Rating::Good) <= o.interval(Rating::Easy));
            let next = s.review(&card, r, now, seed);
            prop_assert_eq!(&next, o.get(r));
            prop_assert!(next.due > now);
            prop_assert!(next.due - now <= TimeDelta::days(36_500));
            let st = next.stability.unwrap();
            let d = next.difficulty.unwrap();
            prop_assert!(st.is_finite() && st > 0.0);
            prop_assert!((1.0..=10.0).contains(&d));
            prop_assert_eq!(next.step.is_some(), matches!(next.state, State::Learning | State::Relearning));
            prop_assert_ne!(next.state, State::New);
            prop_assert_eq!(next.reps, card.reps + 1);
            let r_now = s.retrievability(&next, now).unwrap();
            prop_assert!((r_now - 1.0).abs() < 1e-6);
            log.push((r, now));
            card = next;
        }
        let replayed = s.replay(CardState::new_card(t0()), &log, |c| fuzz_seed("deck", "card", c.reps));
        prop_assert_eq!(replayed, card);
    }

    #[test]
    fn queue_respects_limits_and_exclusions(
        cards in prop::collection::vec(
            (0u8..4, -3000i64..3000, any::<bool>(), prop::option::of(-600i64..600), 0u32..50),
            0..300,
        ),
        new_per_day in 0u32..30,
        reviews_per_day in 0u32..100,
        new_studied in 0u32..40,
        reviews_studied in 0u32..120,
    ) {
        let now = t0();
        let items: Vec<QueueItem<usize>> = cards
            .iter()
            .enumerate()
            .map(|(i, &(st, due_min, suspended, bury_min, order))| {
                let mut state = CardState::new_card(now + TimeDelta::minutes(due_min));
                state.state = [State::New, State::Learning, State::Review, State::Relearning][st as usize];
                QueueItem {
                    key: i,
                    state,
                    suspended,
                    buried_until: bury_min.map(|m| now + TimeDelta::minutes(m)),
                    new_order: order,
                }
            })
            .collect();
        let today = Today {
            now,
            day_end: now + TimeDelta::hours(20),
            new_studied,
            reviews_studied,
        };
        let limits = QueueLimits { new_per_day, reviews_per_day, learn_ahead: TimeDelta::minutes(20) };
        let q = build_queue(&items, &today, &limits);
        let counts = due_counts(&items, &today, &limits);
        let count = |k| q.iter().filter(|e| e.kind == k).count() as u32;
        prop_assert_eq!(count(QueueKind::New), counts.new);
        prop_assert_eq!(count(QueueKind::Review), counts.review);
        prop_assert_eq!(count(QueueKind::Learning), counts.learning);
        prop_assert!(counts.new <= new_per_day.saturating_sub(new_studied));
        prop_assert!(counts.review <= reviews_per_day.saturating_sub(reviews_studied));
        let mut seen = std::collections::HashSet::new();
        for e in &q {
            let item = &items[e.index];
            prop_assert_eq!(*e.key, e.index);
            prop_assert!(seen.insert(e.index));
            prop_assert!(!item.suspended);
            prop_assert!(item.buried_until.is_none_or(|b| b <= now));
            match e.kind {
                QueueKind::Learning => prop_assert!(item.state.due <= now + TimeDelta::minutes(20)),
                QueueKind::Review | QueueKind::New => prop_assert!(item.state.due < today.day_end),
            }
        }
        // Reviews come most overdue first; new cards in new_order.
        let reviews: Vec<_> = q.iter().filter(|e| e.kind == QueueKind::Review).map(|e| e.due).collect();
        prop_assert!(reviews.is_sorted());
        let news: Vec<_> = q.iter().filter(|e| e.kind == QueueKind::New).map(|e| items[e.index].new_order).collect();
        prop_assert!(news.is_sorted());
        // Every due, eligible review left out is no more overdue than the ones taken.
        if let Some(&last) = reviews.last() {
            for (i, item) in items.iter().enumerate() {
                let eligible = item.state.state == State::Review
                    && !item.suspended
                    && item.buried_until.is_none_or(|b| b <= now)
                    && item.state.due < today.day_end;
                if eligible && !seen.contains(&i) {
                    prop_assert!(item.state.due >= last);
                }
            }
        }
    }
}
