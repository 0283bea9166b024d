"""Rounds (报送轮次): the quarterly rounds of a plan, kept up to date, and the office's ad-hoc rounds."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from duban.accounts.access import access_for
from duban.audit.services import audit_record, snapshot
from duban.core.users import Actor
from duban.indicators.selectors import plan_end, plan_start
from duban.metrics.periods import Period, quarter_of
from duban.plans.models import Plan, Task
from duban.reporting.models import ReportingRound
from duban.reporting.services.errors import WorkflowError

# Days after a quarter's end by which its report is due (the default; the office may move a round).
DUE_AFTER_QUARTER = 10


def rounds_schedule(*, plan: Plan, until: date, since: date | None = None, by: Actor = None) -> list[ReportingRound]:
    """The quarterly rounds from the quarter of ``since`` (default: the plan's start) to the quarter of
    ``until``, each due ten days after its quarter. Running it again adds only what is missing."""
    start = max(plan_start(plan), since) if since else plan_start(plan)
    created = []
    with transaction.atomic():
        for year in range(start.year, until.year + 1):
            for quarter in range(1, 5):
                period = Period.of(year, "quarter", quarter)
                if period.end < start or period.start > until:
                    continue
                label = str(period)
                if ReportingRound.objects.filter(plan=plan, kind=ReportingRound.Kind.REGULAR, period=label).exists():
                    continue
                round_ = ReportingRound.objects.create(
                    plan=plan,
                    title=f"{year}年第{quarter}季度",
                    kind=ReportingRound.Kind.REGULAR,
                    period=label,
                    opens=period.start,
                    due=period.end + timedelta(days=DUE_AFTER_QUARTER),
                )
                audit_record(actor=by, action="round_create", obj=round_, after=snapshot(round_))
                created.append(round_)
    return created


def rounds_keep_current(*, today: date) -> list[ReportingRound]:
    """Today's quarterly round, for every current plan that already runs rounds: a plan nobody has started
    reporting on is left alone, a quarter long gone is not created late (it would start out overdue), and a
    plan whose last deadline lies in an earlier quarter gets no more rounds (the office adds a 专项报送 round
    where it still wants one)."""
    plans = Plan.objects.filter(next_revision__isnull=True, rounds__kind=ReportingRound.Kind.REGULAR).distinct()
    created: list[ReportingRound] = []
    quarter_start = quarter_of(today).start
    for plan in plans:
        end = plan_end(plan)
        if end is not None and end < quarter_start:
            continue
        created += rounds_schedule(plan=plan, until=today, since=today)
    return created


def round_add_adhoc(
    *, plan: Plan, title: str, due: date, tasks: list[Task] | None = None, opens: date | None = None, by: Actor
) -> ReportingRound:
    """专项报送: a round the office adds with its own due date and, optionally, only some tasks."""
    if not access_for(by).office:
        raise PermissionDenied
    opens = opens or timezone.localdate()
    title = title.strip()
    if not title:
        raise WorkflowError("请填写轮次名称")
    if due < opens:
        raise WorkflowError(f"截止日期 {due} 早于开始日期 {opens}")
    if tasks and any(t.plan_id != plan.pk for t in tasks):
        raise WorkflowError("所选任务不属于该方案")
    with transaction.atomic():
        round_ = ReportingRound.objects.create(
            plan=plan,
            title=title,
            kind=ReportingRound.Kind.ADHOC,
            period=str(quarter_of(due)),
            opens=opens,
            due=due,
        )
        round_.tasks.set(tasks or [])
        audit_record(
            actor=by,
            action="round_create",
            obj=round_,
            after=snapshot(round_) | {"tasks": sorted(t.number for t in tasks or [])},
        )
    return round_
