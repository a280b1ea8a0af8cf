"""`make demo` for workbook A with no environment set: the demo's links verify, its bad rows are listed, a second
run writes nothing and sends nothing."""
from __future__ import annotations

from app.adapters.xlsx import XlsxWorkbook
from app.cli.main import main
from app.demo_data import BAD_ROWS


def test_the_demo_runs_twice_without_a_configured_secret(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("REFERENCE_TOKEN_SECRET", raising=False)
    assert main(["init-demo"]) == 0
    config, state = "demo/config.toml", tmp_path / "demo" / "var"  # the demo keeps its state in its folder
    assert main(["sync", "assessment", "--workbook", "demo/assessment.xlsx", "--config", config]) == 0
    sent = len(list((state / "outbox").iterdir()))
    assert main(["sync", "assessment", "--workbook", "demo/assessment.xlsx", "--full-reconcile", "--config", config]) == 0
    second = capsys.readouterr().out.splitlines()[-1]
    assert "cells written 0, mail sent 0" in second
    assert sent > 0 and len(list((state / "outbox").iterdir())) == sent
    assert (state / "reference-secret").stat().st_mode & 0o777 == 0o600
    assert not (tmp_path / "var").exists()
    book = XlsxWorkbook(tmp_path / "demo" / "assessment.xlsx")
    tabs = book.read(["ติดตามบุคคลอ้างอิง", "ข้อผิดพลาดข้อมูล"])
    statuses = [row[7] for row in tabs["ติดตามบุคคลอ้างอิง"][1:]]
    assert statuses.count("ตอบแล้ว") > 50 and statuses.count("ไม่นับคำตอบ") == 1  # only the self-reference
    listed = {(row[0], row[1], row[2]) for row in tabs["ข้อผิดพลาดข้อมูล"][1:]}
    demo_a = {(tab, row, header) for tab, row, header, _ in BAD_ROWS if tab in book.tab_titles()}
    assert demo_a <= listed
