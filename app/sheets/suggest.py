"""The "did you mean …?" of a problem: the closest known word to a mistyped one (rapidfuzz), for province names, choices,
headers and yes/no words."""
from __future__ import annotations

from typing import Iterable

from rapidfuzz import fuzz, process, utils

MIN_SCORE = 70  # out of 100: "เชียงให่ม" → "เชียงใหม่" scores ~89; unrelated words stay well below


def closest(word: str, known: Iterable[str], min_score: int = MIN_SCORE) -> str | None:
    """The known word most like `word`, or None when nothing is close enough (or `word` is empty)."""
    candidates = [k for k in dict.fromkeys(known) if k]
    if not word or not candidates:
        return None
    found = process.extractOne(word, candidates, scorer=fuzz.ratio, processor=utils.default_process,
                               score_cutoff=min_score)
    return found[0] if found else None


def did_you_mean(thai: str, english: str, suggestion: str | None) -> tuple[str, str]:
    """A problem's two halves with the suggestion added, as `problem_text` takes them."""
    if suggestion is None:
        return thai, english
    return f"{thai} — หรือหมายถึง “{suggestion}”?", f"{english}; did you mean “{suggestion}”?"
