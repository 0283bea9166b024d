"""报送轮次 (reporting rounds), 进展报告 (progress reports), their review history, evidence and task closure."""

from __future__ import annotations

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from duban.metrics.periods import Period
from duban.plans.models import Assignment, Plan, Task


class ReportingRound(models.Model):
    """报送轮次: a round in which every unit reports on its assignments by a due date."""

    class Kind(models.TextChoices):
        REGULAR = "regular", _("定期（季度）")
        ADHOC = "adhoc", _("专项")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="rounds", verbose_name=_("方案"))
    title = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=8, choices=Kind.choices, default=Kind.REGULAR)
    period = models.CharField(_("统计期"), max_length=8, help_text=_("报送数据所属的统计期，如 2026Q3"))
    opens = models.DateField(_("开始日期"))
    due = models.DateField(_("截止日期"))
    tasks = models.ManyToManyField(
        Task, blank=True, related_name="+", verbose_name=_("范围（任务）"), help_text=_("留空表示全部任务")
    )

    class Meta:
        verbose_name = _("报送轮次")
        verbose_name_plural = _("报送轮次")
        ordering = ["due", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "period"], condition=Q(kind="regular"), name="one_regular_round_per_period"
            ),
            models.CheckConstraint(condition=Q(due__gte=models.F("opens")), name="round_due_after_opening"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def label(self) -> str:
        """The round's name in the page's language: a quarterly round keeps the name made from its quarter
        (2026年第3季度, Q3 2026 in English); a round the office named keeps the name it was given."""
        if self.kind == self.Kind.REGULAR:
            try:
                period = Period.parse(self.period)
            except ValueError:
                return self.title
            if period.granularity == "quarter" and self.title == period.label_zh:
                quarter = (period.end.month + 2) // 3
                return gettext("%(year)s年第%(quarter)s季度") % {"year": period.end.year, "quarter": quarter}
        return self.title


class ProgressReport(models.Model):
    """进展报告: a unit's report on one assignment for one round.

    ``revision`` counts corrections: an accepted report is never changed, a correction is a new revision that
    points at the one it corrects. ``version`` counts saves and guards against lost updates.
    """

    class Progress(models.TextChoices):
        NOT_STARTED = "not_started", _("未启动")
        IN_PROGRESS = "in_progress", _("推进中")
        COMPLETED = "completed", _("已完成")
        BLOCKED = "blocked", _("受阻")

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        AWAITING_SIGNOFF = "awaiting_signoff", _("待本单位审核")
        SUBMITTED = "submitted", _("已报送")
        RETURNED = "returned", _("已退回")
        ACCEPTED = "accepted", _("已通过")

    # PROTECT: a round with reports is history; deleting it would take accepted reports and their evidence along.
    round = models.ForeignKey(ReportingRound, on_delete=models.PROTECT, related_name="reports", verbose_name=_("轮次"))
    assignment = models.ForeignKey(
        Assignment, on_delete=models.PROTECT, related_name="reports", verbose_name=_("任务分工")
    )
    revision = models.PositiveIntegerField(_("修订次数"), default=1)
    corrects = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="correction", verbose_name=_("更正的报告")
    )
    is_current = models.BooleanField(_("当前版本"), default=True)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    progress = models.CharField(_("进展"), max_length=12, choices=Progress.choices, default=Progress.NOT_STARTED)
    done = models.TextField(_("工作进展"), blank=True)
    problems = models.TextField(_("存在问题"), blank=True)
    next_steps = models.TextField(_("下一步计划"), blank=True)
    figures = models.JSONField(_("报送数据"), default=dict, blank=True)
    inputs = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="consolidated_in", verbose_name=_("汇总的配合单位报告")
    )
    # What each consolidated report said when the lead took it in: a report changed since then (returned,
    # rewritten, sent again) was not what the lead consolidated, and accepting the lead's report must not
    # accept it unseen.
    input_versions = models.JSONField(_("汇总时的配合单位报告版本"), default=dict, blank=True)
    version = models.PositiveIntegerField(_("保存次数"), default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("创建人")
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("最后修改人")
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("修改时间"))
    submitted_at = models.DateTimeField(_("报送时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("进展报告")
        verbose_name_plural = _("进展报告")
        constraints = [
            models.UniqueConstraint(fields=["round", "assignment", "revision"], name="report_revision_once"),
            models.UniqueConstraint(
                fields=["round", "assignment"], condition=Q(is_current=True), name="one_current_report"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "awaiting_signoff", "submitted", "returned", "accepted"]),
                name="report_status_known",
            ),
            models.CheckConstraint(
                condition=Q(progress__in=["not_started", "in_progress", "completed", "blocked"]),
                name="report_progress_known",
            ),
        ]

    def __str__(self) -> str:
        suffix = f"（第{self.revision}版）" if self.revision > 1 else ""
        return f"{self.round} · 任务{self.assignment.task.number} · {self.assignment.unit}{suffix}"

    @property
    def left_unit(self) -> bool:
        """Signed off by its unit: others (the lead unit, the office) may now read it."""
        return self.status in (self.Status.SUBMITTED, self.Status.RETURNED, self.Status.ACCEPTED)

    @property
    def editable(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)


