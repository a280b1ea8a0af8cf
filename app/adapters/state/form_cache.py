"""The form answers seen so far, kept in the run-state store so each run fetches only the new ones."""
from __future__ import annotations

import json
from pathlib import Path

from app.adapters.state.db import moment_of, reading, stamp, transaction
from app.sync.ports import FormResponse


class FormResponseCache:
    """The stored-answers part of RunStore (needs `path` from it)."""

    path: Path

    def stored_responses(self, source_key: str) -> list[FormResponse]:
        """Every answer kept for a form, oldest first."""
        with reading(self.path) as con:
            rows = con.execute("SELECT * FROM form_responses WHERE source_key = ? ORDER BY submitted, response_id",
                               (source_key,)).fetchall()
        return [FormResponse(r["response_id"], moment_of(r["submitted"]), r["respondent_email"],
                             json.loads(r["answers"])) for r in rows]

    def store_responses(self, source_key: str, responses: list[FormResponse], replace: bool = False) -> None:
        """Add or update answers by response id; with `replace`, the form's earlier answers are dropped first."""
        with transaction(self.path) as con:
            if replace:
                con.execute("DELETE FROM form_responses WHERE source_key = ?", (source_key,))
            con.executemany(
                "INSERT INTO form_responses (source_key, response_id, submitted, respondent_email, answers) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (source_key, response_id) DO UPDATE SET "
                "submitted = excluded.submitted, respondent_email = excluded.respondent_email, "
                "answers = excluded.answers",
                [(source_key, r.response_id, stamp(r.submitted), r.respondent_email,
                  json.dumps(r.answers, ensure_ascii=False)) for r in responses])
