//! Property tests for the quiz layer: marking never panics on odd input, and the question
//! builders keep their invariants for any deck and seed.

use std::collections::HashSet;

use flashdrill_core::deck::Card;
use flashdrill_core::quiz::normalize::fold;
use flashdrill_core::quiz::{
    DiffSpan, MarkKind, MatchingGame, PairResult, SessionForm, check_cloze, check_text,
    check_typed, choices, cloze, diff, matching, pick_form, score_order, timeline,
};
use proptest::prelude::*;

fn card(id: &str, category: &str, answer: &str) -> Card {
    Card::new(id, category, format!("What is {id}?"), answer, "source")
}

/// Characters that stress normalisation: emoji, RTL text and bidi controls, combining marks,
/// control characters, odd spaces, dashes, quotes, digits and separators.
fn odd_char() -> impl Strategy<Value = char> {
    prop_oneof![
        any::<char>(),
        prop::sample::select(vec![
            '🦀', '👩', '\u{200D}', '💻', 'ש', 'ל', 'ו', 'ם', 'ع', '\u{202E}', '\u{2066}',
            '\u{301}', '\u{308}', '\u{0}', '\u{7}', '\u{1b}', '\u{7f}', '\u{a0}', '\u{202f}', '\t',
            '\n', ' ', '-', '–', '—', '’', '“', '"', '\'', '.', ',', '/', ':', '&', '%', '$', '0',
            '1', '2', '9', 'é', 'İ', 'ß', 'ﬁ', 'Ⅻ', '²', '½', 'a', 'T', 'h', 'e',
        ]),
    ]
}

fn odd_string(max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(odd_char(), 0..max).prop_map(|cs| cs.into_iter().collect())
}

