"""Progress reports (进展报告) and their workflow: start, save, submit, sign off, send back, return, accept and
correct. Every step is one conditional update on the version the user last saw."""

from __future__ import annotations

import logging
import math
from collections.abc import Collection
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from duban.accounts.access import access_for
from duban.accounts.models import Membership
from duban.audit.services import audit_record, changes, snapshot
from duban.indicators.models import DataElement
from duban.indicators.selectors import figure_checks
from duban.indicators.services import data_values_set, indicators_refresh
from duban.metrics.figures import figure_parse
from duban.orgs.selectors import successor_of
from duban.plans.models import Assignment
from duban.reporting import rules
from duban.reporting.models import ProgressReport, ReportEvent, ReportingRound
from duban.reporting.selectors import consolidated_inputs, figure_elements, round_assignments
from duban.reporting.services.errors import ReportConflict, WorkflowError

Status = ProgressReport.Status
logger = logging.getLogger(__name__)
TEXT_FIELDS = ("progress", "done", "problems", "next_steps")


def report_start(*, round_: ReportingRound, assignment: Assignment, by: User) -> ProgressReport:
    """The current report on ``assignment`` for ``round_``, begun as a draft if there is none."""
    if not rules.can_write_for(access_for(by), assignment):
        raise PermissionDenied
    if not round_assignments(round_).filter(pk=assignment.pk).exists():
        raise WorkflowError(f"任务{assignment.task.number}不在“{round_}”的报送范围内")
    existing = ProgressReport.objects.filter(round=round_, assignment=assignment, is_current=True).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            report = ProgressReport.objects.create(
                round=round_, assignment=assignment, created_by=by, updated_by=by, updated_at=timezone.now()
            )
            audit_record(actor=by, action="report_create", obj=report, after=snapshot(report))
    except IntegrityError:
        # A colleague began it at the same moment (one current report per round and assignment): theirs it is.
        return ProgressReport.objects.get(round=round_, assignment=assignment, is_current=True)
    return report


def _clean_figures(report: ProgressReport, figures: dict[str, Any]) -> dict[str, float]:
    allowed = figure_elements(report.assignment, report.round)
    elements = {e.code: e for e in DataElement.objects.filter(code__in=allowed)}

    def name(code: str) -> str:
        return elements[code].name if code in elements else code

    clean: dict[str, float] = {}
    for code, raw in figures.items():
        if code not in allowed:
            names = "、".join(name(c) for c in allowed) or "无"
            raise WorkflowError(f"本任务不报送数据项 {code}（可报送：{names}）")
        if raw is None or str(raw).strip() == "":
            continue
        measure = elements[code].unit if code in elements else ""
        try:
            value = figure_parse(str(raw), measure=measure)
        except ValueError as exc:
            raise WorkflowError(
                f"“{name(code)}”的值“{raw}”不是数字，请填写如 120000、12万 或 1.2亿（单位：{measure or '—'}）"
            ) from exc
        if not math.isfinite(value):
            raise WorkflowError(f"“{name(code)}”的值“{raw}”不是有限的数")
        if value < 0:
            raise WorkflowError(f"“{name(code)}”的值 {raw} 不能为负数")
        clean[code] = value
    return clean


def report_save(*, report: ProgressReport, by: User, expected_version: int, fields: dict[str, Any]) -> ProgressReport:
    """Save the text, state and figures of a draft or returned report (a form post or an autosave)."""
    if not rules.can_edit(access_for(by), report):
        raise PermissionDenied
    values: dict[str, Any] = {}
    for name in TEXT_FIELDS:
        if name in fields:
            values[name] = str(fields[name] or "").strip()
    if "progress" in values and values["progress"] not in ProgressReport.Progress.values:
        labels = "/".join(str(label) for label in ProgressReport.Progress.labels)
        raise WorkflowError(f"进展“{values['progress']}”无效，应为 {labels}")
    if "figures" in fields:
        values["figures"] = _clean_figures(report, dict(fields["figures"] or {}))
    return _write(report, by=by, expected_version=expected_version, allowed=(Status.DRAFT, Status.RETURNED), **values)


