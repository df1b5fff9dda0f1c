#!/usr/bin/env python3
"""Builds the Anki fixture packages in this folder with the real Anki library.

Run from anywhere with a Python that has the `anki` package (pip install anki; keep the venv
outside the repository):

    /work/venv-anki/bin/python tests/data/interop/make_fixtures.py

It writes:
- current.apkg   meta + zstd collection.anki21b (schema 18), media as zstd protobuf (legacy=False)
- legacy2.apkg   collection.anki21 (schema 11) + JSON media map (legacy=True)
- legacy1.apkg   the same package with the collection stored as collection.anki2, the layout of
                 Anki before 2.1.28 (it is the same schema-11 database under the older name)
- current.colpkg / legacy2.colpkg  the whole collection (export_collection_package)
- notes.txt      Anki's "Notes in Plain Text" export (with deck, notetype, tags and guid columns)

The collection: deck "Capitals" with a Basic note (answered 3 times at fixed times), a
Basic (and reversed card) note, a Cloze note with two deletions (one with a hint), a note with
an image and a sound, a suspended card; and a sub-deck "Capitals::Europe" with one Basic note.
"""

import os
import shutil
import sys
import tempfile
import zipfile

from anki.collection import Collection, ExportAnkiPackageOptions

HERE = os.path.dirname(os.path.abspath(__file__))
# A 1x1 PNG.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cfc0f01f0005000201a2b1e0"
    "4a0000000049454e44ae426082"
)
DAY_MS = 86_400_000
# 2024-01-01T10:00:00Z
T0 = 1_704_103_200_000


def build(tmp):
    col = Collection(os.path.join(tmp, "collection.anki2"))
    deck = col.decks.id("Capitals")
    sub = col.decks.id("Capitals::Europe")
    basic = col.models.by_name("Basic")
    reversed_ = col.models.by_name("Basic (and reversed card)")
    cloze = col.models.by_name("Cloze")

    def add(model, fields, deck_id, guid, tags=()):
        note = col.new_note(model)
        for i, f in enumerate(fields):
            note.fields[i] = f
        note.guid = guid
        note.tags = list(tags)
        col.add_note(note, deck_id)
        return note

    reviewed = add(basic, ["Capital of <b>France</b>?", "Paris"], deck, "guidBasic01", ["geo"])
    add(reversed_, ["Germany", "Berlin"], deck, "guidRev0001", ["geo", "two-way"])
    add(
        cloze,
        ["{{c1::Rome}} is the capital of {{c2::Italy::country}}.", "Since 1871."],
        deck,
        "guidCloze01",
    )
    img = os.path.join(tmp, "flag.png")
    with open(img, "wb") as f:
        f.write(PNG)
    name = col.media.add_file(img)
    snd = os.path.join(tmp, "anthem.mp3")
    with open(snd, "wb") as f:
        f.write(b"ID3 not really an mp3")
    sound = col.media.add_file(snd)
    add(
        basic,
        [f'Whose flag?<br><img src="{name}">', f"Japan&nbsp;&amp; its flag[sound:{sound}]"],
        deck,
        "guidImage01",
    )
    suspended = add(basic, ["Capital of Spain?", "Madrid"], deck, "guidSusp001")
    col.sched.suspend_cards([c.id for c in suspended.cards()])
    add(basic, ["Capital of Portugal?", "Lisbon"], sub, "guidSub0001", ["europe"])

    # Three answers to the first card (Good, Again, Good), then moved to fixed times a few
    # days apart so the fixture is the same every time it is made.
    card = reviewed.cards()[0]
    for ease in (3, 1, 3):
        card = col.get_card(card.id)
        card.start_timer()
        col.sched.answerCard(card, ease)
    ids = [r[0] for r in col.db.all("select id from revlog where cid = ? order by id", card.id)]
    for i, rid in enumerate(ids):
        col.db.execute("update revlog set id = ? where id = ?", T0 + [0, 3, 4][i] * DAY_MS, rid)
    return col


def main():
    tmp = tempfile.mkdtemp()
    col = build(tmp)
    for name, legacy in (("current.apkg", False), ("legacy2.apkg", True)):
        out = os.path.join(HERE, name)
        col.export_anki_package(
            out_path=out,
            options=ExportAnkiPackageOptions(
                with_scheduling=True, with_deck_configs=False, with_media=True, legacy=legacy
            ),
            limit=None,
        )
    # legacy 1: the same schema-11 collection under its older name, plus the media map.
    with zipfile.ZipFile(os.path.join(HERE, "legacy2.apkg")) as src, zipfile.ZipFile(
        os.path.join(HERE, "legacy1.apkg"), "w", zipfile.ZIP_DEFLATED
    ) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename in ("collection.anki2", "meta"):
                continue  # the dummy "please update" collection; no meta before 2.1.50
            name = "collection.anki2" if info.filename == "collection.anki21" else info.filename
            dst.writestr(name, data)
    col.export_note_csv(
        out_path=os.path.join(HERE, "notes.txt"),
        limit=None,
        with_html=True,
        with_tags=True,
        with_deck=True,
        with_notetype=True,
        with_guid=True,
    )
    col.close()
    # Collection packages close the collection themselves: reopen for each.
    for name, legacy in (("current.colpkg", False), ("legacy2.colpkg", True)):
        col = Collection(os.path.join(tmp, "collection.anki2"))
        col.export_collection_package(os.path.join(HERE, name), True, legacy)
    shutil.rmtree(tmp)


if __name__ == "__main__":
    sys.exit(main())
