#!/usr/bin/env python3
"""Generate FSRS-6 conformance vectors from the reference scheduler, py-fsrs 6.3.2.

    pip install fsrs==6.3.2
    python3 tests/data/fsrs/generate.py > tests/data/fsrs/vectors.json

Every history is replayed with `Scheduler(..., enable_fuzzing=False).review_card` and the card
is recorded after each review. The output is deterministic: histories come from a fixed random
seed and all times are whole seconds in UTC. `tests/schedule_conformance.rs` replays them through
`flashdrill::schedule::Scheduler` and compares.
"""

import json
import random
import sys
from datetime import datetime, timedelta, timezone
from importlib.metadata import version

from fsrs import Card, Rating, Scheduler
from fsrs.scheduler import DEFAULT_PARAMETERS

SEED = 20240601
PY_FSRS_VERSION = "6.3.2"

# Random timings never go further than this past the first review: stability above 36500 days
# (where fsrs-rs and py-fsrs differ, see "centuries_all_easy") needs a century of reviews.
HORIZON = timedelta(days=25 * 365)

M = 60
H = 3600
D = 86400

# Name -> Scheduler keyword arguments (steps in seconds).
CONFIGS = {
    "default": dict(learning=[1 * M, 10 * M], relearning=[10 * M]),
    "no_steps": dict(learning=[], relearning=[]),
    "custom_steps": dict(learning=[30, 5 * M, 30 * M, 1 * H], relearning=[10 * M, 1 * H]),
    "single_steps": dict(learning=[10 * M], relearning=[5 * M]),
    "day_steps": dict(learning=[1 * H, 1 * D], relearning=[1 * D]),
    "retention_80": dict(learning=[1 * M, 10 * M], relearning=[10 * M], retention=0.8),
    "retention_95_no_relearn": dict(learning=[1 * M, 10 * M], relearning=[], retention=0.95),
    "max_interval_30": dict(learning=[1 * M, 10 * M], relearning=[10 * M], maximum_interval=30),
    "custom_parameters": dict(
        learning=[1 * M, 10 * M],
        relearning=[10 * M],
        parameters=[
            0.4, 0.9, 3.1, 10.5, 5.9, 1.1, 2.4, 0.02, 1.5, 0.2, 0.9,
            1.7, 0.08, 0.31, 1.2, 0.5, 2.2, 0.7, 0.15, 0.1, 0.2,
        ],
    ),
}


def make_scheduler(cfg):
    return Scheduler(
        parameters=cfg.get("parameters", DEFAULT_PARAMETERS),
        desired_retention=cfg.get("retention", 0.9),
        learning_steps=[timedelta(seconds=s) for s in cfg["learning"]],
        relearning_steps=[timedelta(seconds=s) for s in cfg["relearning"]],
        maximum_interval=cfg.get("maximum_interval", 36500),
        enable_fuzzing=False,
    )


def config_json(cfg):
    return {
        "parameters": list(cfg.get("parameters", DEFAULT_PARAMETERS)),
        "desired_retention": cfg.get("retention", 0.9),
        "maximum_interval": cfg.get("maximum_interval", 36500),
        "learning_steps_secs": cfg["learning"],
        "relearning_steps_secs": cfg["relearning"],
    }


def iso(dt):
    return dt.isoformat().replace("+00:00", "Z")


def next_time(rng, prev, due, mode):
    """The time of the next review, given the previous review time and the due time."""
    if mode == "on_due":
        return due
    if mode == "near_due":
        # Up to 3 hours early or 6 late, but never before the previous review.
        return max(due + timedelta(seconds=rng.randint(-3 * H, 6 * H)), prev + timedelta(seconds=20))
    if mode == "early":
        span = (due - prev).total_seconds()
        return prev + timedelta(seconds=max(1, int(span * rng.uniform(0.05, 0.9))))
    if mode == "late":
        return due + timedelta(days=rng.randint(1, 45), seconds=rng.randint(0, D - 1))
    if mode == "months":
        return due + timedelta(days=rng.randint(60, 420), seconds=rng.randint(0, D - 1))
    if mode == "same_day":
        return prev + timedelta(seconds=rng.randint(20, 10 * H))
    if mode == "just_under_a_day":
        return prev + timedelta(seconds=D - rng.randint(1, 120))
    if mode == "exactly_a_day":
        return prev + timedelta(seconds=D)
    raise ValueError(mode)


MODES = ["on_due"] * 6 + ["near_due"] * 4 + ["early"] * 2 + ["late"] * 2 + [
    "months", "same_day", "just_under_a_day", "exactly_a_day",
]


def random_rating(rng):
    return rng.choices([1, 2, 3, 4], weights=[15, 15, 55, 15])[0]


