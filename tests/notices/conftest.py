"""What the notice tests share: a round of two tasks whose units can be counted by hand, and a webhook
receiver — a real HTTP server on 127.0.0.1 that records every POST and answers with the status it is told."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest
from django.core.mail.backends.locmem import EmailBackend

from duban.plans.models import Assignment, Task
from duban.reporting.models import ProgressReport, ReportingRound

OPENS = date(2026, 7, 1)
DUE = date(2026, 10, 10)
# Task 17 (培训养老护理人员) is led by 省民政厅 and reaches the 19 jurisdictions of 各市县政府; task 39 (评价机制)
# names only 省发展改革委 (lead), 省民政厅 and 省卫生健康委. So the round concerns 1 + 19 + 2 = 22 units, and
# 省民政厅 owes both tasks.
TASKS = (17, 39)
UNITS_IN_ROUND = 22


@pytest.fixture
def round_(cast: Any) -> ReportingRound:
    round_ = ReportingRound.objects.create(plan=cast.plan, title="2026年第3季度", period="2026Q3", opens=OPENS, due=DUE)
    round_.tasks.set(Task.objects.filter(plan=cast.plan, number__in=TASKS))
    return round_


def assignment(plan: Any, number: int, code: str) -> Assignment:
    return Assignment.objects.get(task__plan=plan, task__number=number, unit__code=code)


def report(round_: ReportingRound, plan: Any, number: int, code: str, status: str, by: Any) -> ProgressReport:
    """A report in ``status`` made directly, for a test where only its state matters."""
    from django.utils import timezone

    return ProgressReport.objects.create(
        round=round_,
        assignment=assignment(plan, number, code),
        status=status,
        done="已完成",
        created_by=by,
        updated_by=by,
        updated_at=timezone.now(),
    )


class RefusingBackend(EmailBackend):
    """A mail server that refuses every message."""

    def send_messages(self, messages: Any) -> int:
        raise ConnectionRefusedError("mail server refused the connection")


class PickyBackend(EmailBackend):
    """A mail server that refuses one address and delivers the rest."""

    def send_messages(self, messages: Any) -> int:
        if any("mz@" in address for m in messages for address in m.to):
            raise OSError("550 mailbox unavailable")
        return super().send_messages(messages)


@dataclass
class Receiver:
    """The province's messaging system, as far as duban can tell."""

    url: str
    status: int = 200
    location: str = ""
    posts: list[dict[str, Any]] = field(default_factory=list)
    headers: list[dict[str, str]] = field(default_factory=list)
    paths: list[str] = field(default_factory=list)
    gets: list[str] = field(default_factory=list)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    state = Receiver(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            state.posts.append(json.loads(self.rfile.read(length).decode("utf-8")))
            state.headers.append(dict(self.headers.items()))
            state.paths.append(self.path)
            self.send_response(state.status)
            if state.location:
                self.send_header("Location", state.location)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def do_GET(self) -> None:
            # Where a redirected POST would land as a GET, losing its body, if redirects were followed.
            state.gets.append(self.path)
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/duban/notices"
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
