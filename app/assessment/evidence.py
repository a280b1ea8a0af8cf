"""Is an applicant's evidence complete? The document review exists and either enough references answered or the
wait for them is over (spec, tab สรุปผลการประเมิน: `รอข้อมูล` says what is missing)."""
from __future__ import annotations

import numpy as np
import pandas as pd

from app.sheets.text_columns import be_date, join_where


def evidence(applications: pd.Index, refs: pd.DataFrame, sent: pd.DataFrame, reviewed: pd.Series, now: pd.Timestamp,
             min_references: int, wait_days: int) -> pd.DataFrame:
    """Per applicant: `answered` and `invited` references, `complete`, `missing` (what is still awaited) and
    `references_settled` (when the references stopped being awaited: the last counted answer, or the wait's end).

    The wait starts when the first invitation went out and lasts `wait_days`; it is over at once when no invitable
    reference is left unanswered."""
    invitable = refs["skip"] == ""
    by_applicant = refs.assign(
        invitable=invitable, unanswered=invitable & (refs["answers"] == 0),
        invited_at=sent["invited_at"].where(sent["invite_state"].notna() & (sent["invite_state"] != "failed")),
        counted_at=pd.to_datetime(refs["answered_at"]).where(refs["counted"]),
    ).groupby("application_no")
    answered = by_applicant["counted"].sum().reindex(applications, fill_value=0).astype(int)
    invited = by_applicant["invitable"].sum().reindex(applications, fill_value=0).astype(int)
    unanswered = by_applicant["unanswered"].sum().reindex(applications, fill_value=0)
    wait_end = pd.to_datetime(by_applicant["invited_at"].min().reindex(applications)) + pd.Timedelta(days=wait_days)
    wait_over = (unanswered == 0) | (wait_end <= now)
    enough = (answered >= min_references) | wait_over
    has_review = reviewed.reindex(applications, fill_value=False).astype(bool)
    waiting = np.where(wait_end.notna(), " รอถึง " + be_date(wait_end), " ยังไม่ได้ส่งคำเชิญ")
    missing = join_where([
        (~has_review, "ยังไม่มีผลประเมินเอกสาร (no document review yet)"),
        (~enough, "บุคคลอ้างอิงตอบ " + answered.astype(str) + f" จาก {min_references} คน" + waiting
         + " (references still awaited)"),
    ], applications)
    last_answer = pd.to_datetime(by_applicant["counted_at"].max().reindex(applications))
    waited_out = wait_end.where((unanswered > 0) & (wait_end <= now))
    settled = pd.concat([last_answer, waited_out], axis=1).max(axis=1).where(enough)
    return pd.DataFrame({"answered": answered, "invited": invited, "complete": has_review & enough,
                         "missing": missing, "references_settled": settled}, index=applications)
