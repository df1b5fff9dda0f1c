#!/usr/bin/env python3
"""Check flashdrill's bundled decks (decks/*.json) against the article they are drawn from.

Usage: tools/check_decks.py [--article PATH] [--decks DIR]

Checks, for decks/dates.json, actors.json, terms.json and numbers-places.json:
  * the file is valid JSON, pretty-printed with a 2-space indent;
  * only the fields of `flashdrill-deck/1` (src/deck/model.rs) appear, with the right types;
  * required fields are present and non-empty; ids are slugs and unique in their deck;
  * every card's `source` is a verbatim excerpt of the article (after turning typographic
    quotes into ASCII ones and collapsing whitespace);
  * `accept` has no duplicates and never repeats the answer; there are at least 3 distractors,
    none equal (case-insensitively) to the answer, an accept entry or another distractor;
  * `cloze` has exactly one {{...}} whose content is the answer or an accept entry;
  * `date` is YYYY, YYYY-MM or YYYY-MM-DD with a real month/day, is present (with `event`)
    exactly on date cards, and a date-shaped answer agrees with it;
  * `role` is present exactly on actor cards and roles are distinct within a deck;
  * each deck holds only its own categories, and the per-category minimums are met.

Prints every problem found, then the card counts. Exit status 1 if there was any problem.
"""

from __future__ import annotations

import argparse
import calendar
import json
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_ARTICLE = Path("/work/shared/seed/pyongyang-moscow-honeymoon.txt")

FORMAT = "flashdrill-deck/1"
SOURCE = {"title": "Pyongyang and Moscow Honeymoon", "author": "Parisa Pasandepour"}

# file name -> (deck id, categories allowed in it)
DECKS = {
    "dates.json": ("pm-dates", {"date"}),
    "actors.json": ("pm-actors", {"actor"}),
    "terms.json": ("pm-terms", {"term"}),
    "numbers-places.json": ("pm-numbers-places", {"number", "place"}),
}
MINIMUMS = {"date": 27, "actor": 27, "term": 27}
MIN_NUMBERS_PLACES = 15
MIN_TOTAL = 110

DECK_FIELDS = {"format", "id", "title", "description", "source", "cards"}
DECK_REQUIRED = {"format", "id", "title", "source", "cards"}
SOURCE_FIELDS = {"title", "author", "url"}
CARD_FIELDS = {
    "id", "category", "prompt", "answer", "accept", "distractors", "date", "event",
    "role", "cloze", "explanation", "source", "tags",
}
CARD_REQUIRED = {"id", "category", "prompt", "answer", "source"}
STRING_FIELDS = {
    "id", "category", "prompt", "answer", "date", "event", "role", "cloze", "explanation",
    "source",
}
LIST_FIELDS = {"accept", "distractors", "tags"}

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
CLOZE = re.compile(r"\{\{(.*?)\}\}")
MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'})


def normalise(text: str) -> str:
    """Typographic quotes to ASCII, runs of whitespace to one space, trimmed."""
    return " ".join(text.translate(QUOTES).split())


def fold(text: str) -> str:
    """Case- and whitespace-insensitive form used to compare answers and options."""
    return " ".join(text.split()).casefold()


def parse_date(value: str) -> tuple[int, int | None, int | None] | str:
    """(year, month, day) or an error message."""
    m = DATE.match(value)
    if not m:
        return f'date "{value}" is not YYYY, YYYY-MM or YYYY-MM-DD'
    year = int(m.group(1))
    month = int(m.group(2)) if m.group(2) else None
    day = int(m.group(3)) if m.group(3) else None
    if month is not None and not 1 <= month <= 12:
        return f'date "{value}" has month {month}'
    if day is not None and not 1 <= day <= calendar.monthrange(year, month)[1]:
        return f'date "{value}" has day {day}, impossible in that month'
    return (year, month, day)


def answer_as_date(answer: str) -> tuple[int, int | None] | None:
    """"2000" -> (2000, None); "September 2022" -> (2022, 9); anything else -> None."""
    words = answer.split()
    if len(words) == 1 and re.fullmatch(r"\d{4}", words[0]):
        return (int(words[0]), None)
    if len(words) == 2 and words[0].lower() in MONTHS and re.fullmatch(r"\d{4}", words[1]):
        return (int(words[1]), MONTHS[words[0].lower()])
    return None


