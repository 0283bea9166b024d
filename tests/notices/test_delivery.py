"""Sending: the webhook receives the documented JSON, a failure is recorded with its error and tried again on
the next run, and no failure stops the others or loses a notice."""

from __future__ import annotations

import socket
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from django.utils import timezone

from duban.audit.models import AuditEntry
from duban.notices.models import Delivery, Notice, UnitChannel
from duban.notices.services import deliveries_retry, deliveries_send, inbox_link, remind_run
from duban.orgs.models import OrgUnit
from duban.reporting.models import ReportingRound
from tests.notices.conftest import DUE, UNITS_IN_ROUND, Receiver


def channel(code: str, **fields: str) -> UnitChannel:
    return UnitChannel.objects.create(unit=OrgUnit.objects.get(code=code), **fields)


def closed_port_url() -> str:
    """An address on which nothing listens: the port was just free and is closed again."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return f"http://127.0.0.1:{port}/hook"


@pytest.mark.django_db
def test_webhook_receives_the_notice_as_json(cast: Any, round_: ReportingRound, receiver: Receiver) -> None:
    channel("460100", webhook_url=receiver.url)
    report_ = remind_run(today=DUE + timedelta(days=5))

    assert len(receiver.posts) == 1
    notice = Notice.objects.get(unit__code="460100")
    body = receiver.posts[0]
    assert body == {
        "id": notice.pk,
        "key": f"overdue:{round_.pk}:{notice.unit_id}",
        "kind": "overdue",
        "kind_zh": "已逾期",
        "audience": "unit",
        "audience_zh": "单位填报员",
        "unit": {"code": "460100", "name": "海口市"},
        "round": {"id": round_.pk, "title": "2026年第3季度", "period": "2026Q3", "due": "2026-10-10"},
        "report_id": None,
        "subject": "【催报】2026年第3季度进展报告已逾期 5 天",
        "body": notice.body,
        "created_at": timezone.localtime(notice.created_at).isoformat(),
        "link": inbox_link(),
    }
    assert body["created_at"].endswith("+08:00")
    assert receiver.paths == ["/duban/notices"]
    assert receiver.headers[0]["Content-Type"] == "application/json; charset=utf-8"
    hook = Delivery.objects.get(channel=Delivery.Channel.WEBHOOK)
    assert (hook.address, hook.state, hook.attempts, hook.last_error) == (receiver.url, "sent", 1, "")
    assert hook.sent_at is not None and hook.last_try_at == hook.sent_at
    assert len(report_.results) == 3 and all(r.ok for r in report_.results)  # the webhook and two e-mails


@pytest.mark.django_db
def test_office_escalations_go_to_the_office_units_webhook(
    cast: Any, round_: ReportingRound, receiver: Receiver
) -> None:
    # 省发展改革委 is both the office's unit and, for task 39, a unit that owes a report.
    channel("HI-FGW", webhook_url=receiver.url)
    remind_run(today=DUE + timedelta(days=7))
    by_audience = sorted((p["audience"], p["unit"]["code"]) for p in receiver.posts)
    # Its own overdue notice and its approvers' escalation, then the office's escalation about each late unit.
    assert len(by_audience) == 2 + UNITS_IN_ROUND
    assert ("unit", "HI-FGW") in by_audience and ("approvers", "HI-FGW") in by_audience
    assert sum(1 for audience, _ in by_audience if audience == "office") == UNITS_IN_ROUND
    assert {p["kind"] for p in receiver.posts if p["audience"] == "office"} == {"escalation"}


@pytest.mark.django_db
def test_a_failing_webhook_is_recorded_and_retried_until_it_works(
    cast: Any, round_: ReportingRound, receiver: Receiver, mailoutbox: list[Any]
) -> None:
    channel("460100", webhook_url=receiver.url)
    receiver.status = 500
    first = remind_run(today=DUE + timedelta(days=1))

    hook = Delivery.objects.get(channel=Delivery.Channel.WEBHOOK)
    assert (hook.state, hook.attempts, hook.sent_at) == (Delivery.State.FAILED, 1, None)
    assert hook.last_error == "HTTPError: HTTP Error 500: Internal Server Error"
    assert hook.last_try_at is not None
    # The failure stopped nothing: both e-mails went out.
    assert sorted(m.to[0] for m in mailoutbox) == ["hk@example.org", "mz@example.org"]
    assert first.sent == 2 and [f.address for f in first.failed] == [receiver.url]

    second = remind_run(today=DUE + timedelta(days=2))
    assert second.notices == [] and second.sent == 0 and len(second.failed) == 1
    hook.refresh_from_db()
    assert (hook.state, hook.attempts) == (Delivery.State.FAILED, 2)

    receiver.status = 204
    third = remind_run(today=DUE + timedelta(days=3))
    assert third.notices == [] and third.sent == 1 and third.failed == []
    hook.refresh_from_db()
    assert (hook.state, hook.attempts) == (Delivery.State.SENT, 3)
    assert hook.sent_at is not None
    assert len(receiver.posts) == 3 and len({p["id"] for p in receiver.posts}) == 1
    assert len(mailoutbox) == 2  # the e-mails were not sent again

    assert remind_run(today=DUE + timedelta(days=4)).results == []
    assert len(receiver.posts) == 3


@pytest.mark.django_db
def test_a_closed_port_is_a_failure_that_is_kept(cast: Any, round_: ReportingRound, receiver: Receiver) -> None:
    url = closed_port_url()
    channel("460100", webhook_url=url)
    report_ = remind_run(today=DUE + timedelta(days=1))
    hook = Delivery.objects.get(channel=Delivery.Channel.WEBHOOK)
    assert hook.state == Delivery.State.FAILED and hook.attempts == 1
    assert hook.last_error.startswith("URLError: ") and "refused" in hook.last_error.lower()
    assert [f.address for f in report_.failed] == [url]

    # The province moves the receiver; the delivery keeps its address and keeps failing, recorded each time.
    remind_run(today=DUE + timedelta(days=2))
    hook.refresh_from_db()
    assert hook.attempts == 2 and hook.state == Delivery.State.FAILED


@pytest.mark.django_db
def test_a_redirect_is_a_failure_not_a_lost_body(cast: Any, round_: ReportingRound, receiver: Receiver) -> None:
    receiver.status = 302
    receiver.location = receiver.url + "/moved"
    channel("460100", webhook_url=receiver.url)
    remind_run(today=DUE + timedelta(days=1))
    hook = Delivery.objects.get(channel=Delivery.Channel.WEBHOOK)
    assert hook.state == Delivery.State.FAILED
    assert hook.last_error == "HTTPError: HTTP Error 302: Found"
    assert receiver.gets == []


@pytest.mark.django_db
def test_only_web_addresses_are_posted_to(cast: Any, round_: ReportingRound) -> None:
    channel("460100", webhook_url="file:///etc/passwd")
    remind_run(today=DUE + timedelta(days=1))
    hook = Delivery.objects.get(channel=Delivery.Channel.WEBHOOK)
    assert hook.state == Delivery.State.FAILED
    assert hook.last_error == "ValueError: 推送地址必须以 http:// 或 https:// 开头：file:///etc/passwd"


@pytest.mark.django_db
def test_a_refused_email_fails_alone(
    cast: Any, round_: ReportingRound, settings: Any, receiver: Receiver, mailoutbox: list[Any]
) -> None:
    settings.EMAIL_BACKEND = "tests.notices.conftest.PickyBackend"
    channel("HI-MZT", webhook_url=receiver.url)
    report_ = remind_run(today=DUE + timedelta(days=1))
    assert [m.to for m in mailoutbox] == [["hk@example.org"]]
    assert len(receiver.posts) == 1  # 民政厅's webhook went out although its e-mail did not
    failed = Delivery.objects.get(state=Delivery.State.FAILED)
    assert (failed.address, failed.last_error) == ("mz@example.org", "OSError: 550 mailbox unavailable")
    assert report_.sent == 2 and len(report_.failed) == 1


@pytest.mark.django_db
def test_after_the_last_attempt_a_delivery_is_left_for_a_person(
    cast: Any, round_: ReportingRound, settings: Any
) -> None:
    settings.EMAIL_BACKEND = "tests.notices.conftest.RefusingBackend"
    settings.NOTICE_MAX_ATTEMPTS = 2
    first = remind_run(today=DUE + timedelta(days=1))
    assert len(first.failed) == 2 and first.given_up == []
    second = remind_run(today=DUE + timedelta(days=2))
    assert len(second.given_up) == 2
    assert remind_run(today=DUE + timedelta(days=3)).results == []
    # Still there, with its error, for the administrator to see.
    assert set(Delivery.objects.values_list("state", "attempts", "last_error")) == {
        (Delivery.State.FAILED, 2, "ConnectionRefusedError: mail server refused the connection")
    }
    # The mail server is back; the administrator starts them over and the next run sends them.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert deliveries_retry(deliveries=Delivery.objects.all(), by=cast.office) == 2
    assert remind_run(today=DUE + timedelta(days=4)).sent == 2
    assert set(Delivery.objects.values_list("state", "attempts")) == {(Delivery.State.SENT, 1)}
    assert AuditEntry.objects.filter(action="delivery_retry", actor=cast.office).count() == 1


@pytest.mark.django_db
def test_two_runs_at_once_send_each_delivery_once(cast: Any, round_: ReportingRound, monkeypatch: Any) -> None:
    from duban.notices.services import sending

    remind_run(today=DUE + timedelta(days=1))
    Delivery.objects.update(state=Delivery.State.PENDING, attempts=0, sent_at=None)
    sent: list[int] = []
    real = sending._deliver

    def deliver(delivery: Delivery) -> str:
        sent.append(delivery.pk)
        if len(sent) == 1:
            sending.deliveries_send()  # another run starts while this one is sending its first delivery
        return real(delivery)

    monkeypatch.setattr(sending, "_deliver", deliver)
    sending.deliveries_send()
    assert sorted(sent) == sorted(Delivery.objects.values_list("pk", flat=True))
    assert set(Delivery.objects.values_list("state", "attempts")) == {(Delivery.State.SENT, 1)}


@pytest.mark.django_db
def test_a_claim_left_by_a_run_that_died_is_taken_up_later(cast: Any, round_: ReportingRound) -> None:
    from duban.notices.selectors import CLAIM_LEASE

    remind_run(today=DUE + timedelta(days=1))
    claimed_at = timezone.now()
    Delivery.objects.update(state=Delivery.State.SENDING, attempts=1, sent_at=None, last_try_at=claimed_at)
    assert deliveries_send(now=claimed_at + CLAIM_LEASE / 2) == []
    assert len(deliveries_send(now=claimed_at + CLAIM_LEASE * 2)) == 2
    assert set(Delivery.objects.values_list("state", "attempts")) == {(Delivery.State.SENT, 2)}


@pytest.mark.django_db
def test_deliveries_send_stamps_the_time_given(cast: Any, round_: ReportingRound) -> None:
    remind_run(today=DUE + timedelta(days=1), dry_run=False)
    Delivery.objects.update(state=Delivery.State.PENDING, attempts=0, sent_at=None)
    stamp = timezone.make_aware(datetime(2026, 10, 11, 8, 0))
    results = deliveries_send(now=stamp)
    assert len(results) == 2
    assert set(Delivery.objects.values_list("sent_at", "last_try_at", "attempts")) == {(stamp, stamp, 1)}
    assert date(2026, 10, 11) == timezone.localtime(stamp).date()
