"""Plans (方案), their tasks (重点任务), targets (目标) and assignments (任务分工)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from duban.orgs.models import OrgUnit
from duban.taskdoc.model import describe_target


class Plan(models.Model):
    """方案: one revision of a policy document's task table."""

    title = models.CharField(_("标题"), max_length=300)
    issuing_body = models.CharField(_("印发机关"), max_length=200, blank=True)
    document_number = models.CharField(_("文号"), max_length=100, blank=True)
    issued_on = models.DateField(_("印发日期"), null=True, blank=True)
    region = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="plans", verbose_name=_("地区"))
    source_name = models.CharField(_("来源文件"), max_length=300)
    source_sha256 = models.CharField(_("文件摘要"), max_length=64, db_index=True)
    scope_notes = models.JSONField(_("范围说明"), default=list, blank=True)
    revision = models.PositiveIntegerField(_("版本"), default=1)
    previous = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="next_revision",
        verbose_name=_("上一版本"),
    )
    imported_at = models.DateTimeField(_("导入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("方案")
        verbose_name_plural = _("方案")
        ordering = ["-imported_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.title}（第{self.revision}版）" if self.revision > 1 else self.title


class Task(models.Model):
    """重点任务."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="tasks", verbose_name=_("方案"))
    number = models.PositiveIntegerField(_("序号"))
    text = models.TextField(_("重点任务"))
    previous = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("上一版本中的任务"),
    )

    class Meta:
        verbose_name = _("重点任务")
        verbose_name_plural = _("重点任务")
        ordering = ["plan", "number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="task_number_unique_in_plan")]

    def __str__(self) -> str:
        return f"{self.number}. {self.text[:40]}"


class Target(models.Model):
    """目标: a quantity with comparator and deadline, or a milestone with a deadline."""

    class Kind(models.TextChoices):
        QUANTITY = "quantity", _("数量目标")
        MILESTONE = "milestone", _("节点目标")

    class Comparator(models.TextChoices):
        AT_LEAST = ">=", "≥"
        AT_MOST = "<=", "≤"
        MORE_THAN = ">", ">"
        LESS_THAN = "<", "<"
        ABOUT = "=", "≈"

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="targets", verbose_name=_("任务"))
    position = models.PositiveSmallIntegerField(_("顺序"), default=1)
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    subject = models.CharField(_("指标或事项"), max_length=300)
    comparator = models.CharField(_("比较"), max_length=2, choices=Comparator.choices, blank=True)
    value = models.DecimalField(_("目标值"), max_digits=20, decimal_places=6, null=True, blank=True)
    unit = models.CharField(_("单位"), max_length=20, blank=True)
    deadline = models.DateField(_("完成时限"), null=True, blank=True)

    class Meta:
        verbose_name = _("目标")
        verbose_name_plural = _("目标")
        ordering = ["task", "position"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="milestone") | (Q(kind="quantity") & Q(value__isnull=False) & ~Q(comparator="")),
                name="target_quantity_has_value",
            )
        ]

    def __str__(self) -> str:
        return self.subject

    def describe(self) -> str:
        return describe_target(
            kind=self.kind,
            subject=self.subject,
            comparator=self.comparator,
            value=self.value,
            unit=self.unit,
            deadline=self.deadline,
        )


class Assignment(models.Model):
    """任务分工: a task × a unit × a role."""

    class Role(models.TextChoices):
        """The roles of ``taskdoc.model.ROLES`` in its order, with translatable labels for the pages."""

        LEAD = "lead", _("牵头")
        RESPONSIBLE = "responsible", _("负责")
        SUPPORT = "support", _("配合")
        LOCAL = "local", _("属地")

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("任务"))
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("单位"))
    role = models.CharField(_("角色"), max_length=16, choices=Role.choices)
    name_as_written = models.CharField(_("原文名称"), max_length=200)
    via_collective = models.CharField(_("经由集合称谓"), max_length=100, blank=True)
    previous = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("上一版本中的分工"),
    )

    class Meta:
        verbose_name = _("任务分工")
        verbose_name_plural = _("任务分工")
        ordering = ["task", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["task", "unit"], name="assignment_unique_unit_per_task"),
            models.CheckConstraint(
                condition=Q(role__in=["lead", "responsible", "support", "local"]), name="assignment_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.task.number} · {self.name_as_written} · {self.get_role_display()}"


class PlanDraft(models.Model):
    """方案导入草稿: a document uploaded in the browser, read by the parser and corrected by the office before
    anything of it becomes a plan. The parser's reading is kept beside the corrected one, and every save
    records who changed what from what, so the import can be traced to the document and the people."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("待核对")
        IMPORTED = "imported", _("已导入")
        DISCARDED = "discarded", _("已放弃")

    source_name = models.CharField(_("来源文件"), max_length=300)
    source_sha256 = models.CharField(_("文件摘要"), max_length=64)
    content = models.BinaryField(_("文件内容"))
    parsed = models.JSONField(_("解析结果"))
    document = models.JSONField(_("核对后的内容"))
    # name as written → {"code": "…"} (a registry unit) or {"new": {"name", "kind", "parent"}} (a unit to add)
    resolutions = models.JSONField(_("单位对应"), default=dict, blank=True)
    corrections = models.JSONField(_("修改记录"), default=list, blank=True)
    region = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("地区"))
    issuing_body = models.CharField(_("印发机关"), max_length=200, blank=True)
    document_number = models.CharField(_("文号"), max_length=100, blank=True)
    issued_on = models.DateField(_("印发日期"), null=True, blank=True)
    revises = models.ForeignKey(
        Plan, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("修订的方案")
    )
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    version = models.PositiveIntegerField(_("版本"), default=1)
    plan = models.ForeignKey(
        Plan, null=True, blank=True, on_delete=models.PROTECT, related_name="drafts", verbose_name=_("导入的方案")
    )
    created_by = models.ForeignKey("auth.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("上传人"))
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    updated_by = models.ForeignKey(
        "auth.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("最后修改人")
    )
    updated_at = models.DateTimeField(_("最后修改时间"), auto_now=True)

    class Meta:
        verbose_name = _("方案导入草稿")
        verbose_name_plural = _("方案导入草稿")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["draft", "imported", "discarded"]), name="plan_draft_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status="imported") | Q(plan__isnull=False), name="plan_draft_imported_has_plan"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source_name}（{self.get_status_display()}）"
