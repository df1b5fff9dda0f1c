//! Reviews a sync merges in, held back in memory until the merge ends and then written in id
//! order in one go.
//!
//! A first sync reads another computer's whole log card by card, in batches. Each card's
//! history spans the whole log, so batch after batch written straight away would land between
//! the rows of the batches before (every page of the log split again, its card index rebuilt
//! again). Held back, they are written once, in id order: appended.
//!
//! Rows are kept compact (about 45 bytes a review): each row's twelve column values as
//! variable-length integers, one row after another in one buffer, with no index (the ids are
//! read and sorted when the rows are written out). A card with rows
//! held back that comes in again (a later batch, another computer) gets them written first,
//! so that its log is whole when it is read; so do all of them before a retraction, and when
//! the buffer outgrows [`MAX_BYTES`].

use std::collections::{HashMap, HashSet};
use std::hash::{DefaultHasher, Hash, Hasher};

/// The held-back rows' buffer never grows past this: beyond it, they are written out.
pub(super) const MAX_BYTES: usize = 256 << 20;

/// The buffer grows by pieces of this size (one piece, larger, for a row that needs it), so
/// that growing it never copies it whole.
const PIECE: usize = 4 << 20;

/// Reviews merged in by a sync and not yet in the log; see the module's text.
#[derive(Debug, Default)]
pub(crate) struct Staged {
    /// The rows, back to back: each a 16-bit mask of the values present ([`TAKEN`]: written
    /// out already), then those values.
    pieces: Vec<Vec<u8>>,
    /// Bytes held in all pieces.
    size: usize,
    /// Rows held back and not yet taken out.
    live: usize,
    /// Card key of every card with rows held back, by [`card_hash`] of its deck and card ids.
    cards: HashMap<u64, i64>,
    /// Files read whose reviews are held back: recorded as read once they are in the log.
    consumed: Vec<(String, String)>,
}

/// A row's mask bit for a row taken out (written) while others stay held back.
const TAKEN: u16 = 1 << 15;

/// One row's column values (see `log::review_values`) and answer text, as written.
pub(super) type Values = [Option<i64>; 12];

fn card_hash(deck: &str, card: &str) -> u64 {
    let mut h = DefaultHasher::new();
    (deck, card).hash(&mut h);
    h.finish()
}

fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push(u8::try_from(v & 0x7f).unwrap_or(0) | 0x80);
        v >>= 7;
    }
    out.push(u8::try_from(v).unwrap_or(0));
}

fn get_varint(bytes: &[u8], at: &mut usize) -> Option<u64> {
    let mut v = 0u64;
    for shift in (0..64).step_by(7) {
        let b = *bytes.get(*at)?;
        *at += 1;
        v |= u64::from(b & 0x7f) << shift;
        if b & 0x80 == 0 {
            return Some(v);
        }
    }
    None
}

fn zigzag(v: i64) -> u64 {
    u64::from_ne_bytes(((v << 1) ^ (v >> 63)).to_ne_bytes())
}

fn unzigzag(z: u64) -> i64 {
    i64::from_ne_bytes((z >> 1).to_ne_bytes()) ^ -i64::from_ne_bytes((z & 1).to_ne_bytes())
}

/// Column 4 is the answer's text; the others numbers.
const ANSWER: usize = 4;

impl Staged {
    fn is_empty(&self) -> bool {
        self.live == 0
    }

    /// How many rows are held back.
    #[cfg(test)]
    fn len(&self) -> usize {
        self.live
    }

    /// Holds back a row (`values[0]` is its id).
    pub(super) fn push(&mut self, values: &Values, answer: Option<&str>) {
        // At most 2 + 11 * 10 bytes of numbers, and the answer with its length.
        let most = 2 + 11 * 10 + answer.map_or(0, |a| 10 + a.len());
        if self
            .pieces
            .last()
            .is_none_or(|p| p.capacity() - p.len() < most)
        {
            self.pieces.push(Vec::with_capacity(PIECE.max(most)));
        }
        let index = self.pieces.len() - 1;
        let piece = &mut self.pieces[index];
        let start = piece.len();
        let mut present = 0u16;
        for (j, v) in values.iter().enumerate() {
            if (j == ANSWER && answer.is_some()) || (j != ANSWER && v.is_some()) {
                present |= 1 << j;
            }
        }
        piece.extend_from_slice(&present.to_le_bytes());
        for (j, v) in values.iter().enumerate() {
            if j == ANSWER {
                if let Some(text) = answer {
                    put_varint(piece, text.len() as u64);
                    piece.extend_from_slice(text.as_bytes());
                }
            } else if let Some(v) = v {
                put_varint(piece, zigzag(*v));
            }
        }
        self.size += piece.len() - start;
        self.live += 1;
    }

