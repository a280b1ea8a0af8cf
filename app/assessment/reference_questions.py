"""The reference form's two short-answer questions that say whose answer it is — the application number and the
token that a reference's personal link fills in (spec, workflow A step 4.2) — and how a form that lacks them is read:
officers' existing forms ask neither, so until the questions are added (`python -m app forms prepare JOB`) an answer
counts when the email address the form collected is the invited reference's."""
from __future__ import annotations

from dataclasses import replace
from typing import Iterable

from app.sheets.headers import header_key
from app.sheets.layout import ColumnSpec, TabSpec

LINK_KEYS = ("application_no", "token")  # the reference form's columns a personal link pre-fills
LINK_QUESTION_NOTE = ("กรอกให้อัตโนมัติจากลิงก์ในอีเมลเชิญ โปรดอย่าแก้ไข "  # shown under each question added
                      "(filled in by the link in your invitation: please leave it as it is)")


def link_columns(tab: TabSpec) -> list[ColumnSpec]:
    """The columns behind the questions a personal link fills in, in the layout's order."""
    return [column for column in tab.columns if column.key in LINK_KEYS]


def questions_to_add(tab: TabSpec, titles: Iterable[str]) -> list[str]:
    """The titles the service expects (each column's header) of the link questions that no question title names —
    by header or alias, compared as headers are matched (spaces, case and line breaks aside)."""
    asked = {header_key(title) for title in titles}
    return [column.header for column in link_columns(tab)
            if not any(header_key(name) in asked for name in column.names)]


def answers_by_email(tab: TabSpec) -> TabSpec:
    """The reference form's layout with the link questions optional: a form without them is still read."""
    optional = tuple(replace(column, required=False) if column.key in LINK_KEYS else column for column in tab.columns)
    return replace(tab, columns=optional)


def asks_link_question(tab: TabSpec, title: str) -> bool:
    """True when a question titled so is one of the link questions (its header or an alias)."""
    return any(header_key(title) == header_key(name) for column in link_columns(tab) for name in column.names)
