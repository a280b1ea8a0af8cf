"""`python -m app forms prepare JOB` against the fake Google through google-api-python-client: the reference form gets
the two questions its personal links fill in, once; scope forms.body only for this command; one-line errors."""
from __future__ import annotations

import json

import pytest

from app.cli.main import main

EDIT = "https://www.googleapis.com/auth/forms.body"
OFFICERS_FORM = [{"title": "ชื่อผู้ประเมิน", "kind": "text"}, {"title": "ความสัมพันธ์กับผู้สมัคร", "kind": "text"},
                 {"title": "ผลการประเมิน", "kind": "grid", "rows": ["C1 ความรู้ในสาขา"],
                  "columns": ["มากที่สุด", "มาก", "ปานกลาง", "น้อย", "น้อยที่สุด"]}]
BATCH = "forms.forms.batchUpdate"


@pytest.fixture
def configured(fake_google, tmp_path, monkeypatch):
    """A config naming an assessment job whose reference form is the officers' own (no number, no token)."""
    monkeypatch.chdir(tmp_path)
    key = tmp_path / "key.json"
    key.write_text(json.dumps(fake_google.service_account_info()), encoding="utf-8")

    def config(form_id: str | None) -> str:
        form = f'reference_form_id = "{form_id}"\n' if form_id else ""
        path = tmp_path / "config.toml"
        path.write_text(f'[google]\ncredentials_file = "{key}"\nendpoint = "{fake_google.base_url}"\n'
                        f'backoff_base = 0\n[jobs.assessment]\nkind = "assessment"\nspreadsheet_id = "x"\n{form}',
                        encoding="utf-8")
        return str(path)
    return config


def scopes_granted(fake) -> list[frozenset]:
    return [identity.scopes for identity in fake.auth._tokens.values()]


def test_prepare_adds_the_two_questions_once(fake_google, configured, capsys):
    form = fake_google.create_form("แบบประเมินศักยภาพผู้ให้บริการธุรกิจอุตสาหกรรม", OFFICERS_FORM)
    config = configured(form)
    granted = len(scopes_granted(fake_google))
    assert main(["--config", config, "forms", "prepare", "assessment"]) == 0
    items = fake_google.state.forms[form].resource["items"]
    assert [item["title"] for item in items] == ["เลขที่ใบสมัคร", "รหัสยืนยัน", *(q["title"] for q in OFFICERS_FORM)]
    assert all(item["questionItem"]["question"]["textQuestion"] == {"paragraph": False} for item in items[:2])
    out = capsys.readouterr().out
    assert f"{items[0]['itemId']}  เลขที่ใบสมัคร\n  {items[1]['itemId']}  รหัสยืนยัน" in out and "added 2" in out
    assert scopes_granted(fake_google)[granted:] == [frozenset({EDIT})]  # this command's only token
    update = next(body for method, _, _, _, body in fake_google.requests if method == BATCH)
    assert update["writeControl"]["requiredRevisionId"] == "00000001"  # a change in between would be refused

    assert main(["--config", config, "forms", "prepare", "assessment"]) == 0  # again: nothing to add
    out = capsys.readouterr().out
    assert "already asks both questions — nothing added" in out and items[1]["itemId"] in out
    assert fake_google.request_counts[BATCH] == 1 and len(fake_google.state.forms[form].resource["items"]) == 5


def test_a_dry_run_says_what_it_would_add_and_changes_nothing(fake_google, configured, capsys):
    form = fake_google.create_form("แบบประเมิน", [{"title": "รหัสยืนยัน", "kind": "text"}, *OFFICERS_FORM])
    assert main(["--config", configured(form), "forms", "prepare", "assessment", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "dry run — would add 1 short-answer question(s)" in out and "  เลขที่ใบสมัคร\n" in out
    assert "รหัสยืนยัน" not in out.split("\n", 1)[1] and fake_google.request_counts.get(BATCH, 0) == 0


def test_other_commands_never_ask_for_forms_body(fake_google, configured, capsys):
    form = fake_google.create_form("แบบประเมิน", OFFICERS_FORM)
    granted = len(scopes_granted(fake_google))
    main(["--config", configured(form), "check"])
    asked = scopes_granted(fake_google)[granted:]
    assert asked and not [scopes for scopes in asked if EDIT in scopes]
    assert "does not ask เลขที่ใบสมัคร, รหัสยืนยัน" in capsys.readouterr().out


@pytest.mark.parametrize("case, code, line", [
    ("no form", 2, "job 'assessment' has no reference form: set jobs.assessment.reference_form_id"),
    ("viewer", 1, "(permission denied: HTTP 403 PERMISSION_DENIED The caller does not have permission): share the "
                  "form with svc@fake-project.iam.gserviceaccount.com as Editor"),
    ("missing", 1, "(form not found: HTTP 404 NOT_FOUND Requested entity was not found.): check reference_form_id"),
])
def test_errors_are_one_line_with_the_fix(fake_google, configured, capsys, case, code, line):
    form = {"no form": None, "missing": "no-such-form",
            "viewer": fake_google.create_form("แบบประเมิน", OFFICERS_FORM, shared_with=[],
                                              viewers=["svc@fake-project.iam.gserviceaccount.com"])}[case]
    assert main(["--config", configured(form), "forms", "prepare", "assessment"]) == code
    err = capsys.readouterr().err
    errors = [text for text in err.splitlines() if text.startswith("error: ")]
    assert len(errors) == 1 and line in errors[0] and "Traceback" not in err