    /// Notes that card `key` (deck and card ids `ids`) has rows held back.
    pub(super) fn note_card(&mut self, (deck, card): (&str, &str), key: i64) {
        self.cards.insert(card_hash(deck, card), key);
    }

    /// Whether the buffer is full enough to be written out.
    pub(super) fn is_full(&self) -> bool {
        self.size >= MAX_BYTES
    }

    /// The keys of the cards among `cards` (deck and card ids) that have rows held back (and a
    /// few others, rarely: their rows are only written sooner).
    pub(super) fn keys_among<'a>(
        &self,
        cards: impl IntoIterator<Item = &'a (&'a str, &'a str)>,
    ) -> HashSet<i64> {
        if self.is_empty() {
            return HashSet::new();
        }
        cards
            .into_iter()
            .filter_map(|&(d, c)| self.cards.get(&card_hash(d, c)).copied())
            .collect()
    }

    /// Files read whose reviews are held back.
    pub(super) fn hold_consumed(&mut self, consumed: &[(String, String)]) {
        self.consumed.extend_from_slice(consumed);
    }

    /// The files to record as read, once nothing is held back.
    pub(super) fn take_consumed(&mut self) -> Vec<(String, String)> {
        if self.is_empty() {
            std::mem::take(&mut self.consumed)
        } else {
            Vec::new()
        }
    }

    /// Takes out the rows of the cards `only` (all: `None`), in id order, for `write` to
    /// write (given their number and the rows); they are no longer held back (when `write`
    /// fails, the caller's transaction and this merge are given up). Rows are found by reading
    /// every piece once; a row taken while others stay is marked [`TAKEN`] in place. All
    /// taken: the buffer starts afresh.
    pub(super) fn drain<E>(
        &mut self,
        only: Option<&HashSet<i64>>,
        write: impl FnOnce(usize, &mut dyn Iterator<Item = (Values, Option<&str>)>) -> Result<(), E>,
    ) -> Result<(), E> {
        // `(id, where)` of the rows taken: piece index << 32 | offset in the piece.
        let mut taken: Vec<(i64, u64)> = Vec::with_capacity(match only {
            None => self.live,
            Some(_) => 0,
        });
        for (p, piece) in self.pieces.iter_mut().enumerate() {
            let mut at = 0;
            while at < piece.len() {
                let Some((values, _, end)) = decode(piece, at) else {
                    break;
                };
                let live = values_mask(piece, at) & TAKEN == 0;
                let take =
                    live && only.is_none_or(|keys| values[1].is_some_and(|c| keys.contains(&c)));
                if take {
                    taken.push((values[0].unwrap_or_default(), (p as u64) << 32 | at as u64));
                    if only.is_some() {
                        piece[at + 1] |= TAKEN.to_le_bytes()[1];
                    }
                }
                at = end;
            }
        }
        self.live = self.live.saturating_sub(taken.len());
        if let Some(keys) = only {
            self.cards.retain(|_, key| !keys.contains(key));
        }
        taken.sort_unstable_by_key(|&(id, _)| id);
        let pieces = &self.pieces;
        let mut rows = taken.iter().filter_map(|&(_, at)| {
            let piece = pieces.get(usize::try_from(at >> 32).ok()?)?;
            let (values, answer, _) = decode(piece, usize::try_from(at & 0xffff_ffff).ok()?)?;
            Some((values, answer))
        });
        let done = write(taken.len(), &mut rows);
        if self.live == 0 {
            self.pieces = Vec::new();
            self.size = 0;
            self.cards = HashMap::new();
        }
        done
    }
}

/// The mask of values present of the row at `at` of `bytes`.
fn values_mask(bytes: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([bytes[at], bytes[at + 1]])
}

