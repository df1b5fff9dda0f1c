//! Last-writer-wins items: noticing this device's changes, merging the other devices' items
//! under the hybrid logical clock, putting the winners in place, keeping a deck that lost to
//! a concurrent edit as a copy.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use chrono::Utc;

use super::format::{ItemsBody, Stamp};
use super::{Conflict, LOCAL_SETTINGS, SyncError, folder};
use crate::store::Store;
use crate::store::sync::{LocalValue, NO_FLAGS};
use crate::sync::format::Item;

/// What the item merge did.
#[derive(Debug, Default)]
pub struct Merged {
    /// Items changed on this device since the last sync.
    pub local_changes: usize,
    /// Items that came in and won, per device.
    pub incoming: Vec<(String, usize)>,
    pub conflicts: Vec<Conflict>,
    /// Deck files that could not be written.
    pub problems: Vec<String>,
    /// Deck files were written or removed: the decks need loading again.
    pub decks_changed: bool,
    /// The profile's name as another computer set it later than this one.
    pub profile_renamed: Option<String>,
}

/// The item of the profile's display name.
const PROFILE_NAME: &str = "profile:name";

/// The hybrid logical clock: the latest (wall, counter) this device made or saw.
struct Clock {
    wall: i64,
    counter: u32,
    device: String,
}

impl Clock {
    fn tick(&mut self, at: i64) -> Stamp {
        if at > self.wall {
            self.wall = at;
            self.counter = 0;
        } else {
            self.counter = self.counter.saturating_add(1);
        }
        Stamp {
            wall: self.wall,
            counter: self.counter,
            device: self.device.clone(),
        }
    }

    fn observe(&mut self, s: &Stamp) {
        if (s.wall, s.counter) > (self.wall, self.counter) {
            self.wall = s.wall;
            self.counter = s.counter;
        }
    }
}

/// A user deck's file, its text and its modification time (ms).
type DeckFile = (PathBuf, String, Option<i64>);

/// The user decks in `dir`, by id; and whether some `.json` file in it did not read as a deck
/// (being written or edited by hand).
fn local_decks(dir: &Path) -> (BTreeMap<String, DeckFile>, bool) {
    #[derive(serde::Deserialize)]
    struct Head {
        #[serde(default)]
        format: String,
        #[serde(default)]
        id: String,
    }
    let mut out = BTreeMap::new();
    let mut unread = false;
    let Ok(entries) = std::fs::read_dir(dir) else {
        return (out, false);
    };
    let mut paths: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            let n = crate::file_name(p);
            !n.starts_with('.')
                && p.extension()
                    .is_some_and(|e| e.eq_ignore_ascii_case("json"))
        })
        .collect();
    paths.sort();
    for path in paths {
        let Ok(text) = std::fs::read_to_string(&path) else {
            unread = true;
            continue;
        };
        let Ok(head) = serde_json::from_str::<Head>(&text) else {
            unread = true;
            continue;
        };
        if !head.format.starts_with("flashdrill-deck") || head.id.is_empty() {
            continue;
        }
        let modified = std::fs::metadata(&path)
            .and_then(|m| m.modified())
            .ok()
            .map(|t| chrono::DateTime::<Utc>::from(t).timestamp_millis());
        out.entry(head.id).or_insert((path, text, modified));
    }
    (out, unread)
}

/// A copy of the deck `loser` (an item's JSON) under a new id, titled after where it came
/// from: `(copy id, copy title, JSON)`.
fn copy_of(
    deck_id: &str,
    loser: &Item,
    names: &HashMap<String, String>,
) -> Option<(String, String, String)> {
    let mut value: serde_json::Value = serde_json::from_str(loser.value.as_deref()?).ok()?;
    let obj = value.as_object_mut()?;
    let title = obj
        .get("title")
        .and_then(|t| t.as_str())
        .unwrap_or(deck_id)
        .to_owned();
    let from = names
        .get(&loser.stamp.device)
        .filter(|n| !n.is_empty())
        .cloned()
        .unwrap_or_else(|| format!("device {}", &loser.stamp.device));
    let date = chrono::DateTime::<Utc>::from_timestamp_millis(loser.stamp.wall)
        .map(|t| t.format("%Y-%m-%d").to_string())
        .unwrap_or_default();
    let copy_id = format!("{deck_id}-conflict-{}", loser.stamp.wall);
    let copy_title = format!("{title} (from {from}, {date})");
    obj.insert("id".to_owned(), copy_id.clone().into());
    obj.insert("title".to_owned(), copy_title.clone().into());
    let mut text = serde_json::to_string_pretty(&value).ok()?;
    text.push('\n');
    Some((copy_id, copy_title, text))
}