def _write(
    report: ProgressReport,
    *,
    by: User,
    expected_version: int,
    allowed: tuple[str, ...],
    action: str = "report_save",
    event: tuple[str, str] | None = None,
    **values: Any,
) -> ProgressReport:
    """Apply ``values`` only if the report is still at ``expected_version`` and in an ``allowed`` state: one
    conditional UPDATE, so two people can never both win."""
    with transaction.atomic():
        before = snapshot(report)
        now = timezone.now()
        updated = ProgressReport.objects.filter(pk=report.pk, version=expected_version, status__in=allowed).update(
            version=F("version") + 1, updated_by=by, updated_at=now, **values
        )
        fresh = ProgressReport.objects.select_related("assignment__task", "assignment__unit", "round").get(pk=report.pk)
        if not updated:
            _check_version(fresh, expected_version)
            raise WorkflowError(f"报告当前状态为“{fresh.get_status_display()}”，不能进行此操作")
        if event is not None:
            ReportEvent.objects.create(
                report=fresh,
                action=event[0],
                from_status=report.status,
                to_status=fresh.status,
                by=by,
                comment=event[1],
            )
        old, new = changes(before, snapshot(fresh))
        old.pop("version", None), new.pop("version", None)
        old.pop("updated_at", None), new.pop("updated_at", None)
        audit_record(actor=by, action=action, obj=fresh, before=old, after=new)
    return fresh


def _check_version(current: ProgressReport, expected_version: int) -> None:
    if current.version != expected_version:
        editor = current.updated_by.get_full_name() or current.updated_by.get_username()
        raise ReportConflict(
            f"该报告已由 {editor} 于 {timezone.localtime(current.updated_at):%Y-%m-%d %H:%M:%S} 修改，"
            "您的修改未保存。请刷新页面，在最新版本上重新修改。"
            " (Someone else saved this report after you opened it; your change was not saved.)"
        )


def _require_complete(report: ProgressReport) -> None:
    missing = []
    if not report.done.strip():
        missing.append("工作进展")
    if report.progress == ProgressReport.Progress.BLOCKED and not report.problems.strip():
        missing.append("存在问题（进展为“受阻”时必填）")
    wanted = figure_elements(report.assignment, report.round)
    names = dict(DataElement.objects.filter(code__in=wanted).values_list("code", "name"))
    missing += [f"报送数据“{names.get(code, code)}”" for code in wanted if code not in report.figures]
    if missing:
        raise WorkflowError("请先填写：" + "、".join(missing))


def report_submit(*, report: ProgressReport, by: User, expected_version: int) -> ProgressReport:
    """The reporter hands the report to the unit's approver. A unit without an approver — or an approver
    submitting — sends it on at once. A lead unit's report records the co-units' reports it consolidates."""
    access = access_for(by)
    if not rules.can_edit(access, report):
        raise PermissionDenied
    current = ProgressReport.objects.select_related("updated_by", "assignment").get(pk=report.pk)
    _check_version(current, expected_version)
    _require_complete(current)
    has_approver = Membership.objects.filter(
        unit=successor_of(report.assignment.unit), approver=True, user__is_active=True
    ).exists()
    leaves = access.approver or not has_approver
    target = Status.SUBMITTED if leaves else Status.AWAITING_SIGNOFF
    with transaction.atomic():
        fresh = _write(
            report,
            by=by,
            expected_version=expected_version,
            allowed=(Status.DRAFT, Status.RETURNED),
            action="report_submit",
            event=(ReportEvent.Action.SUBMIT, ""),
            status=target,
            submitted_at=timezone.now() if leaves else None,
        )
        if leaves:
            _consolidate(fresh, by)
    return fresh


def report_sign_off(*, report: ProgressReport, by: User, expected_version: int, comment: str = "") -> ProgressReport:
    """The unit's approver signs the report off; it leaves the unit for the lead unit and the office."""
    if not rules.can_sign_off(access_for(by), report):
        raise PermissionDenied
    with transaction.atomic():
        fresh = _write(
            report,
            by=by,
            expected_version=expected_version,
            allowed=(Status.AWAITING_SIGNOFF,),
            action="report_sign_off",
            event=(ReportEvent.Action.SIGN_OFF, comment.strip()),
            status=Status.SUBMITTED,
            submitted_at=timezone.now(),
        )
        _consolidate(fresh, by)
    return fresh


def report_send_back(*, report: ProgressReport, by: User, expected_version: int, comment: str) -> ProgressReport:
    """The unit's approver sends the report back to its reporter, inside the unit."""
    if not rules.can_sign_off(access_for(by), report):
        raise PermissionDenied
    if not comment.strip():
        raise WorkflowError("退回时请填写意见")
    return _write(
        report,
        by=by,
        expected_version=expected_version,
        allowed=(Status.AWAITING_SIGNOFF,),
        action="report_send_back",
        event=(ReportEvent.Action.SEND_BACK, comment.strip()),
        status=Status.DRAFT,
    )


