"""A stateful fake of Google's Sheets, Drive, Forms, Gmail and OAuth APIs for the real client libraries."""
from tests.fake_google.cells import Formula
from tests.fake_google.fake import FakeGoogle
from tests.fake_google.state import DEFAULT_EMAIL

__all__ = ["DEFAULT_EMAIL", "FakeGoogle", "Formula"]