/// Whether the version `loser` was made without knowing `winner` (an edit at the same time,
/// not an edit of it) and differs: it is kept as a copy.
fn concurrent(loser: &Item, winner: &Item) -> bool {
    loser.value.is_some()
        && loser.value != winner.value
        && winner.base.as_ref().is_none_or(|b| loser.stamp > *b)
}

/// Merges the items: this device's changes since the last sync stamped, `bodies` (the other
/// devices' items files) merged, winners put in place (settings and flags in the store, decks
/// in `deck_dir`), all saved in one transaction with `consumed` (the items files read).
pub fn merge(
    store: &mut Store,
    device: &str,
    names: &HashMap<String, String>,
    deck_dir: Option<&Path>,
    bodies: &[(String, ItemsBody)],
    consumed: &[(String, String)],
    (settings, profile_name): (&crate::settings::Settings, Option<&str>),
) -> Result<Merged, SyncError> {
    let now = Utc::now();
    let mut out = Merged::default();
    let mut items = store.sync_items()?;
    let mut clock = Clock {
        wall: 0,
        counter: 0,
        device: device.to_owned(),
    };
    if let Some((w, c)) = store
        .sync_state("hlc")?
        .and_then(|s| {
            s.split_once(':')
                .map(|(w, c)| (w.parse().ok(), c.parse().ok()))
        })
        .and_then(|(w, c)| Some((w?, c?)))
    {
        clock.wall = w;
        clock.counter = c;
    }
    for item in items.values() {
        clock.observe(&item.stamp);
    }
    let mut dirty: BTreeSet<String> = BTreeSet::new();
    let mut apply: BTreeSet<String> = BTreeSet::new();

    // This device's changes since the last sync.
    let mut locals: Vec<LocalValue> = store.sync_local_values(LOCAL_SETTINGS, &items)?;
    let (decks, unread) = deck_dir.map(local_decks).unwrap_or_default();
    if deck_dir.is_some() {
        for (id, (_, text, modified)) in &decks {
            locals.push(LocalValue {
                key: format!("deck:{id}"),
                value: Some(text.clone()),
                at: *modified,
            });
        }
        // A deck file that does not read may be the deck being written: no deck counts as
        // deleted until every file reads.
        for key in items.keys().filter(|k| k.starts_with("deck:") && !unread) {
            if !decks.contains_key(&key["deck:".len()..]) {
                locals.push(LocalValue {
                    key: key.clone(),
                    value: None,
                    at: None,
                });
            }
        }
    }
    // The profile's name: a change when it differs from the name it had after the last
    // sync. (The first time, see below.)
    let last_name = store.sync_state("profile_name")?;
    if let Some(name) = profile_name
        && last_name.as_deref().is_some_and(|last| last != name)
    {
        locals.push(LocalValue {
            key: PROFILE_NAME.to_owned(),
            value: Some(name.to_owned()),
            at: None,
        });
    }
    locals.sort_by_key(|l| l.at.unwrap_or(i64::MAX));
    for local in locals {
        let known = items.get(&local.key);
        let is_card = local.key.starts_with("card:");
        let known_value = known.and_then(|i| i.value.clone());
        let same = if is_card {
            known_value.as_deref().unwrap_or(NO_FLAGS) == local.value.as_deref().unwrap_or(NO_FLAGS)
        } else {
            known.is_some() && known_value == local.value
        };
        if same || (known.is_none() && local.value.is_none()) {
            continue;
        }
        let stamp = clock.tick(local.at.unwrap_or_else(|| now.timestamp_millis()));
        let item = Item {
            key: local.key.clone(),
            value: local.value,
            stamp,
            base: known.map(|k| k.stamp.clone()),
        };
        items.insert(local.key.clone(), item);
        dirty.insert(local.key);
        out.local_changes += 1;
    }

    // The other devices' items.
    let mut won: BTreeMap<String, usize> = BTreeMap::new();
    for (from, body) in bodies {
        for incoming in &body.items {
            clock.observe(&incoming.stamp);
            if incoming.key.starts_with("deck:") && deck_dir.is_none() {
                continue;
            }
            let key = &incoming.key;
            let (winner, loser) = match items.get(key) {
                None => (incoming.clone(), None),
                Some(local) if incoming.stamp > local.stamp => {
                    (incoming.clone(), Some(local.clone()))
                }
                Some(local) if incoming.stamp < local.stamp => {
                    if let Some(id) = key.strip_prefix("deck:")
                        && concurrent(incoming, local)
                    {
                        keep_copy(
                            id, incoming, names, &mut items, &mut dirty, &mut apply, &mut out,
                        );
                    }
                    continue;
                }
                Some(_) => continue,
            };
            if let (Some(id), Some(loser)) = (key.strip_prefix("deck:"), &loser)
                && concurrent(loser, &winner)
            {
                keep_copy(
                    id, loser, names, &mut items, &mut dirty, &mut apply, &mut out,
                );
            }
            let changes_value = loser.as_ref().is_none_or(|l| l.value != winner.value);
            items.insert(key.clone(), winner);
            dirty.insert(key.clone());
            if changes_value {
                apply.insert(key.clone());
                *won.entry(from.clone()).or_default() += 1;
            }
        }
    }
    out.incoming = won.into_iter().collect();
    // A computer joining takes the name the profile has; the first to sync gives it.
    if let Some(name) = profile_name
        && !items.contains_key(PROFILE_NAME)
    {
        let stamp = clock.tick(now.timestamp_millis());
        items.insert(
            PROFILE_NAME.to_owned(),
            Item {
                key: PROFILE_NAME.to_owned(),
                value: Some(name.to_owned()),
                stamp,
                base: None,
            },
        );
        dirty.insert(PROFILE_NAME.to_owned());
    }

    // Decks in place first (files), then everything else in one transaction.
    if let Some(dir) = deck_dir {
        for key in apply.iter().filter(|k| k.starts_with("deck:")) {
            let id = &key["deck:".len()..];
            let Some(item) = items.get(key) else { continue };
            let result = match (&item.value, decks.get(id)) {
                (Some(text), Some((path, _, _))) => folder::write_atomically(path, text.as_bytes()),
                (Some(text), None) => {
                    let mut path = dir.join(format!("{id}.json"));
                    let mut n = 2;
                    while path.exists() {
                        path = dir.join(format!("{id}-{n}.json"));
                        n += 1;
                    }
                    std::fs::create_dir_all(dir)
                        .map_err(|e| format!("{}: {e}", dir.display()))
                        .and_then(|()| folder::write_atomically(&path, text.as_bytes()))
                }
                (None, Some((path, _, _))) => {
                    std::fs::remove_file(path).map_err(|e| format!("{}: {e}", path.display()))
                }
                (None, None) => Ok(()),
            };
            match result {
                Ok(()) => out.decks_changed = true,
                Err(e) => out.problems.push(e),
            }
        }
    }
    let to_save: Vec<&Item> = dirty.iter().filter_map(|k| items.get(k)).collect();
    let to_apply: Vec<&Item> = apply
        .iter()
        .filter(|k| !k.starts_with("deck:"))
        .filter_map(|k| items.get(k))
        .collect();
    store.sync_save_items(&to_save, &to_apply, consumed, (now, settings))?;
    let name = items.get(PROFILE_NAME).and_then(|i| i.value.clone());
    if let Some(here) = profile_name
        && let Some(name) = name.as_deref().filter(|n| *n != here)
    {
        out.profile_renamed = Some(name.to_owned());
    }
    store.set_sync_state(&[
        ("hlc", Some(&format!("{}:{}", clock.wall, clock.counter))),
        (
            "profile_name",
            name.as_deref().or(profile_name).or(last_name.as_deref()),
        ),
    ])?;
    Ok(out)
}

/// Keeps the deck version `loser` of deck `id` as a copy deck (once: its id is derived from
/// the version, so every computer makes the same copy, and a copy removed is not made again).
fn keep_copy(
    id: &str,
    loser: &Item,
    names: &HashMap<String, String>,
    items: &mut BTreeMap<String, Item>,
    dirty: &mut BTreeSet<String>,
    apply: &mut BTreeSet<String>,
    out: &mut Merged,
) {
    let Some((copy_id, copy_title, text)) = copy_of(id, loser, names) else {
        return;
    };
    let key = format!("deck:{copy_id}");
    if items.contains_key(&key) {
        return;
    }
    items.insert(
        key.clone(),
        Item {
            key: key.clone(),
            value: Some(text),
            stamp: loser.stamp.clone(),
            base: None,
        },
    );
    dirty.insert(key.clone());
    apply.insert(key);
    out.conflicts.push(Conflict {
        deck_id: id.to_owned(),
        copy_id,
        copy_title,
    });
}
