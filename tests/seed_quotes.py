"""A test's boundary names the seed line it comes from; `seed_says` fails the test when the quote is not there.

Seeds are PDF extractions with artefacts (`น้ าหนัก`): quote them as they are; whitespace is collapsed on both sides.
The seeds live beside the repository (`../shared/seeds`, as SPEC.md does); without them the quote is not checked.
"""
from __future__ import annotations

from functools import cache
from pathlib import Path

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


@cache
def _seed_text(number: str) -> str:
    (path,) = SEEDS.glob(f"{number}_*.txt")
    return " ".join(path.read_text(encoding="utf-8").split())


def seed_says(number: str, text: str) -> str:
    """The quote, after checking that seed `number` (e.g. "004") holds it word for word."""
    quote = " ".join(text.split())
    if SEEDS.is_dir():
        assert quote in _seed_text(number), f"seed {number} does not say: {quote}"
    return quote
