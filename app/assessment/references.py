"""Reference persons: who each applicant named, and which answer belongs to whom (by application number and token).

Flags (spec, tab ติดตามบุคคลอ้างอิง › ข้อสังเกต): self-reference and the same person named twice are not invited and
not counted; an answer without a valid token is not counted unless the setting allows it (then it is matched by
the respondent's email) or the form asks no token yet (then the collected email decides); an answer from another
address than the invited one is counted and noted. The latest answer of one reference counts.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from app.sheets.problems import RowProblem, problem_text
from app.assessment.reference_links import normal_token, reference_tokens
from app.sheets.text_columns import join_where

SLOTS = (1, 2, 3)
NO_EMAIL = "ไม่มีอีเมลที่ใช้ได้: ส่งคำเชิญไม่ได้ (no usable email)"
SELF = "ผู้สมัครระบุตนเองเป็นบุคคลอ้างอิง: ไม่เชิญและไม่นับ (self-reference: not invited, not counted)"
UNKNOWN_APPLICATION = problem_text("ไม่พบเลขที่ใบสมัครนี้ในแท็บผู้สมัคร", "unknown application number")
NO_TOKEN = "รหัสยืนยันไม่ถูกต้องหรือไม่มี: ไม่นับ (token invalid or missing: not counted)"
BY_SETTING = "ไม่มีรหัสยืนยันที่ถูกต้อง แต่ตั้งค่าให้นับ (no valid token; counted by setting)"
BY_EMAIL = ("แบบฟอร์มยังไม่มีคำถามรหัสยืนยัน: นับเพราะอีเมลที่ตอบเป็นอีเมลที่เชิญ "
            "(the form asks no token yet: counted because the collected email is the invited one)")
NOT_INVITED = problem_text("อีเมลที่ตอบไม่ใช่อีเมลของบุคคลอ้างอิงที่เชิญ: ไม่นับ",
                           "the collected email is no invited reference's: not counted")
NO_COLLECTED_EMAIL = problem_text("ไม่มีอีเมลผู้ตอบ: ไม่รู้ว่าเป็นคำตอบของใคร ไม่นับ (เปิดการเก็บอีเมลในแบบฟอร์ม "
                                  "หรือเพิ่มคำถาม เลขที่ใบสมัคร และ รหัสยืนยัน)",
                                  "no collected email: whose answer it is cannot be told; not counted")
_TITLES = re.compile(r"^(?:(?:นางสาว|นาง|นาย|น\.ส\.|ดร\.|ผศ\.|รศ\.|ศ\.|คุณ|mrs?\.?|ms\.?|miss|dr\.?)\s*)+")


@dataclass(frozen=True)
class MatchedAnswers:
    """Named references with their answer, the counted ratings, answers nobody was invited for, and problems."""

    references: pd.DataFrame  # named references + answered_at, counted, answered_email, remarks
    ratings: pd.DataFrame  # one row per counted answer: application_no and one float column per topic code
    strays: pd.DataFrame  # application_no, name, email, answered_at, remarks of answers matching no invited reference
    problems: list[RowProblem]


def named_references(applicants: pd.DataFrame, secret: bytes) -> pd.DataFrame:
    """One row per named reference: application_no, order, slot, name, email, token and `skip` (why not invited)."""
    parts = [pd.DataFrame({"application_no": applicants["application_no"], "order": applicants.index, "slot": slot,
                           "name": applicants[f"reference{slot}_name"], "email": applicants[f"reference{slot}_email"]})
             for slot in SLOTS]
    refs = pd.concat(parts, ignore_index=True)
    refs = refs[refs["name"].notna() | refs["email"].notna()].sort_values(["order", "slot"], ignore_index=True)
    own = applicants.set_index("application_no")
    own_name = _name_key(own["first_name"].fillna("") + " " + own["last_name"].fillna(""))
    apps, emails, names = refs["application_no"], refs["email"], _name_key(refs["name"])
    phone_digits = emails.fillna("").str.split("@").str[0].str.replace(r"\D", "", regex=True)
    itself = (emails.notna() & emails.eq(apps.map(own["email"]))) | (names != "") & names.eq(apps.map(own_name)) \
        | (phone_digits != "") & phone_digits.eq(apps.map(own["phone"]))
    by_email = emails.notna() & refs.duplicated(["application_no", "email"])
    by_name = (names != "") & pd.concat([apps, names], axis=1).duplicated()
    first = _first_slot(refs, names)
    same = "บุคคลเดียวกับบุคคลอ้างอิง " + first.astype(str) + ": เชิญครั้งเดียว (same person named twice)"
    refs["skip"] = np.select([emails.isna(), itself, by_email | by_name], [NO_EMAIL, SELF, same], "")
    has_email = emails.map(lambda e: isinstance(e, str)).to_numpy(dtype=bool)
    tokens = np.full(len(refs), "", dtype=object)
    tokens[has_email] = reference_tokens(secret, apps[has_email], emails[has_email])
    refs["token"] = tokens
    return refs


def match_answers(answers: pd.DataFrame, refs: pd.DataFrame, applications: pd.Series, codes: list[str], *,
                  allow_unverified: bool, tab: str, number_header: str, email_header: str = "",
                  asks_token: bool = True, asked_since: pd.Timestamp | None = None) -> MatchedAnswers:
    """Attribute each answer to a named reference; keep the latest per reference; say what was odd.

    While the form asks no token (`asks_token` False), and for blank-token answers given before the service added
    the question (`asked_since`, local time), an answer counts when the address the form collected (column
    `email_header`) is an invited reference's — of the applicant whose number it gives, or, where the form asks no
    number either, of the one applicant who named that address."""
    invitable = refs[refs["token"] != ""]
    blank = answers["token"].map(normal_token) == ""
    early = not asks_token or (asked_since is not None and answers["timestamp"].lt(asked_since))
    answers = answers.assign(_by_email=blank & early)
    answers, problems = _numbered_by_email(answers, invitable, tab, email_header)
    answers = answers[answers["application_no"].notna()]
    known = answers["application_no"].isin(applications)
    problems += [RowProblem(tab, int(row), number_header, str(number), UNKNOWN_APPLICATION)
                 for row, number in zip(answers.loc[~known, "_row"], answers.loc[~known, "application_no"])]
    answers = answers[known].sort_values(["timestamp", "_row"], na_position="first")
    by_token = _lookup(invitable["application_no"] + "|" + invitable["token"])
    ref = (answers["application_no"] + "|" + answers["token"].map(normal_token)).map(by_token)
    by_email = _lookup(invitable["application_no"] + "|" + invitable["email"])
    emailed = (answers["application_no"] + "|" + answers["respondent_email"].fillna("")).map(by_email)
    ref = ref.fillna(emailed.where(answers["_by_email"] | allow_unverified))
    answers = answers.assign(_ref=ref, _verified=ref.notna() & (answers["token"].map(normal_token) != ""))
    matched = answers[answers["_ref"].notna()]
    latest = matched.drop_duplicates("_ref", keep="last").set_index("_ref")
    refs = refs.assign(answered_at=latest["timestamp"].reindex(refs.index),
                       answered_email=latest["respondent_email"].reindex(refs.index),
                       answers=matched["_ref"].value_counts().reindex(refs.index, fill_value=0))
    refs["counted"] = (refs["answers"] > 0) & (refs["skip"] == "")
    verified = latest["_verified"].reindex(refs.index).fillna(True).astype(bool)
    why = pd.Series(np.where(latest["_by_email"].eq(True), BY_EMAIL, BY_SETTING), index=latest.index)
    refs["remarks"] = _remarks(refs, verified, why.reindex(refs.index).fillna(BY_SETTING))
    ratings = latest.loc[latest.index.isin(refs.index[refs["counted"]])]
    unmatched = answers[answers["_ref"].isna()]
    strays = _strays(unmatched, pd.Series(np.where(unmatched["_by_email"].eq(True), NOT_INVITED, NO_TOKEN),
                                          index=unmatched.index, dtype=object))
    return MatchedAnswers(refs, _ratings(ratings, codes), strays, problems)


def _numbered_by_email(answers: pd.DataFrame, invitable: pd.DataFrame, tab: str,
                       email_header: str) -> tuple[pd.DataFrame, list[RowProblem]]:
    """Answers known by email with no application number get the number of the one applicant who named the
    collected address as a reference; an address nobody invited, or several applicants named, is a problem."""
    unnumbered = answers["application_no"].isna() & answers["_by_email"]
    if not unnumbered.any():
        return answers, []
    inviters = invitable.drop_duplicates(["email", "application_no"]).groupby("email")["application_no"].agg(list)
    found = answers.loc[unnumbered, "respondent_email"].map(inviters)
    single = found.map(lambda numbers: numbers[0] if isinstance(numbers, list) and len(numbers) == 1 else None)
    problems = []
    for row, email, numbers in zip(answers.loc[unnumbered, "_row"], answers.loc[unnumbered, "respondent_email"],
                                   found):
        if not isinstance(numbers, list):
            text = NO_COLLECTED_EMAIL if pd.isna(email) else NOT_INVITED
        elif len(numbers) > 1:
            text = problem_text(f"อีเมลนี้เป็นบุคคลอ้างอิงของผู้สมัครหลายราย ({', '.join(numbers)}): ไม่นับ"
                                f"จนกว่าแบบฟอร์มจะมีคำถาม เลขที่ใบสมัคร และ รหัสยืนยัน",
                                f"this address is a reference of {len(numbers)} applicants: not counted until the "
                                "form asks the application number and token")
        else:
            continue
        problems.append(RowProblem(tab, int(row), email_header, "" if pd.isna(email) else str(email), text))
    numbered = answers.copy()
    numbered.loc[unnumbered, "application_no"] = single
    return numbered, problems


def _remarks(refs: pd.DataFrame, verified: pd.Series, unverified_note: pd.Series) -> pd.Series:
    other = refs["answered_email"].notna() & refs["answered_email"].ne(refs["email"])
    return join_where([
        (refs["skip"] != "", refs["skip"]),
        (other, "ตอบจากอีเมล " + refs["answered_email"].fillna("")
         + " ไม่ใช่อีเมลที่เชิญ (answered from another address)"),
        (refs["answers"] > 1, "ตอบ " + refs["answers"].astype(str)
         + " ครั้ง ใช้คำตอบล่าสุด (the latest answer counts)"),
        ((refs["answers"] > 0) & ~verified, unverified_note),
    ], refs.index)


def _ratings(latest: pd.DataFrame, codes: list[str]) -> pd.DataFrame:
    """Scores as floats; ไม่ทราบ, blank and unreadable ratings are missing."""
    columns = {code: pd.to_numeric(latest.get(f"topic:{code}", pd.Series(index=latest.index, dtype=object)),
                                   errors="coerce").astype(float) for code in codes}
    return pd.DataFrame({"application_no": latest["application_no"], **columns}).reset_index(drop=True)


def _strays(strays: pd.DataFrame, why: pd.Series) -> pd.DataFrame:
    return pd.DataFrame({"application_no": strays["application_no"], "name": strays["reviewer_name"],
                         "email": strays["respondent_email"], "answered_at": strays["timestamp"], "remarks": why},
                        ).reset_index(drop=True)


def _lookup(keys: pd.Series) -> pd.Series:
    """Key → the first row (index label) that has it."""
    return pd.Series(keys.index, index=keys.to_numpy()).groupby(level=0).first()


def _first_slot(refs: pd.DataFrame, names: pd.Series) -> pd.Series:
    by_email = refs.groupby(["application_no", "email"], dropna=False)["slot"].transform("first")
    by_name = refs.assign(_name=names).groupby(["application_no", "_name"])["slot"].transform("first")
    return by_email.where(refs.duplicated(["application_no", "email"]) & refs["email"].notna(), by_name)


def _name_key(names: pd.Series) -> pd.Series:
    """A name without titles (นาย, นาง, ดร. …), spaces collapsed, case folded; "" for none."""
    text = names.fillna("").astype(str)  # one pass per name (pandas' str chain made five)
    return pd.Series([" ".join(_TITLES.sub("", t.strip().casefold()).split()) for t in text], index=text.index,
                     dtype=object)
