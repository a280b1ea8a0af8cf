"""Mail headers in Thai: folded fast, decoded exactly as the standard SMTP policy's own folding decodes."""
from __future__ import annotations

import email
from email import policy

import pytest

from app.mail.message import build_message

STANDARD = policy.SMTP.clone(cte_type="7bit")
LONG_SUBJECT = ("[แจ้งเตือนครั้งที่ 2] ขอความอนุเคราะห์ตอบแบบประเมินผู้สมัคร: นายสมชาย ใจดี "
                "(ใบสมัคร A-00123) โครงการส่งเสริมวิสาหกิจขนาดกลางและขนาดย่อม")


@pytest.mark.parametrize("sender, to, subject", [
    ('"สำนักงานส่งเสริม" <noreply@dip.go.th>', '"นายสมศักดิ์ รักดี, ผจก." <x@y.th>, b@c.th, "Bob, Jr" <bob@x.th>',
     LONG_SUBJECT),
    ("noreply@dip.go.th", "x@y.th", "plain ASCII subject"),
    ("สมชาย <a@b.th>", "นาย ก <x@y.th>", "Re: ยืนยัน " + "x" * 90 + " ข"),
    ("a@b.th", "x@y.th", "ก" * 300),
])
def test_thai_headers_decode_as_the_standard_folding_does(sender, to, subject):
    message = build_message(sender, to, subject, "สวัสดีครับ\n")
    ours = message.as_bytes()
    message.policy = STANDARD
    standard = message.as_bytes()

    assert all(len(line) <= 78 for line in ours.split(b"\r\n"))
    ours_read = email.message_from_bytes(ours, policy=policy.default)
    standard_read = email.message_from_bytes(standard, policy=policy.default)
    for name in ("From", "To", "Subject"):
        assert str(ours_read[name]) == str(standard_read[name])
    assert [(a.display_name, a.addr_spec) for a in ours_read["To"].addresses] == \
        [(a.display_name, a.addr_spec) for a in standard_read["To"].addresses]
    assert ours_read.get_content() == "สวัสดีครับ\r\n"  # CRLF line ends, as SMTP sends them


def test_mails_of_one_run_share_parsed_headers_but_each_keeps_its_own():
    """Headers are parsed once per text (the sender, the MIME headers repeat in every mail): each mail still carries
    its own recipient and subject, and a Thai body goes base64 as the email package would choose it."""
    sent = [build_message('"สำนักงาน" <noreply@dip.go.th>', f"ref{n}@y.th", f"แบบประเมิน {n}", f"เรียน คุณ {n}\n",
                          html=f"<p>เรียน คุณ {n}</p>").as_bytes() for n in range(3)]
    for n, raw in enumerate(sent):
        read = email.message_from_bytes(raw, policy=policy.default)
        assert (str(read["From"]), str(read["To"]), str(read["Subject"])) == \
            ("สำนักงาน <noreply@dip.go.th>", f"ref{n}@y.th", f"แบบประเมิน {n}")
        assert read.get_body(("plain",)).get_content() == f"เรียน คุณ {n}\r\n"
        assert read.get_body(("html",)).get_content() == f"<p>เรียน คุณ {n}</p>\r\n"
        assert all(part["Content-Transfer-Encoding"] == "base64" for part in read.iter_parts())
    assert b"Content-Transfer-Encoding: 7bit" in build_message("a@b.th", "x@y.th", "s", "plain text\n").as_bytes()