class ReportEvent(models.Model):
    """审核记录: one step of a report's workflow, with the comment that went with it."""

    class Action(models.TextChoices):
        SUBMIT = "submit", _("提交审核")
        SIGN_OFF = "sign_off", _("单位审核通过并报送")
        SEND_BACK = "send_back", _("单位审核退回")
        RETURN = "return", _("退回修改")
        ACCEPT = "accept", _("审核通过")
        CORRECT = "correct", _("发起更正")
        WITHDRAW = "withdraw", _("撤回")

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="events", verbose_name=_("报告"))
    action = models.CharField(_("操作"), max_length=12, choices=Action.choices)
    from_status = models.CharField(_("原状态"), max_length=20)
    to_status = models.CharField(_("新状态"), max_length=20)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("操作人")
    )
    at = models.DateTimeField(_("时间"), auto_now_add=True)
    comment = models.TextField(_("意见"), blank=True)

    class Meta:
        verbose_name = _("审核记录")
        verbose_name_plural = _("审核记录")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.report} {self.get_action_display()}"


class EvidenceStorage(FileSystemStorage):
    """Evidence lives under ``EVIDENCE_ROOT``, outside anything the web server serves, and leaves only through
    the view that checks who asks. The setting is read on each use, so that tests can point it elsewhere."""

    def __init__(self) -> None:
        super().__init__(base_url=None)

    @property
    def base_location(self) -> str:
        return str(settings.EVIDENCE_ROOT)

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)


def evidence_storage() -> EvidenceStorage:
    return EvidenceStorage()


class Evidence(models.Model):
    """佐证材料: a file attached to a report."""

    report = models.ForeignKey(
        ProgressReport, on_delete=models.CASCADE, related_name="evidence", verbose_name=_("报告")
    )
    file = models.FileField(_("文件"), storage=evidence_storage, upload_to="%Y/%m/")
    name = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(_("类型"), max_length=100)
    size = models.PositiveIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("上传人")
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("佐证材料")
        verbose_name_plural = _("佐证材料")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.name


class TaskClosure(models.Model):
    """销号 and its reversal: the office closes a task that is done, with a reason, and may reopen it."""

    class Action(models.TextChoices):
        CLOSE = "close", _("销号")
        REOPEN = "reopen", _("恢复督办")

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="closures", verbose_name=_("任务"))
    action = models.CharField(_("操作"), max_length=8, choices=Action.choices)
    reason = models.TextField(_("理由"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("操作人")
    )
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("销号记录")
        verbose_name_plural = _("销号记录")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.task} {self.get_action_display()}"
