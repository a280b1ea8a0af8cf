"""Replay every recorded real Google session (/work/shared/google_traffic) against the fake and compare.

Each request is sent as recorded (body bytes, method, path, query), with the recorded spreadsheet ids and
sheetIds swapped for the ones the fake handed out. Each answer must equal the recorded one, except for what
the fake deliberately does not model (see NOT_MODELLED)."""
from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
import requests

TRAFFIC = Path(os.environ.get("GOOGLE_TRAFFIC_DIR", "/work/shared/google_traffic"))
CASSETTES = sorted(TRAFFIC.glob("*.json"))
HOSTS = ("https://sheets.googleapis.com", "https://www.googleapis.com")
TOKEN = "replay-token"
RFC3339 = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z")

# What the fake does not reproduce, and why:
# - spreadsheets.get `properties.defaultFormat` / `properties.spreadsheetTheme`: the UI's default cell format and
#   theme colours; nothing in the service reads them, so the fake omits them.
# - drive.files.get `createdTime` / `modifiedTime`: wall-clock times of the recording; only their RFC 3339
#   shape is compared.
NOT_MODELLED = {"sheets.spreadsheets.get": ("defaultFormat", "spreadsheetTheme")}
TIMES = ("createdTime", "modifiedTime")


def _comparable(method_id: str, body):
    """The parts of an answer that must match the recording."""
    if not isinstance(body, dict):
        return body
    body = dict(body)
    if "properties" in body and method_id in NOT_MODELLED:
        body["properties"] = {k: v for k, v in body["properties"].items() if k not in NOT_MODELLED[method_id]}
    for key in TIMES:
        if key in body:
            assert RFC3339.fullmatch(body[key]), (key, body[key])
            body[key] = "<time>"
    return body


class Replay:
    """One cassette's id mapping: recorded spreadsheet ids and sheetIds → the fake's."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.ids: dict[str, str] = {}
        self.sheet_ids: dict[int, int] = {0: 0}

    def text(self, value: str) -> str:
        for recorded, ours in self.ids.items():
            value = value.replace(recorded, ours)
        return value

    def json(self, value):
        """Recorded JSON with ids mapped (strings by replacement, sheetId fields by the map)."""
        if isinstance(value, dict):
            return {k: (self.sheet_ids.get(v, v) if k == "sheetId" else self.json(v)) for k, v in value.items()}
        if isinstance(value, list):
            return [self.json(v) for v in value]
        return self.text(value) if isinstance(value, str) else value

    def url(self, uri: str) -> str:
        for host in HOSTS:
            if uri.startswith(host):
                return self.base_url + self.text(uri[len(host):])
        raise AssertionError(f"unexpected host in {uri}")

    def learn(self, recorded: dict, ours: dict) -> None:
        """Drive's created file id and addSheet's sheetIds, from the recorded and the fake answers."""
        if recorded.get("kind") == "drive#file" and "id" in recorded:
            self.ids[recorded["id"]] = ours["id"]
        for mine, theirs in zip(ours.get("replies", []), recorded.get("replies", [])):
            if "addSheet" in theirs:
                self.sheet_ids[theirs["addSheet"]["properties"]["sheetId"]] = mine["addSheet"]["properties"]["sheetId"]


def _send(replay: Replay, request: dict) -> requests.Response:
    headers = {"Authorization": f"Bearer {TOKEN}"}
    body = request["body"]
    if body:
        body = json.dumps(replay.json(json.loads(body))).encode("utf-8")
        headers["Content-Type"] = "application/json"
    return requests.request(request["method"], replay.url(request["uri"]), data=body, headers=headers, timeout=10)


@pytest.mark.parametrize("cassette", CASSETTES, ids=[c.stem for c in CASSETTES])
def test_recorded_session_replays_identically(fake_google, cassette):
    fake_google.allow_token(TOKEN)
    replay = Replay(fake_google.base_url)
    interactions = json.loads(cassette.read_text(encoding="utf-8"))["interactions"]
    assert interactions
    for number, interaction in enumerate(interactions):
        request, recorded = interaction["request"], interaction["response"]
        answer = _send(replay, request)
        method_id = fake_google.requests[-1][0]
        where = f"{cassette.stem} #{number} {request['method']} {request['uri']}"
        assert answer.status_code == recorded["status"]["code"], f"{where}: {answer.text}"
        recorded_text = recorded["body"]["string"]
        if not recorded_text:
            assert answer.content == b"", where
            continue
        recorded_body, ours = json.loads(recorded_text), answer.json()
        replay.learn(recorded_body, ours)
        assert _comparable(method_id, ours) == _comparable(method_id, replay.json(recorded_body)), where


def test_every_cassette_is_replayed():
    """The glob above finds the recordings (a missing directory must not pass as zero tests)."""
    assert len(CASSETTES) >= 40
