#!/usr/bin/env python3
"""Builds a large Anki package with Anki itself, for comparing imports with flashdrill.

Usage (with the venv of setup.sh):

    /tmp/anki-peer-venv/bin/python scripts/anki-peer/make_package.py OUT.apkg \
        [--notes 50000] [--reviews-per-card 10] [--seed 1]

The notes and cards are made through Anki's API (Basic notes in 10 decks). Answering 500,000
times through the scheduler would take hours, so the review history is written with SQL through
`col.db`: each card gets a simulated SM-2 history (learning steps, reviews, lapses and
relearning) with realistic revlog fields, and the card's own scheduling fields (type, queue,
due, ivl, factor, reps, lapses, left) are set from its last review. The package is then written
by Anki's own exporter in the current layout (meta + zstd collection.anki21b). The content is
deterministic for a seed; ids of notes and cards come from the clock, as in Anki.
"""

import argparse
import os
import random
import sys
import tempfile
import time

from anki.collection import AddNoteRequest, Collection, ExportAnkiPackageOptions

DAY_S = 86_400
# Every history ends before 2026-06-01T00:00:00Z.
END = 1_780_272_000
DECKS = 10
# The maximum interval in days (the deck option): two years keeps histories within a decade.
MAX_IVL = 730


def simulate(rng, n_reviews, start_s):
    """One card's history: a list of revlog tuples (time_s, ease, ivl, last_ivl, factor,
    taken_ms, type) and the card's state after it (ctype, ivl, factor, lapses, next_due_s)."""
    log = []
    state, ivl, factor, lapses = "new", 0, 2500, 0
    now, last_ivl = start_s, 0
    for _ in range(n_reviews):
        taken = rng.randint(1_500, 25_000)
        if state in ("new", "learn"):
            ease = rng.choices((1, 2, 3, 4), (25, 10, 55, 10))[0]
            rtype, rfactor = 0, 0
            if ease <= 2 or (ease == 3 and state == "new"):
                state, new_ivl, step = "learn", -60 if ease == 1 else -600, 60 if ease == 1 else 600
            else:
                state, new_ivl = "review", 1 if ease == 3 else 4
                ivl, step = new_ivl, new_ivl * DAY_S
        elif state == "review":
            ease = rng.choices((1, 2, 3, 4), (10, 15, 60, 15))[0]
            rtype = 1
            if ease == 1:
                lapses += 1
                factor = max(1300, factor - 200)
                ivl = max(1, ivl // 2)
                state, new_ivl, step = "relearn", -600, 600
            else:
                mult = {2: 1.2, 3: factor / 1000, 4: factor / 1000 * 1.3}[ease]
                factor = max(1300, factor + {2: -150, 3: 0, 4: 150}[ease])
                ivl = min(MAX_IVL, max(ivl + 1, round(ivl * mult * rng.uniform(0.95, 1.05))))
                new_ivl, step = ivl, ivl * DAY_S
            rfactor = factor
        else:  # relearning after a lapse
            ease = rng.choices((1, 3), (20, 80))[0]
            rtype, rfactor = 2, factor
            if ease == 1:
                new_ivl, step = -600, 600
            else:
                state, new_ivl, step = "review", ivl, ivl * DAY_S
        log.append((now, ease, new_ivl, last_ivl, rfactor, taken, rtype))
        last_ivl = new_ivl
        # The next answer comes when due, give or take a few hours (and never before).
        now += step + (rng.randint(0, 6 * 3600) if step >= DAY_S else rng.randint(0, 120))
    ctype = {"learn": 1, "review": 2, "relearn": 3}.get(state, 0)
    return log, (ctype, ivl, factor, lapses, now)


def build(col, n_notes, per_card, rng):
    basic = col.models.by_name("Basic")
    decks = [col.decks.id(f"Peer::Deck {i:02}") for i in range(1, DECKS + 1)]
    requests = []
    for i in range(n_notes):
        note = col.new_note(basic)
        note.fields[0] = f"Question {i}: what is {rng.randint(100, 999)} × {rng.randint(2, 99)}?"
        note.fields[1] = f"Answer {i}: <b>{rng.randint(1_000, 99_999)}</b>"
        note.tags = [f"tag{i % 37}"]
        requests.append(AddNoteRequest(note=note, deck_id=decks[i % DECKS]))
    col.add_notes(requests)

    # Histories are simulated from time 0, then shifted by whole days so that each card's last
    # answer falls in the half year before END: Anki refuses to export timestamps in the future.
    card_ids = col.db.list("select id from cards order by id")
    histories = []
    for cid in card_ids:
        log, after = simulate(rng, per_card, rng.randint(8 * 3600, 22 * 3600))
        # Whole days, so that the answers keep their simulated time of day.
        shift = (END - rng.randint(1, 180) * DAY_S - log[-1][0]) // DAY_S * DAY_S
        histories.append((cid, [(t + shift, *rest) for t, *rest in log], after, shift))
    crt = min(log[0][0] for _, log, _, _ in histories) // DAY_S * DAY_S

    revlog, cards, used = [], [], set()
    for cid, log, (ctype, ivl, factor, lapses, next_s), shift in histories:
        for t, ease, r_ivl, last_ivl, r_factor, taken, rtype in log:
            rid = t * 1000 + rng.randint(0, 999)
            while rid in used:  # revlog ids are unique epoch milliseconds
                rid += 1
            used.add(rid)
            revlog.append((rid, cid, -1, ease, r_ivl, last_ivl, r_factor, taken, rtype))
        if ctype == 2:  # review: due is a day number counted from the collection's creation
            queue, due, left = 2, (next_s + shift - crt) // DAY_S, 0
        else:  # (re)learning: due is an epoch second; one step left
            queue, due, left = 1, next_s + shift, 1
        last = log[-1][0]
        data = f'{{"lrt":{last}}}'  # the last review time, as Anki's Check Database sets it
        cards.append((ctype, queue, due, ivl, factor, per_card, lapses, left, last, data, cid))

    def write():
        col.db.execute("update col set crt = ?", crt)
        col.db.executemany(
            "insert into revlog (id, cid, usn, ease, ivl, lastIvl, factor, time, type)"
            " values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            revlog,
        )
        col.db.executemany(
            "update cards set type = ?, queue = ?, due = ?, ivl = ?, factor = ?, reps = ?,"
            " lapses = ?, left = ?, mod = ?, data = ?, usn = -1 where id = ?",
            cards,
        )

    # One transaction: outside one, each row would be committed (and synced) on its own.
    col.db.transact(write)
    return len(card_ids), len(revlog)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out")
    ap.add_argument("--notes", type=int, default=50_000)
    ap.add_argument("--reviews-per-card", type=int, default=10)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        col = Collection(os.path.join(tmp, "collection.anki2"))
        t0 = time.perf_counter()
        n_cards, n_revlog = build(col, args.notes, args.reviews_per_card, random.Random(args.seed))
        col.export_anki_package(
            out_path=os.path.abspath(args.out),
            options=ExportAnkiPackageOptions(
                with_scheduling=True, with_deck_configs=True, with_media=False, legacy=False
            ),
            limit=None,
        )
        col.close()
    size = os.path.getsize(args.out)
    print(
        f"{args.out}: {n_cards} cards, {n_revlog} reviews, {size} bytes,"
        f" made in {time.perf_counter() - t0:.1f} s"
    )


if __name__ == "__main__":
    sys.exit(main())
