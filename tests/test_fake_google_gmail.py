"""The fake Gmail API: sending needs domain-wide delegation (a JWT `sub`), as for a real service account."""
import base64
from email.message import EmailMessage

import pytest
import requests
from googleapiclient.errors import HttpError

from tests.fake_google.clients import credentials, discovery, error_body

GMAIL_SEND = ["https://www.googleapis.com/auth/gmail.send"]
OFFICER = "officer@sme.example.go.th"


def _message() -> bytes:
    message = EmailMessage()
    message["To"], message["From"], message["Subject"] = "owner@example.com", OFFICER, "ผลการประเมิน"
    message.set_content("เรียนผู้ประกอบการ")
    return message.as_bytes()


def _raw() -> dict:
    return {"raw": base64.urlsafe_b64encode(_message()).decode()}


def test_send_without_delegation_is_failed_precondition(fake_google):
    gmail = discovery(fake_google, "gmail", "v1", credentials(fake_google, GMAIL_SEND)).users().messages()
    with pytest.raises(HttpError) as caught:
        gmail.send(userId="me", body=_raw()).execute()
    error = error_body(caught.value)
    assert (error["code"], error["status"], error["errors"][0]["reason"]) == (400, "FAILED_PRECONDITION",
                                                                               "failedPrecondition")
    assert fake_google.sent_messages == []


def test_delegated_send_is_recorded_as_an_email_message(fake_google):
    gmail = discovery(fake_google, "gmail", "v1", credentials(fake_google, GMAIL_SEND, subject=OFFICER))
    answer = gmail.users().messages().send(userId="me", body=_raw()).execute()
    assert answer["labelIds"] == ["SENT"] and answer["threadId"] == answer["id"]
    (sent,) = fake_google.sent_messages
    assert (sent["userId"], sent["subject"], sent["id"]) == ("me", OFFICER, answer["id"])
    assert isinstance(sent["message"], EmailMessage) and sent["message"]["Subject"] == "ผลการประเมิน"
    assert sent["message"].get_content().strip() == "เรียนผู้ประกอบการ"
    assert fake_google.request_counts["gmail.users.messages.send"] == 1


def test_media_upload_path_is_accepted(fake_google):
    """googleapiclient keeps https:// for media-upload URLs even with an http api_endpoint, so it cannot
    reach the fake that way (send body={"raw": ...}); the upload path itself is served for raw HTTP clients."""
    fake_google.allow_token("mail-test", scopes=GMAIL_SEND, subject=OFFICER)
    url = f"{fake_google.base_url}/upload/gmail/v1/users/me/messages/send"
    headers = {"Authorization": "Bearer mail-test"}
    media = requests.post(url, params={"uploadType": "media"}, data=_message(),
                          headers={**headers, "Content-Type": "message/rfc822"}, timeout=5)
    related = ('--b\r\nContent-Type: application/json\r\n\r\n{}\r\n--b\r\nContent-Type: message/rfc822\r\n\r\n'
               .encode() + _message() + b"\r\n--b--\r\n")
    multipart = requests.post(url, params={"uploadType": "multipart"}, data=related,
                              headers={**headers, "Content-Type": 'multipart/related; boundary="b"'}, timeout=5)
    assert (media.status_code, multipart.status_code) == (200, 200), (media.text, multipart.text)
    assert [m["message"]["To"] for m in fake_google.sent_messages] == ["owner@example.com"] * 2
    assert fake_google.requests[-1][:3] == ("gmail.users.messages.send", "POST",
                                            "/upload/gmail/v1/users/me/messages/send")


def test_sending_as_someone_else_or_without_the_scope_is_refused(fake_google):
    gmail = discovery(fake_google, "gmail", "v1", credentials(fake_google, GMAIL_SEND, subject=OFFICER))
    with pytest.raises(HttpError) as other_user:
        gmail.users().messages().send(userId="boss@sme.example.go.th", body=_raw()).execute()
    assert error_body(other_user.value)["code"] == 403
    sheets_only = discovery(fake_google, "gmail", "v1", credentials(
        fake_google, ["https://www.googleapis.com/auth/spreadsheets"], subject=OFFICER))
    with pytest.raises(HttpError) as scoped:
        sheets_only.users().messages().send(userId="me", body=_raw()).execute()
    assert error_body(scoped.value)["message"] == "Request had insufficient authentication scopes."
