#!/usr/bin/env python3
"""Imports an .apkg into a fresh, empty Anki collection the way Anki does, and measures it.

Usage (with the venv of setup.sh):

    /tmp/anki-peer-venv/bin/python scripts/anki-peer/anki_import.py PACKAGE [--dir DIR] [--answer N]

Prints key=value lines: import_s (wall time of the import call alone), db_bytes (the collection
file on disk after col.close(), plus any -wal left), cards and revlog (row counts, as a sanity
check), rss_before_import_kb (the process's peak RSS before importing: Python and the Anki
library, to subtract from an outside peak). With --answer N it then reopens the collection and
answers N due cards through the v3 scheduler (Good, Again every tenth), timing answer_card
alone, which commits each answer: answer_us_median and answer_us_p90.
"""

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time

# anki.collection first: importing anki.cards before it is a circular import.
from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest
from anki.cards import Card  # isort: skip
from anki.scheduler.v3 import CardAnswer  # isort: skip


def on_disk(path):
    return sum(os.path.getsize(p) for p in (path, path + "-wal") if os.path.exists(p))


def answer(path, n):
    """Answers up to n queued cards; returns the answer_card times in microseconds."""
    col = Collection(path)
    for conf in col.decks.all_config():  # lift the daily limits so that n cards are due
        conf["new"]["perDay"] = conf["rev"]["perDay"] = 100_000
        col.decks.update_config(conf)
    col.decks.select(col.decks.id_for_name("Peer"))
    took = []
    for i in range(n):
        queued = col.sched.get_queued_cards(fetch_limit=1)
        if not queued.cards:
            break
        top = queued.cards[0]
        card = Card(col, backend_card=top.card)
        card.start_timer()
        rating = CardAnswer.AGAIN if i % 10 == 9 else CardAnswer.GOOD
        ans = col.sched.build_answer(card=card, states=top.states, rating=rating)
        t0 = time.perf_counter()
        col.sched.answer_card(ans)
        took.append((time.perf_counter() - t0) * 1e6)
    col.close()
    return took


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("package")
    ap.add_argument("--dir", help="folder for the collection (default: a new temporary one)")
    ap.add_argument("--answer", type=int, default=0, metavar="N")
    args = ap.parse_args()
    folder = args.dir or tempfile.mkdtemp(prefix="anki-peer-")
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, "collection.anki2")
    if os.path.exists(path):
        sys.exit(f"{path} exists already; give a new folder")
    print(f"rss_before_import_kb={resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}")
    col = Collection(path)
    request = ImportAnkiPackageRequest(
        package_path=os.path.abspath(args.package),
        options=ImportAnkiPackageOptions(with_scheduling=True, with_deck_configs=True),
    )
    t0 = time.perf_counter()
    col.import_anki_package(request)
    print(f"import_s={time.perf_counter() - t0:.3f}")
    print(f"cards={col.card_count()}")
    print(f"revlog={col.db.scalar('select count() from revlog')}")
    col.close()
    print(f"db_bytes={on_disk(path)}")
    if args.answer:
        took = answer(path, args.answer)
        print(f"answered={len(took)}")
        print(f"answer_us_median={statistics.median(took):.0f}")
        print(f"answer_us_p90={statistics.quantiles(took, n=10)[-1]:.0f}")


if __name__ == "__main__":
    sys.exit(main())
