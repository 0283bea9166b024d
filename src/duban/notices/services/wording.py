"""The words of a notice: its subject and body in Chinese, and the inbox it points to."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from duban.notices.models import Notice
from duban.notices.selectors import PendingItem
from duban.notices.services.results import PlannedNotice
from duban.orgs.models import OrgUnit
from duban.reporting.models import ProgressReport, ReportEvent, ReportingRound

Kind = Notice.Kind
Audience = Notice.Audience

# How much of a task's text a notice quotes; the number identifies it, the text reminds the reader.
TASK_TEXT_CHARS = 30


def days_zh(days_left: int) -> str:
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


def owed_body(greeting: str, lead: str, round_: ReportingRound, items: list[PendingItem], days_left: int) -> str:
    return (
        f"{greeting}：\n\n"
        f"{lead}《{round_.plan.title}》{round_.title}进展报告的截止日期为 {_date_zh(round_.due)}，"
        f"{days_zh(days_left)}。以下 {len(items)} 项任务尚未报送：\n\n"
        f"{_task_lines(items)}\n"
    )


def tail(action: str, link: str | None = None) -> str:
    return f"\n{action}\n查看：{link or inbox_link()}\n\n—— 督办平台（系统自动发送，请勿回复）"


def due_soon_notice(round_: ReportingRound, unit: OrgUnit, items: list[PendingItem], days_left: int) -> PlannedNotice:
    when = "今天截止" if days_left == 0 else f"将于 {round_.due.month}月{round_.due.day}日截止（还剩 {days_left} 天）"
    return PlannedNotice(
        key=f"due_soon:{round_.pk}:{unit.pk}",
        kind=Kind.DUE_SOON,
        audience=Audience.UNIT,
        unit=unit,
        round=round_,
        subject=f"【提醒】{round_.title}进展报告{when}",
        body=owed_body(unit.name, "本单位", round_, items, days_left) + tail("请在截止日期前登录督办平台填报并报送。"),
    )


def overdue_notice(round_: ReportingRound, unit: OrgUnit, items: list[PendingItem], days_over: int) -> PlannedNotice:
    return PlannedNotice(
        key=f"overdue:{round_.pk}:{unit.pk}",
        kind=Kind.OVERDUE,
        audience=Audience.UNIT,
        unit=unit,
        round=round_,
        subject=f"【催报】{round_.title}进展报告已逾期 {days_over} 天",
        body=owed_body(unit.name, "本单位", round_, items, -days_over) + tail("请尽快登录督办平台填报并报送。"),
    )


def escalation_notice(
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
        body=owed_body(greeting, f"{unit.name}", round_, items, -days_over) + tail(action),
    )


def returned_notice(
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
        f"本轮截止日期为 {_date_zh(round_.due)}，{days_zh(days_left)}。\n"
    )
    return PlannedNotice(
        key=f"returned:{event.pk}",
        kind=Kind.RETURNED,
        audience=Audience.UNIT,
        unit=unit,
        round=round_,
        report=item.report,
        subject=f"【退回】{round_.title}任务{task.number}进展报告被退回，请修改后重新报送",
        body=body + tail("请按意见修改后重新报送。", report_link(item.report)),
    )


def site_link(path: str) -> str:
    """``path`` on the site's address (``DUBAN_SITE_URL``) when it is set: an e-mail or a webhook message is
    read where a bare path leads nowhere."""
    return f"{settings.SITE_URL}{path}" if settings.SITE_URL else path


def inbox_link() -> str:
    """The inbox in the web app, for e-mails and webhook messages."""
    try:
        path = reverse("web:inbox")
    except NoReverseMatch:
        # The web app has no inbox route yet; this is where it will be.
        path = "/inbox/"
    return site_link(path)


def report_link(report: ProgressReport) -> str:
    try:
        path = reverse("web:report", kwargs={"pk": report.pk})
    except NoReverseMatch:
        path = f"/reports/{report.pk}/"
    return site_link(path)


def _report_title(report: ProgressReport) -> str:
    return f"《{report.round.plan.title}》{report.round.title}任务{report.assignment.task.number}进展报告"


def signoff_notice(report: ProgressReport, unit: OrgUnit, event: ReportEvent) -> PlannedNotice:
    """To the unit's approvers: a report waits for their sign-off."""
    by = event.by.get_full_name() or event.by.get_username()
    return PlannedNotice(
        key=f"signoff:{event.pk}",
        kind=Kind.SIGNOFF,
        audience=Audience.APPROVERS,
        unit=unit,
        round=report.round,
        report=report,
        subject=f"【待审核】{report.round.title}任务{report.assignment.task.number}进展报告待本单位审核",
        body=f"{unit.name}审核人：\n\n{by} 已提交本单位{_report_title(report)}，等待您审核后报送。"
        f"本轮截止日期为 {_date_zh(report.round.due)}。\n"
        + tail("请登录督办平台审核并报送，或填写意见退回填报人。", report_link(report)),
    )


def sent_back_notice(report: ProgressReport, unit: OrgUnit, event: ReportEvent) -> PlannedNotice:
    """To the unit's reporters: their approver sent the report back."""
    comment = event.comment.strip() or "（未填写）"
    return PlannedNotice(
        key=f"sent_back:{event.pk}",
        kind=Kind.SENT_BACK,
        audience=Audience.UNIT,
        unit=unit,
        round=report.round,
        report=report,
        subject=f"【退回】{report.round.title}任务{report.assignment.task.number}进展报告被本单位审核人退回",
        body=f"{unit.name}：\n\n本单位{_report_title(report)}被本单位审核人退回。\n\n退回意见：{comment}\n"
        + tail("请按意见修改后重新提交。", report_link(report)),
    )


def co_submitted_notice(report: ProgressReport, lead: OrgUnit, event: ReportEvent) -> PlannedNotice:
    """To the lead unit: a co-unit's report has reached it, to consolidate (and for its approver to review)."""
    unit = report.assignment.unit
    return PlannedNotice(
        key=f"co_submitted:{event.pk}",
        kind=Kind.CO_SUBMITTED,
        audience=Audience.UNIT,
        unit=lead,
        round=report.round,
        report=report,
        subject=f"【配合单位报送】{unit.name}已报送{report.round.title}任务{report.assignment.task.number}进展报告",
        body=f"{lead.name}：\n\n贵单位牵头的{_report_title(report)}，配合单位{unit.name}已报送。\n"
        + tail("请在汇总报告中参考，审核人可审核该报告。", report_link(report)),
    )