/// Words that exercise the number and date readers.
fn wordy_string() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop::sample::select(vec![
            "the",
            "and",
            "one",
            "two",
            "hundred",
            "thousand",
            "million",
            "billion",
            "seventy",
            "nineteen",
            "zero",
            "Sept.",
            "September",
            "Febuary",
            "june",
            "18th",
            "of",
            "2022",
            "09/2022",
            "2022-09",
            "1,000",
            "1 000",
            "-5",
            "1.5",
            "$3",
            "45%",
            "in",
            "on",
            "0",
            "99999999999999999999",
            "Kim",
            "Jong-un",
            "O’Brien",
            "—",
            "&",
        ]),
        0..12,
    )
    .prop_map(|ws| ws.join(" "))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn check_typed_never_panics(
        answer in odd_string(40),
        accept in prop::collection::vec(odd_string(20), 0..3),
        typed in odd_string(60),
    ) {
        let mut c = card("x", "term", &answer);
        c.accept = accept;
        let m = check_typed(&c, &typed);
        prop_assert_eq!(m.correct, !matches!(m.kind, MarkKind::Wrong | MarkKind::Empty));
        prop_assert_eq!(&m.expected, &answer);
        prop_assert_eq!(m.matched.is_some(), m.correct);
    }

    #[test]
    fn number_and_date_words_never_panic(answer in wordy_string(), typed in wordy_string()) {
        let m = check_text(&answer, &[], &typed);
        prop_assert_eq!(m.correct, !matches!(m.kind, MarkKind::Wrong | MarkKind::Empty));
    }

    #[test]
    fn an_answer_typed_as_is_is_exact(s in odd_string(60)) {
        let m = check_text(&s, &[], &s);
        prop_assert!(matches!(m.kind, MarkKind::Exact | MarkKind::Empty), "{:?}", m.kind);
    }

    #[test]
    fn cloze_never_panics(text in odd_string(40), typed in odd_string(30)) {
        let mut c = card("x", "term", "answer");
        c.cloze = Some(format!("{text}{{{{{text}}}}}{text}"));
        let _ = cloze(&c);
        let _ = check_cloze(&c, &typed);
        c.cloze = Some(text);
        let _ = check_cloze(&c, &typed);
    }

    #[test]
    fn diff_spans_rebuild_expected(typed in "[a-z]{0,30}", expected in "[a-z]{0,30}") {
        let spans = diff(&typed, &expected);
        let rebuilt_expected: String = spans
            .iter()
            .filter(|s| !matches!(s, DiffSpan::Extra(_)))
            .map(DiffSpan::text)
            .collect();
        let rebuilt_typed: String = spans
            .iter()
            .filter(|s| !matches!(s, DiffSpan::Missing(_)))
            .map(DiffSpan::text)
            .collect();
        prop_assert_eq!(rebuilt_expected, expected);
        prop_assert_eq!(rebuilt_typed, typed);
        // Adjacent spans are never of the same kind.
        for w in spans.windows(2) {
            prop_assert_ne!(std::mem::discriminant(&w[0]), std::mem::discriminant(&w[1]));
        }
    }

    #[test]
    fn whole_numbers_compare_by_value(n in 0u64..10_000_000_000) {
        let plain = n.to_string();
        let grouped = {
            let mut out = String::new();
            for (i, ch) in plain.chars().enumerate() {
                if i > 0 && (plain.len() - i) % 3 == 0 {
                    out.push(',');
                }
                out.push(ch);
            }
            out
        };
        prop_assert!(check_text(&grouped, &[], &plain).correct);
        prop_assert!(check_text(&plain, &[], &grouped).correct);
        prop_assert!(!check_text(&plain, &[], &(n + 1).to_string()).correct);
        prop_assert!(!check_text(&grouped, &[], &(n * 10 + 1).to_string()).correct);
    }

    #[test]
    fn month_dates_compare_by_value_and_precision(year in 1000i32..=9999, month in 1u32..=12) {
        const NAMES: [&str; 12] = [
            "January", "February", "March", "April", "May", "June", "July", "August",
            "September", "October", "November", "December",
        ];
        let name = NAMES[month as usize - 1];
        let iso = format!("{year}-{month:02}");
        for typed in [
            format!("{name} {year}"),
            format!("{} {year}", &name[..3]),
            format!("{month:02}/{year}"),
            format!("{}, {year}", name.to_uppercase()),
        ] {
            let m = check_text(&iso, &[], &typed);
            prop_assert_eq!(m.kind, MarkKind::ByValue, "{}", typed);
        }
        prop_assert!(!check_text(&iso, &[], &year.to_string()).correct);
        let other = format!("{name} {}", year + 1);
        prop_assert!(!check_text(&iso, &[], &other).correct);
    }

    #[test]
    fn choices_are_unique_deterministic_and_right(
        answers in prop::collection::vec("[A-Ca-c ]{1,4}", 1..10),
        seed in any::<u64>(),
    ) {
        let deck: Vec<Card> = answers
            .iter()
            .enumerate()
            .map(|(i, a)| card(&format!("c{i}"), "term", a))
            .collect();
        let c = &deck[0];
        let got = choices(c, &deck, seed);
        prop_assert_eq!(&got, &choices(c, &deck, seed));
        if let Some(ch) = got {
            prop_assert!((2..=4).contains(&ch.options.len()));
            prop_assert_eq!(ch.options[ch.correct_index].as_str(), c.answer.as_str());
            let keys: HashSet<String> = ch
                .options
                .iter()
                .map(|o| fold(o).replace(' ', ""))
                .collect();
            prop_assert_eq!(keys.len(), ch.options.len(), "{:?}", ch.options);
        }
        let _ = pick_form(c, &deck, SessionForm::Mixed, seed);
    }

    #[test]
    fn timelines_score_their_own_answer_right(
        dates in prop::collection::vec((2000i32..2010, prop::option::of(1u8..=12)), 0..8),
        n in 0usize..8,
        seed in any::<u64>(),
    ) {
        let cards: Vec<Card> = dates
            .iter()
            .enumerate()
            .map(|(i, (y, m))| {
                let mut c = card(&format!("c{i}"), "date", "x");
                c.date = Some(match m {
                    Some(m) => format!("{y}-{m:02}"),
                    None => y.to_string(),
                });
                c
            })
            .collect();
        if let Some(t) = timeline(&cards, n, seed) {
            let len = t.events.len();
            prop_assert!((3..=5).contains(&len));
            let right = t.correct_order();
            let s = t.score(&right);
            prop_assert!(s.correct_order);
            prop_assert_eq!(s.pairs_total, len * (len - 1) / 2);
            let mut reversed = right.clone();
            reversed.reverse();
            let r = score_order(&t.events, &reversed);
            prop_assert!(r.pairs_right <= r.pairs_total);
            let ids: HashSet<&str> = t.events.iter().map(|e| e.card_id.as_str()).collect();
            prop_assert_eq!(ids.len(), len);
        }
    }

    #[test]
    fn matching_games_finish_with_a_perfect_score(
        roles in prop::collection::vec("[a-d]{1,3}", 0..9),
        seed in any::<u64>(),
    ) {
        let cards: Vec<Card> = roles
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let mut c = card(&format!("c{i}"), "actor", &format!("Person {i}"));
                c.role = Some(r.clone());
                c
            })
            .collect();
        if let Some(m) = matching(&cards, 6, seed) {
            let pairs = m.pairs.clone();
            let mut g = MatchingGame::new(m);
            for (l, &r) in pairs.iter().enumerate() {
                prop_assert_eq!(g.try_pair(l, r), PairResult::Right);
            }
            prop_assert!(g.is_done());
            prop_assert_eq!(g.score(), (pairs.len(), pairs.len()));
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]

    #[test]
    fn huge_odd_input_never_panics(
        answer in odd_string(12_000),
        typed in odd_string(12_000),
        short in odd_string(12),
    ) {
        let _ = check_text(&answer, &[], &typed);
        let _ = check_text(&short, std::slice::from_ref(&answer), &typed);
        let _ = check_text(&answer, &[], &short);
        let _ = diff(&typed, &answer);
    }
}

#[test]
fn ten_kilobyte_answers_do_not_panic() {
    let long_typed: String = "Kim Jong Un 🦀 שלום \u{202E} 1,000 ".repeat(300);
    assert!(long_typed.len() > 10_000);
    let c = card("x", "actor", "Kim Jong Un");
    assert_eq!(check_typed(&c, &long_typed).kind, MarkKind::Wrong);
    let long_answer = card("y", "term", &long_typed);
    assert_eq!(check_typed(&long_answer, &long_typed).kind, MarkKind::Exact);
    let almost = format!("{long_typed}x");
    let m = check_typed(&long_answer, &almost);
    assert!(!m.diff.is_empty());
}