def report_withdraw(*, report: ProgressReport, by: User, expected_version: int) -> ProgressReport:
    """The reporter takes a report back to a draft before it is reviewed (a mistake seen after submitting).
    A lead unit that consolidated it finds it changed, and cannot have it accepted along with its own."""
    if not rules.can_withdraw(access_for(by), report):
        raise PermissionDenied
    return _write(
        report,
        by=by,
        expected_version=expected_version,
        allowed=(Status.AWAITING_SIGNOFF, Status.SUBMITTED),
        action="report_withdraw",
        event=(ReportEvent.Action.WITHDRAW, ""),
        status=Status.DRAFT,
        submitted_at=None,
    )


def _require_other_eyes(report: ProgressReport, by: User) -> None:
    """A report is reviewed by someone who neither submitted nor signed it off."""
    own = ReportEvent.objects.filter(
        report=report, by=by, action__in=(ReportEvent.Action.SUBMIT, ReportEvent.Action.SIGN_OFF)
    )
    if own.exists():
        raise WorkflowError("不能审核自己提交或签发的报告，请由督办办公室的其他同事审核")


def report_return(*, report: ProgressReport, by: User, expected_version: int, comment: str) -> ProgressReport:
    """The reviewer (the office, or the lead unit for a co-unit) sends a thin report back with a comment."""
    if not rules.can_review(access_for(by), report):
        raise PermissionDenied
    _require_other_eyes(report, by)
    if not comment.strip():
        raise WorkflowError("退回时请填写意见，说明需要补充或修改的内容")
    return _write(
        report,
        by=by,
        expected_version=expected_version,
        allowed=(Status.SUBMITTED,),
        action="report_return",
        event=(ReportEvent.Action.RETURN, comment.strip()),
        status=Status.RETURNED,
    )


def report_accept(
    *,
    report: ProgressReport,
    by: User,
    expected_version: int,
    comment: str = "",
    with_inputs: Collection[int] = (),
    outliers_confirmed: bool = False,
) -> ProgressReport:
    """The reviewer accepts the report. Its figures become data values of the round's period, with the report
    as their source, and the indicators of its unit are brought up to date.

    For a lead unit's consolidated report, ``with_inputs`` names the co-units' reports the reviewer chose on the
    page to accept with it; each must still be the version the lead consolidated and not one the reviewer
    submitted or signed off, or nothing is accepted. Nothing else is accepted along: a report nobody chose
    was seen by nobody."""
    if not rules.can_review(access_for(by), report):
        raise PermissionDenied
    _require_other_eyes(report, by)
    chosen = set(with_inputs)
    along = []
    if chosen:
        held = {c.report.pk: c for c in consolidated_inputs(report=report, user=by)}
        for pk in sorted(chosen):
            found = held.get(pk)
            if found is None:
                raise WorkflowError(f"报告 {pk} 不是本汇总报告汇总的待审核配合单位报告，请刷新页面")
            if not found.acceptable:
                raise WorkflowError(f"{found.report.assignment.unit.name}的报告不能一并通过：{found.reason_zh}")
            along.append(found.report)
    # A figure that looks wrong becomes an official data value only once the reviewer says it was checked.
    doubts = [
        f"{r.assignment.unit.name}：{check.warning}"
        for r in [report, *along]
        for check in figure_checks(org=r.assignment.unit, period=r.round.period, figures=r.figures or {})
        if check.warning
    ]
    if doubts and not outliers_confirmed:
        raise WorkflowError(
            "报送数据有异常，请核实后勾选“已核实异常数据”再通过，或退回修改："
            + "；".join(doubts)
            + " (a figure looks wrong: confirm it was checked, or return the report)"
        )
    note = comment.strip()
    if doubts:
        note = (note + "\n" if note else "") + "已核实异常数据：" + "；".join(doubts)
    with transaction.atomic():
        fresh = _accept(report, by, expected_version, note)
        for consolidated in along:
            _accept(consolidated, by, consolidated.version, "随牵头单位汇总报告一并通过")
    return fresh