def replay(scheduler, start, ratings, modes_rng_or_list, rng):
    card = Card(card_id=1, due=start)
    records = []
    t = start
    for i, rating in enumerate(ratings):
        if i > 0:
            if isinstance(modes_rng_or_list, list):
                mode = modes_rng_or_list[i - 1]
            else:
                mode = rng.choice(MODES)
            t = next_time(rng, card.last_review, card.due, mode)
            if t - start > HORIZON and not isinstance(modes_rng_or_list, list):
                # Keep random histories within a human lifetime of study (see HORIZON).
                t = next_time(rng, card.last_review, card.due, "same_day")
        card, _ = scheduler.review_card(card, Rating(rating), t)
        records.append(
            {
                "rating": rating,
                "time": iso(t),
                "state": card.state.name.lower(),
                "step": card.step,
                "stability": card.stability,
                "difficulty": card.difficulty,
                "due": iso(card.due),
            }
        )
    return records


def random_start(rng):
    base = datetime(2024, 1, 1, tzinfo=timezone.utc)
    return base + timedelta(days=rng.randint(0, 700), seconds=rng.randint(0, D - 1))


def main():
    if version("fsrs") != PY_FSRS_VERSION:
        sys.exit(f"need fsrs=={PY_FSRS_VERSION}, found {version('fsrs')}")
    rng = random.Random(SEED)
    histories = []

    def add(name, cfg_name, ratings, modes=None, note=None, stability_clamp=None):
        cfg = CONFIGS[cfg_name]
        start = random_start(rng)
        entry = {
            "name": name,
            "config_name": cfg_name,
            "config": config_json(cfg),
            "start": iso(start),
            "reviews": replay(make_scheduler(cfg), start, ratings, modes, rng),
        }
        if note:
            entry["note"] = note
        if stability_clamp is not None:
            entry["stability_clamp"] = stability_clamp
        histories.append(entry)

    # Every first rating under every configuration, then random ratings and timings.
    for cfg_name in CONFIGS:
        for first in [1, 2, 3, 4]:
            length = rng.randint(5, 20)
            ratings = [first] + [random_rating(rng) for _ in range(length - 1)]
            add(f"{cfg_name}/first_{first}", cfg_name, ratings)

    # Targeted histories.
    add("default/walk_the_steps", "default", [3, 3, 3, 3, 3, 3], ["same_day"] + ["on_due"] * 4)
    add("default/hard_on_steps", "default", [2, 2, 3, 2, 3, 3], ["same_day", "same_day", "same_day", "same_day", "on_due"])
    add("custom_steps/hard_on_later_step", "custom_steps", [3, 3, 2, 2, 3, 3, 3, 3],
        ["on_due"] * 7)
    add("default/lapses", "default", [3, 3, 3, 1, 3, 3, 1, 2, 3, 1, 1, 3, 3, 4],
        ["on_due", "on_due", "near_due", "same_day", "on_due", "late", "same_day", "same_day",
         "on_due", "on_due", "on_due", "on_due", "on_due"])
    add("no_steps/lapses", "no_steps", [1, 3, 1, 1, 3, 3, 2, 1, 4, 3],
        ["on_due", "on_due", "early", "on_due", "on_due", "late", "on_due", "on_due", "on_due"])
    add("retention_95_no_relearn/lapses", "retention_95_no_relearn", [3, 3, 3, 1, 1, 3, 3, 3],
        ["same_day", "on_due", "on_due", "on_due", "on_due", "on_due", "on_due"])
    add("default/months_gaps", "default", [3, 3, 3, 3, 2, 3, 1, 3, 3, 3],
        ["on_due", "months", "months", "months", "months", "months", "same_day", "months", "months"])
    add("default/same_day_cram", "default", [1, 1, 2, 3, 3, 3, 3, 4, 3, 3, 3, 2],
        ["same_day"] * 11)
    add("default/early_reviews", "default", [3, 3, 3, 3, 3, 3, 3, 3, 3],
        ["on_due", "early", "early", "early", "early", "early", "early", "early"])
    add("default/day_boundary", "default", [3, 3, 3, 3, 3, 3, 3, 3],
        ["just_under_a_day", "exactly_a_day", "just_under_a_day", "exactly_a_day",
         "just_under_a_day", "exactly_a_day", "just_under_a_day"])
    add("max_interval_30/all_easy", "max_interval_30", [4] * 10, ["on_due"] * 9)
    add("retention_80/all_good_late", "retention_80", [3] * 6, ["late"] * 5)
    add("day_steps/all_again", "day_steps", [1] * 8, ["on_due"] * 7)
    add("default/all_hard", "default", [2] * 12, ["on_due"] * 11)
    # py-fsrs never clamps stability; fsrs-rs caps it at 36500 days. Only reachable after a
    # century of reviews: recorded to document the difference (see the Rust test).
    add("default/centuries_all_easy", "default", [4] * 10, ["on_due"] * 9,
        note="stability exceeds 36500 days: fsrs-rs clamps it, py-fsrs does not",
        stability_clamp=36500.0)

    for _ in range(8):
        cfg_name = rng.choice(list(CONFIGS))
        length = rng.randint(12, 20)
        ratings = [random_rating(rng) for _ in range(length)]
        add(f"{cfg_name}/random_long_{len(histories)}", cfg_name, ratings)

    json.dump(
        {
            "generator": f"py-fsrs {PY_FSRS_VERSION}, tests/data/fsrs/generate.py, seed {SEED}",
            "histories": histories,
        },
        sys.stdout,
        indent=1,
    )
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
