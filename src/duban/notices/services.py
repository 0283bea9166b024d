"""Writes for notices (通知): the reminder run (催报), the office's one-click reminder (督办催办), marking a
notice read, and sending deliveries.

Every notice has a ``key`` naming what it is about (``overdue:<round>:<unit>`` …). The key is unique in the
database, so creating a notice that exists does nothing: the reminder run may be started twice, by cron and
by hand, or by two machines at once, and still sends each notice once. A notice and its deliveries are
written in one transaction, and sending happens afterwards; a delivery that fails stays recorded as failed
with its error and is tried again by every later run, so that no notice is lost.

A read mark is the signed-in reader's own, so marking notices read takes a ``User``; the office's reminder and a
retry name who acted only in the audit trail, and take an ``Actor``.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from duban.accounts.access import access_for
from duban.audit.services import audit_record
from duban.core.errors import UserError
from duban.core.users import Actor
from duban.notices.models import Delivery, Notice
from duban.notices.selectors import (
    PendingItem,
    Recipient,
    RecipientDirectory,
    deliveries_sendable,
    latest_returns,
    notice_list_for_user,
    pending_by_unit,
)
from duban.orgs.models import OrgUnit
from duban.reporting.models import ProgressReport, ReportEvent, ReportingRound
from duban.reporting.services import rounds_keep_current

Kind = Notice.Kind
Audience = Notice.Audience
Status = ProgressReport.Status

# A unit is reminded this many days before the due date (and on every day up to it, once).
DUE_SOON_DAYS = 3
# After this many days overdue the unit's approvers and the office hear of it too.
ESCALATE_AFTER_DAYS = 7
# How much of a task's text a notice quotes; the number identifies it, the text reminds the reader.
TASK_TEXT_CHARS = 30
# Enough of an error to diagnose it without letting a web server's error page fill the table.
ERROR_CHARS = 1000


class NothingToRemind(UserError):
    """The unit owes nothing in the round: there is nothing to remind it of."""


# ----------------------------------------------------------------------------------------- results


@dataclass
class PlannedNotice:
    """A notice the run created (``notice`` set) or, in a dry run, would create (``notice`` None)."""

    key: str
    kind: str
    audience: str
    unit: OrgUnit
    round: ReportingRound
    subject: str
    body: str
    report: ProgressReport | None = None
    recipients: list[Recipient] = field(default_factory=list)
    notice: Notice | None = None

    @property
    def kind_zh(self) -> str:
        return str(Kind(self.kind).label)

    @property
    def audience_zh(self) -> str:
        return str(Audience(self.audience).label)


@dataclass(frozen=True)
class SendResult:
    """The outcome of one try of one delivery."""

    delivery_id: int
    notice_id: int
    channel: str
    address: str
    ok: bool
    error: str = ""
    attempts: int = 0


@dataclass
class RemindReport:
    """What ``remind_run`` did, or in a dry run would do."""

    today: date
    dry_run: bool
    notices: list[PlannedNotice] = field(default_factory=list)
    results: list[SendResult] = field(default_factory=list)
    # Deliveries that earlier runs could not send and that this run would try again (a dry run's count).
    waiting: int = 0

    @property
    def sent(self) -> int:
        return sum(1 for r in self.results if r.ok)

    @property
    def failed(self) -> list[SendResult]:
        return [r for r in self.results if not r.ok]

    @property
    def given_up(self) -> list[SendResult]:
        """Failures that will not be tried again automatically: they have used up every attempt."""
        return [r for r in self.failed if r.attempts >= settings.NOTICE_MAX_ATTEMPTS]


# -------------------------------------------------------------------------------------- the run


def remind_run(*, today: date, dry_run: bool = False) -> RemindReport:
    """催报: for every round that has opened, remind each unit that still owes reports — before the due date
    (3 days to go), after it, and when one of its reports was returned — and escalate to the unit's approvers
    and the office a week after the due date. Then send every delivery not yet sent, old failures included.

    A dry run computes the same notices and recipients and writes and sends nothing."""
    report = RemindReport(today=today, dry_run=dry_run)
    if not dry_run:
        rounds_keep_current(today=today)
    directory = RecipientDirectory()
    # A plan replaced by a revision is no longer supervised; its units are chased under the revision.
    rounds = (
        ReportingRound.objects.filter(opens__lte=today, plan__next_revision__isnull=True)
        .select_related("plan")
        .order_by("due", "pk")
    )
    planned: list[PlannedNotice] = []
    for round_ in rounds:
        planned.extend(_round_notices(round_, today))
    existing = set(Notice.objects.filter(key__in=[p.key for p in planned]).values_list("key", flat=True))
    for item in planned:
        if item.key in existing:
            continue
        item.recipients = directory.recipients(item.audience, item.unit)
        if not dry_run:
            notice, created = _notice_create(item)
            if not created:
                # Another run made it between our look and our write; it is theirs to report.
                continue
            item.notice = notice
        report.notices.append(item)
    if dry_run:
        report.waiting = deliveries_sendable().count()
        return report
    report.results = deliveries_send()
    if report.notices or report.results:
        audit_record(
            actor=None,
            action="notice_remind_run",
            object_type="notices.notice",
            object_repr=f"催报 {today.isoformat()}",
            after={
                "today": today.isoformat(),
                "created": len(report.notices),
                "sent": report.sent,
                "failed": len(report.failed),
            },
        )
    return report


def _round_notices(round_: ReportingRound, today: date) -> list[PlannedNotice]:
    """The notices ``round_`` calls for today, whether or not they exist yet."""
    owed = pending_by_unit(round_=round_)
    days_left = (round_.due - today).days
    out: list[PlannedNotice] = []
    for unit, items in owed:
        if 0 <= days_left <= DUE_SOON_DAYS:
            out.append(_due_soon(round_, unit, items, days_left))
        elif days_left < 0:
            out.append(_overdue(round_, unit, items, -days_left))
            if -days_left >= ESCALATE_AFTER_DAYS:
                out.append(_escalation(round_, unit, items, -days_left, Audience.APPROVERS))
                out.append(_escalation(round_, unit, items, -days_left, Audience.OFFICE))
        returned = [i for i in items if i.report is not None and i.report.status == Status.RETURNED]
        events = latest_returns(reports=[i.report for i in returned if i.report is not None])
        for item in returned:
            assert item.report is not None
            event = events.get(item.report.pk)
            # A report only becomes "returned" through a return, which leaves an event; without one there is
            # nothing to key the notice on, and the overdue reminders still name the report.
            if event is not None:
                out.append(_returned(round_, unit, item, event, days_left))
    return out


def _notice_create(item: PlannedNotice) -> tuple[Notice, bool]:
    """The notice for ``item.key`` and its deliveries, written together; nothing if the key exists."""
    with transaction.atomic():
        notice, created = Notice.objects.get_or_create(
            key=item.key,
            defaults={
                "kind": item.kind,
                "audience": item.audience,
                "unit": item.unit,
                "round": item.round,
                "report": item.report,
                "subject": item.subject[:200],
                "body": item.body,
            },
        )
        if created:
            Delivery.objects.bulk_create(
                Delivery(notice=notice, channel=r.channel, address=r.address) for r in item.recipients
            )
    return notice, created


# ---------------------------------------------------------------------------------------- wording


def _days_zh(days_left: int) -> str:
    if days_left > 0:
        return f"还剩 {days_left} 天"
    if days_left == 0:
        return "今天截止"
    return f"已逾期 {-days_left} 天"


def _date_zh(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _task_lines(items: Iterable[PendingItem]) -> str:
    lines = []
    for item in items:
        task = item.assignment.task
        text = task.text.strip().replace("\n", " ")
        short = text if len(text) <= TASK_TEXT_CHARS else text[:TASK_TEXT_CHARS] + "…"
        lines.append(f"  · 任务{task.number}　{short}（{item.state_zh}）")
    return "\n".join(lines)


def _owed_body(greeting: str, lead: str, round_: ReportingRound, items: list[PendingItem], days_left: int) -> str:
    return (
        f"{greeting}：\n\n"
        f"{lead}《{round_.plan.title}》{round_.title}进展报告的截止日期为 {_date_zh(round_.due)}，"
        f"{_days_zh(days_left)}。以下 {len(items)} 项任务尚未报送：\n\n"
        f"{_task_lines(items)}\n"
    )


def _tail(action: str) -> str:
    return f"\n{action}\n查看：{inbox_link()}\n\n—— 督办平台（系统自动发送，请勿回复）"


def _due_soon(round_: ReportingRound, unit: OrgUnit, items: list[PendingItem], days_left: int) -> PlannedNotice:
    when = "今天截止" if days_left == 0 else f"将于 {round_.due.month}月{round_.due.day}日截止（还剩 {days_left} 天）"
    return PlannedNotice(
        key=f"due_soon:{round_.pk}:{unit.pk}",
        kind=Kind.DUE_SOON,
        audience=Audience.UNIT,
        unit=unit,
        round=round_,
        subject=f"【提醒】{round_.title}进展报告{when}",
        body=_owed_body(unit.name, "本单位", round_, items, days_left)
        + _tail("请在截止日期前登录督办平台填报并报送。"),
    )


def _overdue(round_: ReportingRound, unit: OrgUnit, items: list[PendingItem], days_over: int) -> PlannedNotice:
    return PlannedNotice(
        key=f"overdue:{round_.pk}:{unit.pk}",
        kind=Kind.OVERDUE,
        audience=Audience.UNIT,
        unit=unit,
        round=round_,
        subject=f"【催报】{round_.title}进展报告已逾期 {days_over} 天",
        body=_owed_body(unit.name, "本单位", round_, items, -days_over) + _tail("请尽快登录督办平台填报并报送。"),
    )


def _escalation(
    round_: ReportingRound, unit: OrgUnit, items: list[PendingItem], days_over: int, audience: str
) -> PlannedNotice:
    if audience == Audience.APPROVERS:
        greeting, action = f"{unit.name}审核人", "请督促本单位填报员尽快填报，并及时审核报送。"
    else:
        greeting, action = "督办办公室", "请督促该单位尽快报送。"
    return PlannedNotice(
        key=f"escalation:{audience}:{round_.pk}:{unit.pk}",
        kind=Kind.ESCALATION,
        audience=audience,
        unit=unit,
        round=round_,
        subject=f"【督办】{unit.name}{round_.title}进展报告已逾期 {days_over} 天",
        body=_owed_body(greeting, f"{unit.name}", round_, items, -days_over) + _tail(action),
    )


def _returned(
    round_: ReportingRound, unit: OrgUnit, item: PendingItem, event: ReportEvent, days_left: int
) -> PlannedNotice:
    assert item.report is not None
    task = item.assignment.task
    comment = event.comment.strip() or "（未填写）"
    at = timezone.localtime(event.at)
    body = (
        f"{unit.name}：\n\n"
        f"本单位报送的《{round_.plan.title}》{round_.title}任务{task.number}进展报告"
        f"已于 {_date_zh(at.date())} {at:%H:%M} 被退回。\n\n"
        f"退回意见：{comment}\n\n"
        f"本轮截止日期为 {_date_zh(round_.due)}，{_days_zh(days_left)}。\n"
    )
    return PlannedNotice(
        key=f"returned:{event.pk}",
        kind=Kind.RETURNED,
        audience=Audience.UNIT,
        unit=unit,
        round=round_,
        report=item.report,
        subject=f"【退回】{round_.title}任务{task.number}进展报告被退回，请修改后重新报送",
        body=body + _tail("请按意见修改后重新报送。"),
    )


def inbox_link() -> str:
    """The path of the inbox in the web app, for e-mails and webhook messages (the site's address is not
    known here; the reader's messaging system or mail client is told where to sign in)."""
    try:
        return reverse("web:inbox")
    except NoReverseMatch:
        # The web app has no inbox route yet; this is where it will be.
        return "/inbox/"


# ---------------------------------------------------------------------------------- manual, read


def notice_remind_unit(*, round_: ReportingRound, unit: OrgUnit, by: Actor, today: date | None = None) -> Notice:
    """督办催办: the office reminds one unit of what it owes in ``round_``, at once and by every channel.
    At most one a day per unit and round: a second click the same day returns the first notice."""
    if not access_for(by).office:
        raise PermissionDenied
    today = today or timezone.localdate()
    key = f"manual:{round_.pk}:{unit.pk}:{today.isoformat()}"
    existing = Notice.objects.filter(key=key).first()
    if existing is not None:
        return existing
    owed = {u.pk: items for u, items in pending_by_unit(round_=round_)}.get(unit.pk)
    if not owed:
        raise NothingToRemind(f"{unit.name}在“{round_.title}”中没有待报送的任务，无需催办")
    days_left = (round_.due - today).days
    item = PlannedNotice(
        key=key,
        kind=Kind.MANUAL,
        audience=Audience.UNIT,
        unit=unit,
        round=round_,
        subject=f"【督办催办】请尽快报送{round_.title}进展报告（{_days_zh(days_left)}）",
        body=_owed_body(unit.name, "督办办公室提醒：本单位", round_, owed, days_left)
        + _tail("请尽快登录督办平台填报并报送。"),
    )
    item.recipients = RecipientDirectory().recipients(Audience.UNIT, unit)
    with transaction.atomic():
        notice, created = _notice_create(item)
        if created:
            audit_record(
                actor=by,
                action="notice_manual",
                obj=notice,
                after={
                    "key": key,
                    "unit": unit.code,
                    "round": round_.pk,
                    "recipients": [r.address for r in item.recipients],
                },
            )
    if created:
        deliveries_send(notice=notice)
    return notice


def notice_mark_read(*, notice: Notice, user: User) -> None:
    """The user has read ``notice`` (it leaves their unread count). Not audited: reading changes nothing
    anyone relies on, and the inbox is opened far too often for the trail to stay readable."""
    if not notice_list_for_user(user=user).filter(pk=notice.pk).exists():
        raise PermissionDenied
    notice.read_by.add(user)


def notice_mark_all_read(*, user: User) -> int:
    """Mark every notice in the user's inbox read (the inbox's "全部已读"), in one insert however many
    there are; the number newly marked."""
    unread = list(notice_list_for_user(user=user).exclude(read_by=user).values_list("pk", flat=True))
    through = Notice.read_by.through
    # ignore_conflicts: a notice read in another tab meanwhile is already marked, which is what was asked.
    through.objects.bulk_create([through(notice_id=pk, user_id=user.pk) for pk in unread], ignore_conflicts=True)
    return len(unread)


# ---------------------------------------------------------------------------------------- sending


def deliveries_send(*, now: datetime | None = None, notice: Notice | None = None) -> list[SendResult]:
    """Send every delivery not yet sent (of ``notice`` only, if given), earlier failures included, until
    each has had ``NOTICE_MAX_ATTEMPTS`` tries (then the admin's "重新发送" starts it over). Each delivery is
    claimed before it is sent, so that two runs at once never send it twice; a failure is recorded on its
    delivery and never stops the others."""
    candidates = deliveries_sendable(now=now)
    if notice is not None:
        candidates = candidates.filter(notice=notice)
    results: list[SendResult] = []
    for pk, attempts in list(candidates.order_by("pk").values_list("pk", "attempts")):
        stamp = now or timezone.now()
        # Claim it first, in its own committed statement (state "sending", the attempt counted): a second run
        # that listed the same delivery finds it claimed and leaves it. No row lock is held over the network
        # call, and this works on SQLite, which has no SELECT … FOR UPDATE.
        claimed = deliveries_sendable(now=stamp).filter(pk=pk, attempts=attempts)
        if not claimed.update(state=Delivery.State.SENDING, attempts=attempts + 1, last_try_at=stamp):
            continue
        delivery = Delivery.objects.select_related("notice__unit", "notice__round").get(pk=pk)
        error = _deliver(delivery)
        if error:
            delivery.state = Delivery.State.FAILED
            delivery.last_error = error[:ERROR_CHARS]
        else:
            delivery.state = Delivery.State.SENT
            delivery.sent_at = stamp
        delivery.save(update_fields=["state", "last_error", "sent_at"])
        results.append(
            SendResult(
                delivery_id=delivery.pk,
                notice_id=delivery.notice_id,
                channel=delivery.channel,
                address=delivery.address,
                ok=not error,
                error=delivery.last_error if error else "",
                attempts=delivery.attempts,
            )
        )
    return results


def deliveries_retry(*, deliveries: QuerySet[Delivery], by: Actor) -> int:
    """Start failed deliveries over (attempts back to 0); the next run sends them. Returns how many."""
    with transaction.atomic():
        failed = list(deliveries.filter(state=Delivery.State.FAILED).values_list("pk", flat=True))
        Delivery.objects.filter(pk__in=failed).update(attempts=0, state=Delivery.State.PENDING)
        if failed:
            audit_record(
                actor=by,
                action="delivery_retry",
                object_type="notices.delivery",
                object_repr=f"{len(failed)} 条投递",
                after={"deliveries": failed},
            )
    return len(failed)


def _deliver(delivery: Delivery) -> str:
    """Send one delivery; the error as text, or "" when it went out."""
    try:
        if delivery.channel == Delivery.Channel.EMAIL:
            notice = delivery.notice
            send_mail(notice.subject, notice.body, settings.DEFAULT_FROM_EMAIL, [delivery.address], fail_silently=False)
        elif delivery.channel == Delivery.Channel.WEBHOOK:
            _post(delivery.address, webhook_payload(delivery.notice))
        else:
            return f"未知渠道 {delivery.channel}"
    except Exception as exc:
        # Whatever went wrong — a refused connection, an SMTP error, a bad address — is this delivery's
        # failure to record, not the run's.
        return f"{type(exc).__name__}: {exc}"
    return ""


def webhook_payload(notice: Notice) -> dict[str, Any]:
    """The JSON body POSTed to a webhook (docs/reminders.md describes every field)."""
    round_ = notice.round
    return {
        "id": notice.pk,
        "key": notice.key,
        "kind": notice.kind,
        "kind_zh": str(Kind(notice.kind).label),
        "audience": notice.audience,
        "audience_zh": str(Audience(notice.audience).label),
        "unit": {"code": notice.unit.code, "name": notice.unit.name},
        "round": (
            {
                "id": round_.pk,
                "title": round_.title,
                "period": round_.period,
                "due": round_.due.isoformat(),
            }
            if round_ is not None
            else None
        ),
        "report_id": notice.report_id,
        "subject": notice.subject,
        "body": notice.body,
        "created_at": timezone.localtime(notice.created_at).isoformat(),
        "link": inbox_link(),
    }


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirected POST would be repeated as a GET without its body and then look delivered; a redirect is
    therefore an error, and the address should be corrected."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def _post(url: str, payload: dict[str, Any]) -> None:
    scheme = urllib.parse.urlsplit(url).scheme.lower()
    if scheme not in ("http", "https"):
        # urllib would also open file: and ftp: addresses; a notice goes only to a web server.
        raise ValueError(f"推送地址必须以 http:// 或 https:// 开头：{url}")
    data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    request = urllib.request.Request(
        url,
        data=data,
        method="POST",
        headers={"Content-Type": "application/json; charset=utf-8", "User-Agent": "duban-notices/1"},
    )
    opener = urllib.request.build_opener(_NoRedirects)
    with opener.open(request, timeout=settings.NOTICE_WEBHOOK_TIMEOUT) as response:
        status = response.status
        if not 200 <= status < 300:
            raise urllib.error.HTTPError(url, status, f"HTTP {status}", response.headers, None)
