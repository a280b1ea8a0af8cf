"""The pages' words: schedules in Thai, a failure with what to do."""
from __future__ import annotations

from app.web.wording import cron_in_words, every_minutes, failure, unit_of


def test_cron_lines_in_thai_words():
    assert cron_in_words("0 7 * * 1-5") == "วันจันทร์–ศุกร์ เวลา 07:00 น."
    assert cron_in_words("30 6 * * *") == "ทุกวัน เวลา 06:30 น."
    assert cron_in_words("0 7,13 * * mon-fri") == "วันจันทร์–ศุกร์ เวลา 07:00, 13:00 น."
    assert cron_in_words("*/15 * * * *") == "ทุก 15 นาที"
    assert cron_in_words("5 4 1 * *") == "cron 5 4 1 * *"  # nothing simpler to say: shown as it is
    assert every_minutes(90) == "ทุก 1 ชั่วโมง 30 นาที" and every_minutes(15) == "ทุก 15 นาที"


def test_failures_in_thai_with_the_fix():
    what, fix = failure("spreadsheet 1x is not shared with svc@p.iam.gserviceaccount.com: share it as Editor")
    assert what == "สเปรดชีตยังไม่ได้แชร์ให้บัญชีบริการ" and "svc@p.iam.gserviceaccount.com เป็นผู้แก้ไข" in fix
    assert failure('แท็บ "ผู้สมัคร": ไม่พบหัวคอลัมน์ "อีเมล"')[0] == "แท็บขาดหัวคอลัมน์ที่จำเป็น"
    assert failure("กระบวนการที่ทำงานหายไป (its process 41 on web1 is gone: killed or restarted)")[0] \
        == "การซิงก์หยุดกลางทาง เพราะโปรแกรมถูกปิดหรือเครื่องเริ่มใหม่"
    assert failure("something odd")[0] == "การซิงก์ล้มเหลว" and failure(None) is None


def test_a_targets_unit_is_its_last_parentheses():
    assert unit_of("จำนวนวิสาหกิจที่ได้รับการพัฒนา (กิจการ)") == "กิจการ" and unit_of("ระดับ") == ""