class Checker:
    def __init__(self, article: str) -> None:
        self.article = normalise(article)
        self.problems: list[str] = []

    def problem(self, where: str, message: str) -> None:
        self.problems.append(f"{where}: {message}")

    def check_file(self, path: Path, deck_id: str, allowed: set[str]) -> list[dict]:
        where = path.name
        try:
            raw = path.read_text(encoding="utf-8")
        except OSError as err:
            self.problem(where, f"cannot read: {err}")
            return []
        try:
            deck = json.loads(raw)
        except json.JSONDecodeError as err:
            self.problem(where, f"invalid JSON: {err}")
            return []
        if raw != json.dumps(deck, indent=2, ensure_ascii=False) + "\n":
            self.problem(where, "not pretty-printed with a 2-space indent (and a final newline)")
        if not isinstance(deck, dict):
            self.problem(where, "top level is not an object")
            return []
        for key in sorted(set(deck) - DECK_FIELDS):
            self.problem(where, f"unknown deck field {key!r}")
        for key in sorted(DECK_REQUIRED - set(deck)):
            self.problem(where, f"missing deck field {key!r}")
        if deck.get("format") != FORMAT:
            self.problem(where, f"format is {deck.get('format')!r}, expected {FORMAT!r}")
        if deck.get("id") != deck_id:
            self.problem(where, f"deck id is {deck.get('id')!r}, expected {deck_id!r}")
        for key in ("title", "description"):
            if key in deck and (not isinstance(deck[key], str) or not deck[key].strip()):
                self.problem(where, f"deck {key} must be a non-empty string")
        src = deck.get("source")
        if not isinstance(src, dict):
            self.problem(where, "deck source must be an object")
        else:
            for key in sorted(set(src) - SOURCE_FIELDS):
                self.problem(where, f"unknown source field {key!r}")
            for key, value in SOURCE.items():
                if src.get(key) != value:
                    self.problem(where, f"source.{key} is {src.get(key)!r}, expected {value!r}")
        cards = deck.get("cards")
        if not isinstance(cards, list):
            self.problem(where, "cards must be a list")
            return []
        good = []
        ids: Counter[str] = Counter()
        roles: dict[str, str] = {}
        for index, card in enumerate(cards):
            if not isinstance(card, dict):
                self.problem(f"{where} card #{index}", "not an object")
                continue
            cid = card.get("id")
            here = f"{where} card {cid!r}" if isinstance(cid, str) else f"{where} card #{index}"
            if isinstance(cid, str):
                ids[cid] += 1
            if self.check_card(here, card, allowed):
                good.append(card)
                role = card.get("role")
                if isinstance(role, str):
                    key = fold(role)
                    if key in roles:
                        self.problem(here, f"role repeats that of card {roles[key]!r}")
                    roles[key] = cid
        for cid, n in ids.items():
            if n > 1:
                self.problem(where, f"card id {cid!r} used {n} times")
        return good

    def check_card(self, here: str, card: dict, allowed: set[str]) -> bool:
        before = len(self.problems)
        for key in sorted(set(card) - CARD_FIELDS):
            self.problem(here, f"unknown field {key!r}")
        for key in sorted(CARD_REQUIRED - set(card)):
            self.problem(here, f"missing field {key!r}")
        for key in STRING_FIELDS & set(card):
            if not isinstance(card[key], str) or not card[key].strip():
                self.problem(here, f"{key} must be a non-empty string")
            elif card[key] != card[key].strip():
                self.problem(here, f"{key} has leading or trailing whitespace")
        for key in LIST_FIELDS & set(card):
            value = card[key]
            if not isinstance(value, list) or not all(
                isinstance(v, str) and v.strip() for v in value
            ):
                self.problem(here, f"{key} must be a list of non-empty strings")
        if len(self.problems) > before:
            return False

        if not SLUG.match(card["id"]):
            self.problem(here, "id is not a slug (a-z, 0-9, -)")
        category = card["category"]
        if category not in allowed:
            self.problem(here, f"category {category!r} does not belong in this deck")

        answer = card["answer"]
        accept = card.get("accept", [])
        accepted = [fold(answer)]
        for alt in accept:
            if fold(alt) in accepted:
                self.problem(here, f"accept entry {alt!r} repeats the answer or another entry")
            accepted.append(fold(alt))
        distractors = card.get("distractors", [])
        if len(distractors) < 3:
            self.problem(here, f"only {len(distractors)} distractors (need 3 or more)")
        seen: set[str] = set()
        for wrong in distractors:
            if fold(wrong) in accepted:
                self.problem(here, f"distractor {wrong!r} equals the answer or an accept entry")
            if fold(wrong) in seen:
                self.problem(here, f"distractor {wrong!r} repeated")
            seen.add(fold(wrong))

        cloze = card.get("cloze")
        if cloze is not None:
            blanks = CLOZE.findall(cloze)
            if len(blanks) != 1 or cloze.count("{{") != 1 or cloze.count("}}") != 1:
                self.problem(here, f"cloze needs exactly one {{{{...}}}}, found {len(blanks)}")
            elif blanks[0] != answer and blanks[0] not in accept:
                self.problem(here, f"cloze blank {blanks[0]!r} is neither the answer nor accepted")

        if normalise(card["source"]) not in self.article:
            self.problem(here, f"source is not verbatim in the article: {card['source']!r}")

        date = card.get("date")
        if category == "date":
            if date is None:
                self.problem(here, "date card without a date")
            if not card.get("event"):
                self.problem(here, "date card without an event caption")
        else:
            for key in ("date", "event"):
                if key in card:
                    self.problem(here, f"{key} on a non-date card")
        if date is not None:
            parsed = parse_date(date)
            if isinstance(parsed, str):
                self.problem(here, parsed)
            else:
                year, month, _ = parsed
                if str(year) not in self.article:
                    self.problem(here, f"year {year} never appears in the article")
                if month is not None and calendar.month_name[month] not in self.article:
                    self.problem(here, f"month {calendar.month_name[month]} not in the article")
                as_date = answer_as_date(answer)
                if as_date is not None:
                    a_year, a_month = as_date
                    if a_year != year or (a_month is not None and a_month != month):
                        self.problem(here, f"answer {answer!r} disagrees with date {date!r}")
        if category == "actor":
            if not card.get("role"):
                self.problem(here, "actor card without a role")
        elif "role" in card:
            self.problem(here, "role on a non-actor card")
        for tag in card.get("tags", []):
            if not SLUG.match(tag):
                self.problem(here, f"tag {tag!r} is not a slug")
        return len(self.problems) == before


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--article", type=Path, default=DEFAULT_ARTICLE)
    parser.add_argument("--decks", type=Path, default=ROOT / "decks")
    args = parser.parse_args()
    try:
        article = args.article.read_text(encoding="utf-8")
    except OSError as err:
        print(f"cannot read the article {args.article}: {err}", file=sys.stderr)
        return 2

    checker = Checker(article)
    counts: dict[str, Counter[str]] = {}
    prompts: dict[str, str] = {}
    for name, (deck_id, allowed) in DECKS.items():
        cards = checker.check_file(args.decks / name, deck_id, allowed)
        counts[name] = Counter(c["category"] for c in cards)
        for card in cards:
            key = fold(card["prompt"])
            here = f"{name} card {card['id']!r}"
            if key in prompts:
                checker.problem(here, f"same prompt as {prompts[key]}")
            prompts[key] = here

    total = Counter()
    for c in counts.values():
        total.update(c)
    for category, minimum in MINIMUMS.items():
        if total[category] < minimum:
            checker.problem("all decks", f"{total[category]} {category} cards, need {minimum}")
    numbers_places = total["number"] + total["place"]
    if numbers_places < MIN_NUMBERS_PLACES:
        checker.problem("all decks", f"{numbers_places} number+place cards, need 15")
    if sum(total.values()) < MIN_TOTAL:
        checker.problem("all decks", f"{sum(total.values())} cards, need {MIN_TOTAL}")

    for p in checker.problems:
        print(f"PROBLEM {p}")
    print()
    for name, c in counts.items():
        detail = ", ".join(f"{k}: {v}" for k, v in sorted(c.items()))
        print(f"{name:22} {sum(c.values()):4} cards  ({detail})")
    print(f"{'total':22} {sum(total.values()):4} cards")
    print(f"\n{len(checker.problems)} problem(s)")
    return 1 if checker.problems else 0


if __name__ == "__main__":
    sys.exit(main())