/// The row at `at` of `bytes`: its values, its answer and where the next row starts.
fn decode(bytes: &[u8], at: usize) -> Option<(Values, Option<&str>, usize)> {
    let mut at = at;
    let present = u16::from_le_bytes([*bytes.get(at)?, *bytes.get(at + 1)?]);
    at += 2;
    let mut values: Values = [None; 12];
    let mut answer = None;
    for (j, v) in values.iter_mut().enumerate() {
        if present & (1 << j) == 0 {
            continue;
        }
        if j == ANSWER {
            let len = usize::try_from(get_varint(bytes, &mut at)?).ok()?;
            answer = Some(std::str::from_utf8(bytes.get(at..at + len)?).ok()?);
            at += len;
        } else {
            *v = Some(unzigzag(get_varint(bytes, &mut at)?));
        }
    }
    Some((values, answer, at))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn collect(staged: &mut Staged, only: Option<&HashSet<i64>>) -> Vec<(Values, Option<String>)> {
        let mut out = Vec::new();
        staged
            .drain(only, |_, rows| {
                out.extend(rows.map(|(v, a)| (v, a.map(str::to_owned))));
                Ok::<(), ()>(())
            })
            .unwrap();
        out
    }

    proptest! {
        #[test]
        fn rows_come_back_whole_and_in_id_order(
            rows in proptest::collection::vec(
                (any::<i64>(), proptest::array::uniform11(proptest::option::of(any::<i64>())),
                 proptest::option::of(".{0,20}")),
                0..40,
            ),
        ) {
            let mut staged = Staged::default();
            let mut want = Vec::new();
            for (id, rest, answer) in &rows {
                let mut v: Values = [None; 12];
                v[0] = Some(*id);
                for (j, x) in rest.iter().enumerate() {
                    v[j + 1] = *x;
                }
                v[ANSWER] = None;
                staged.push(&v, answer.as_deref());
                want.push((v, answer.clone()));
            }
            want.sort_by_key(|(v, _)| v[0]);
            let got = collect(&mut staged, None);
            prop_assert_eq!(got.len(), want.len());
            for (g, w) in got.iter().zip(&want) {
                prop_assert_eq!(g, w);
            }
            prop_assert!(staged.is_empty());
        }
    }

    #[test]
    fn a_card_that_comes_again_has_its_rows_taken_out_alone() {
        let mut staged = Staged::default();
        let row = |id: i64, card: i64| {
            let mut v: Values = [None; 12];
            v[0] = Some(id);
            v[1] = Some(card);
            v[2] = Some(3);
            v[3] = Some(1500);
            v
        };
        // A long answer: the rows after it are in a piece of their own.
        let long = "x".repeat(PIECE);
        staged.push(&row(30, 7), None);
        staged.push(&row(10, 8), Some("Pyongyang"));
        staged.push(&row(40, 9), Some(&long));
        staged.push(&row(20, 7), None);
        staged.note_card(("d", "a"), 7);
        staged.note_card(("d", "b"), 8);
        staged.hold_consumed(&[("dev/f".to_owned(), "mark".to_owned())]);
        let again = [("d", "a"), ("d", "z")];
        let keys = staged.keys_among(&again);
        assert_eq!(keys, HashSet::from([7]));
        let first = collect(&mut staged, Some(&keys));
        assert_eq!(
            first.iter().map(|(v, _)| v[0].unwrap()).collect::<Vec<_>>(),
            [20, 30]
        );
        assert!(staged.keys_among(&again).is_empty());
        assert_eq!(staged.len(), 2);
        assert!(staged.take_consumed().is_empty(), "held while rows wait");
        // Taken once: not taken again.
        assert!(collect(&mut staged, Some(&keys)).is_empty());
        let rest = collect(&mut staged, None);
        assert_eq!(
            rest.iter().map(|(v, _)| v[0].unwrap()).collect::<Vec<_>>(),
            [10, 40]
        );
        assert_eq!(rest[0].1.as_deref(), Some("Pyongyang"));
        assert_eq!(rest[1].1.as_deref(), Some(long.as_str()));
        assert!(staged.is_empty());
        assert_eq!(staged.take_consumed().len(), 1);
    }
}