def _accept(report: ProgressReport, by: User, expected_version: int, comment: str) -> ProgressReport:
    fresh = _write(
        report,
        by=by,
        expected_version=expected_version,
        allowed=(Status.SUBMITTED,),
        action="report_accept",
        event=(ReportEvent.Action.ACCEPT, comment),
        status=Status.ACCEPTED,
    )
    if fresh.figures:
        data_values_set(
            org=fresh.assignment.unit,
            period=fresh.round.period,
            values=fresh.figures,
            source=f"进展报告 {fresh.pk}（{fresh}）",
            by=by,
        )
        transaction.on_commit(lambda: _refresh_indicators(fresh))
    return fresh


def _refresh_indicators(report: ProgressReport) -> None:
    """After the acceptance is committed: a failure here must not undo it or show the reviewer an error; the
    figures are stored, and the next import or ``duban compute`` brings the indicators up to date."""
    try:
        indicators_refresh(plan=report.round.plan, org_ids={report.assignment.unit_id})
    except Exception:
        logger.exception("indicators not refreshed after accepting report %s", report.pk)


def report_correct(*, report: ProgressReport, by: User) -> ProgressReport:
    """A correction of an accepted report: a new revision, begun as a copy; the accepted one stays as it
    was and visible in the history."""
    if not rules.can_correct(access_for(by), report):
        raise PermissionDenied
    with transaction.atomic():
        updated = ProgressReport.objects.filter(pk=report.pk, is_current=True, status=Status.ACCEPTED).update(
            is_current=False
        )
        if not updated:
            raise ReportConflict("该报告已有更正版本，请刷新页面")
        correction = ProgressReport.objects.create(
            round=report.round,
            assignment=report.assignment,
            revision=report.revision + 1,
            corrects=report,
            progress=report.progress,
            done=report.done,
            problems=report.problems,
            next_steps=report.next_steps,
            figures=report.figures,
            created_by=by,
            updated_by=by,
            updated_at=timezone.now(),
        )
        ReportEvent.objects.create(
            report=report,
            action=ReportEvent.Action.CORRECT,
            from_status=Status.ACCEPTED,
            to_status=Status.ACCEPTED,
            by=by,
        )
        audit_record(
            actor=by, action="report_superseded", obj=report, before={"is_current": True}, after={"is_current": False}
        )
        audit_record(actor=by, action="report_correct", obj=correction, after=snapshot(correction))
    return correction


def report_draw_from_inputs(*, report: ProgressReport, by: User, expected_version: int) -> ProgressReport:
    """The lead unit starts its consolidation from what its co-units wrote: each co-unit's work, problems and
    next steps that have left its unit are added, under the unit's name, to the lead's draft — once, so that
    pressing the button again adds only what is new."""
    if not rules.can_edit(access_for(by), report):
        raise PermissionDenied
    if report.assignment.role != Assignment.Role.LEAD:
        raise WorkflowError("只有牵头单位的汇总报告可以引用配合单位的报告")
    current = ProgressReport.objects.select_related("updated_by").get(pk=report.pk)
    _check_version(current, expected_version)
    sources = (
        ProgressReport.objects.filter(
            round=report.round,
            assignment__task_id=report.assignment.task_id,
            is_current=True,
            status__in=rules.LEFT_UNIT,
        )
        .exclude(assignment__role=Assignment.Role.LEAD)
        .select_related("assignment__unit")
        .order_by("assignment__unit__code")
    )
    values = {name: getattr(current, name) for name in ("done", "problems", "next_steps")}
    for source in sources:
        for name in values:
            text = getattr(source, name).strip()
            quoted = f"【{source.assignment.unit.name}】{text}"
            if text and quoted not in values[name]:
                values[name] = f"{values[name]}\n{quoted}".strip()
    return _write(
        report,
        by=by,
        expected_version=expected_version,
        allowed=(Status.DRAFT, Status.RETURNED),
        action="report_draw_inputs",
        **values,
    )


def _consolidate(report: ProgressReport, by: User) -> None:
    """A lead unit's report records which of its co-units' reports had left their units when it did."""
    if report.assignment.role != Assignment.Role.LEAD:
        return
    inputs = list(
        ProgressReport.objects.filter(
            round=report.round,
            assignment__task_id=report.assignment.task_id,
            is_current=True,
            status__in=rules.LEFT_UNIT,
        ).exclude(assignment__role=Assignment.Role.LEAD)
    )
    report.inputs.set(inputs)
    versions = {str(r.pk): r.version for r in inputs}
    ProgressReport.objects.filter(pk=report.pk).update(input_versions=versions)
    report.input_versions = versions
    audit_record(actor=by, action="report_consolidate", obj=report, after={"inputs": versions})
