#!/usr/bin/env python3
"""Checks that the real Anki imports a package flashdrill exported.

    /work/venv-anki/bin/python tests/data/interop/check_export.py OUT.apkg NOTES REVIEWS

Imports OUT.apkg into a new, empty collection with Anki's own importer and checks that it
gives NOTES notes and REVIEWS review-log entries; prints each note's fields, tags and card
state. Exits 1 on a mismatch.
"""

import os
import sys
import tempfile

from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest


def main():
    path, notes, reviews = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    tmp = tempfile.mkdtemp()
    col = Collection(os.path.join(tmp, "collection.anki2"))
    col.import_anki_package(
        ImportAnkiPackageRequest(
            package_path=os.path.abspath(path),
            options=ImportAnkiPackageOptions(with_scheduling=True, merge_notetypes=True),
        )
    )
    got_notes = col.note_count()
    got_reviews = col.db.scalar("select count(*) from revlog")
    for nid in col.find_notes(""):
        note = col.get_note(nid)
        cards = note.cards()
        print(
            note.note_type()["name"],
            note.guid,
            [f for f in note.fields],
            note.tags,
            [(c.type, c.queue, c.ivl, col.decks.name(c.did)) for c in cards],
        )
    media = sorted(os.listdir(col.media.dir()))
    print("media:", media)
    print(f"notes {got_notes} (want {notes}), reviews {got_reviews} (want {reviews})")
    col.close()
    if got_notes != notes or got_reviews != reviews:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
