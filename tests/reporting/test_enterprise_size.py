"""Enterprise size (seed 003, revenue decides) and the private co-funding check, also from the CLI."""
from __future__ import annotations

import pandas as pd
import pytest

from app.cli.main import main
from app.reporting.enterprise_size import check_cofunding, classify
from app.reporting.rules_files import load_reporting_rules
from tests.seed_quotes import seed_says

RULES = load_reporting_rules()
MICRO, SMALL, MEDIUM, LARGE = "รายย่อย (micro)", "ขนาดย่อม (small)", "ขนาดกลาง (medium)", "ขนาดใหญ่ (large)"
MAKE, TRADE = "การผลิต", "การค้าและบริการ"


@pytest.mark.parametrize("sector, staff, revenue, size", [
    (MAKE, 5, 1_800_000, MICRO),          # both limits are inclusive
    (MAKE, 6, None, SMALL),               # staff alone when revenue is unknown
    (MAKE, 3, 1_800_001, SMALL),          # staff say micro, revenue says small: revenue decides
    (MAKE, 300, 90_000_000, SMALL),       # staff say large: revenue decides
    (MAKE, 50, 100_000_000, SMALL),
    (MAKE, 200, 500_000_000, MEDIUM),
    (MAKE, 10, 500_000_001, LARGE),
    (TRADE, 30, 50_000_000, SMALL),
    (TRADE, 31, None, MEDIUM),            # trade and services: small ends at 30 staff
    (TRADE, 5, 60_000_000, MEDIUM),       # … and 50 M baht
    (TRADE, 1, 300_000_001, LARGE),
    (None, 3, 1_000_000, ""),             # no sector: not classified
    (MAKE, None, None, ""),
])
def test_size_from_sector_staff_and_revenue(sector, staff, revenue, size):
    got = classify(pd.Series([sector], dtype=object), pd.Series([staff], dtype="Int64"),
                   pd.Series([revenue], dtype=float), RULES.sizes)
    assert got.tolist() == [size]


@pytest.mark.parametrize("size, cash, kind, shortfall", [
    ("startup", 60_000, 40_000, 0),      # ≥ 10 % of 1 M, cash and/or kind
    ("startup", 0, 90_000, 10_000),
    ("small", 100_000, 100_000, 0),      # ≥ 10 % cash + ≥ 10 % kind
    ("small", 250_000, 0, 100_000),      # more cash does not replace kind
    ("small", 50_000, 120_000, 50_000),
    ("micro", 100_000, 100_000, 0),      # [default] micro as small
    ("medium", 150_000, 100_000, 50_000),
    ("large", 500_000, 0, 0),            # ≥ 50 % cash, kind not required
    ("large", 400_000, 900_000, 100_000),
])
def test_cofunding_shortfall_in_baht(size, cash, kind, shortfall):
    result = check_cofunding(RULES.cofunding[size], 1_000_000, cash, kind)
    assert result.shortfall == shortfall and result.met is (shortfall == 0)


def test_cofunding_from_the_cli(capsys):
    code = main(["cofunding", "--size", "small", "--budget", "1,000,000", "--cash", "50000", "--in-kind", "120000"])
    out = capsys.readouterr().out
    assert code == 0
    assert "ไม่ผ่านเกณฑ์การร่วมสนับสนุน (co-funding not met)" in out and "50,000.00 บาท (shortfall 50,000.00 baht)" in out
    assert main(["cofunding", "--size", "medium", "--budget", "๑๐๐,๐๐๐", "--cash", "15000", "--in-kind", "15000"]) == 0
    assert "(co-funding met)" in capsys.readouterr().out


@pytest.mark.parametrize("argv", [["--size", "huge", "--budget", "100"], ["--size", "small", "--budget", "-5"],
                                  ["--size", "small"], ["--size", "small", "--budget", "100", "--cash", "lots"]])
def test_bad_cofunding_input_exits_2_with_one_line(argv, capsys):
    assert main(["cofunding", *argv]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and len(captured.err.strip().splitlines()) == 1 and captured.err.startswith("error:")


UNIVERSITY_RULE = ("ต้องมีหน่วยงานอื่น เช่น ภาคเอกชนร่วมสนับสนุน ไม่น้อยกว่าร้อยละ 20 (แบ่งเป็น in cash ไม่น้อยกว่าร้อยละ 10 "
                   "ของ “เงินทุนที่ใช้ในการทำโครงการ” และ in kind ไม่น้อยกว่าร้อยละ 10 ของ “เงินทุนที่ใช้ในการทำโครงการ”)")


@pytest.mark.parametrize("cash, kind, shortfall", [
    (100_000, 100_000, 0),       # exactly 10 % + 10 %
    (99_999, 101_000, 1),        # cash is checked on its own
    (200_000, 0, 100_000),       # more cash does not replace kind
])
def test_cofunding_of_an_academic_or_public_applicant(cash, kind, shortfall):
    """Seed 003: "กรณีผู้มีสิทธิเสนอขอรับทุนเป็นสถาบันการศึกษา (รัฐและเอกชน)/ ... ต้องมีหน่วยงานอื่น เช่น
    ภาคเอกชนร่วมสนับสนุน ไม่น้อยกว่าร้อยละ 20 (แบ่งเป็น in cash ไม่น้อยกว่าร้อยละ 10 ... และ in kind ไม่น้อยกว่าร้อยละ 10 ...)"."""
    seed_says("003", UNIVERSITY_RULE)
    result = check_cofunding(RULES.cofunding["university"], 1_000_000, cash, kind)
    assert result.shortfall == shortfall and result.required_total == 200_000


@pytest.mark.parametrize("size", ["university", "academic", "Research"])
def test_university_cofunding_from_the_cli(size, capsys):
    code = main(["cofunding", "--size", size, "--budget", "1,000,000", "--cash", "100000", "--in-kind", "100000"])
    out = capsys.readouterr().out
    assert code == 0 and "ต้องมีเงินสด ≥ 100,000.00, สิ่งของ ≥ 100,000.00, รวม ≥ 200,000.00" in out
    assert "(co-funding met)" in out and "ระดับ TRL" in out


def test_an_unknown_applicant_type_lists_the_choices(capsys):
    assert main(["cofunding", "--size", "college", "--budget", "100"]) == 2
    assert "university" in capsys.readouterr().err
