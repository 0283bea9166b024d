"""Statistical data (统计数据), the facility registry (机构) and computed indicator values (指标值)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

import numpy as np
from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from duban.metrics.engine import NO_DATA, NOT_APPLICABLE, OK
from duban.metrics.periods import Period
from duban.orgs.models import OrgUnit
from duban.plans.models import Target


class DataElement(models.Model):
    """统计指标: a kind of figure units report, such as 60岁及以上人口. Extensible without code."""

    class Kind(models.TextChoices):
        STOCK = "stock", _("存量（时点数）")
        FLOW = "flow", _("流量（期间数）")

    code = models.CharField(_("代码"), max_length=64, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    unit = models.CharField(_("计量单位"), max_length=20)
    kind = models.CharField(_("类型"), max_length=8, choices=Kind.choices)
    description = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("统计指标")
        verbose_name_plural = _("统计指标")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"


class DataValue(models.Model):
    """数据: one figure of one element for one unit and period."""

    org = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="data_values", verbose_name=_("单位"))
    element = models.ForeignKey(DataElement, on_delete=models.PROTECT, related_name="values", verbose_name=_("指标"))
    period = models.CharField(_("统计期"), max_length=8, help_text=_("2025、2025Q4 或 2025-12"))
    period_start = models.DateField(_("起始日"))
    period_end = models.DateField(_("截止日"))
    granularity = models.CharField(_("周期"), max_length=8)
    value = models.FloatField(_("数值"))
    source = models.CharField(_("来源"), max_length=500, blank=True)
    is_sample = models.BooleanField(_("示例数据"), default=False)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("数据")
        verbose_name_plural = _("数据")
        constraints = [
            models.UniqueConstraint(fields=["org", "element", "period"], name="datavalue_one_per_key"),
            models.CheckConstraint(condition=Q(value__gte=0), name="datavalue_not_negative"),
        ]
        indexes = [models.Index(fields=["element", "period_end"])]

    def __str__(self) -> str:
        return f"{self.org} {self.element.code} {self.period} = {self.value:g}"

    @classmethod
    def of_period(
        cls,
        *,
        org: OrgUnit,
        element: DataElement,
        period: Period,
        value: float,
        source: str = "",
        is_sample: bool = False,
    ) -> DataValue:
        """An unsaved value for ``period``, its dates and granularity taken from the period itself."""
        return cls(
            org=org,
            element=element,
            period=str(period),
            period_start=period.start,
            period_end=period.end,
            granularity=period.granularity,
            value=value,
            source=source,
            is_sample=is_sample,
        )

    def change_to(self, value: float, source: str) -> bool:
        """Store a new value and source if either differs; whether anything changed."""
        if self.value == value and self.source == source:
            return False
        self.value, self.source = value, source
        self.save(update_fields=["value", "source", "updated_at"])
        return True


class Facility(models.Model):
    """机构: an elderly-care or childcare facility with its capacity and the days it opened and closed."""

    class Kind(models.TextChoices):
        ELDERLY_INSTITUTION = "elderly_institution", _("养老机构")
        SUPPORT_HOME = "support_home", _("县级特困人员供养服务设施（敬老院）")
        REGIONAL_CENTER = "regional_center", _("区域性养老服务中心")
        TOWNSHIP_CENTER = "township_center", _("乡镇（街道）综合养老服务机构")
        COMMUNITY_FACILITY = "community_facility", _("社区养老服务设施")
        CHILDCARE = "childcare", _("托育机构（含幼儿园托班）")
        ELDERLY_UNIVERSITY = "elderly_university", _("老年大学")

    class Nature(models.TextChoices):
        PUBLIC = "public", _("公办/公立型")
        INCLUSIVE = "inclusive", _("普惠性")
        PRIVATE = "private", _("营利性")

    facility_id = models.CharField(_("机构编号"), max_length=64, unique=True)
    name = models.CharField(_("名称"), max_length=200)
    kind = models.CharField(_("类型"), max_length=24, choices=Kind.choices)
    org = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="facilities", verbose_name=_("所在地区"))
    nature = models.CharField(_("性质"), max_length=12, choices=Nature.choices)
    beds = models.PositiveIntegerField(_("床位数"), default=0)
    nursing_beds = models.PositiveIntegerField(_("护理型床位数"), default=0)
    places = models.PositiveIntegerField(_("托位数"), default=0)
    enrolled = models.PositiveIntegerField(_("在托人数"), default=0)
    comprehensive = models.BooleanField(_("具备综合功能"), default=False)
    has_medical = models.BooleanField(_("内设医疗机构"), default=False)
    opened = models.DateField(_("开业日期"))
    closed = models.DateField(_("停业日期"), null=True, blank=True)
    is_sample = models.BooleanField(_("示例数据"), default=False)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("机构")
        verbose_name_plural = _("机构")
        constraints = [
            models.CheckConstraint(condition=Q(nursing_beds__lte=F("beds")), name="facility_nursing_within_beds"),
            models.CheckConstraint(
                condition=Q(closed__isnull=True) | Q(closed__gte=F("opened")), name="facility_closes_after_opening"
            ),
        ]
        indexes = [models.Index(fields=["kind", "org"])]

    def __str__(self) -> str:
        return self.name


class ImportKind(models.TextChoices):
    DATA = "data", _("统计数据")
    FACILITIES = "facilities", _("机构登记")


class ImportState(models.TextChoices):
    """An import job's states: checked → queued → running → done or failed; checked → discarded; a failed job
    may be queued again."""

    CHECKED = "checked", _("待确认")
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("导入中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")
    DISCARDED = "discarded", _("已放弃")


_FINISHED = [ImportState.DONE.value, ImportState.FAILED.value, ImportState.DISCARDED.value]


class ImportJob(models.Model):
    """导入任务: a data or facility file uploaded in the browser, checked, confirmed by the office and imported
    outside the request (docs/web.md, "数据导入").

    The file is kept in the row itself, so that any process that can reach the database can run the job: a
    thread of the web process that took the confirmation, or ``duban import-jobs --run`` elsewhere.
    """

    Kind = ImportKind
    State = ImportState

    kind = models.CharField(_("类型"), max_length=16, choices=ImportKind.choices)
    state = models.CharField(_("状态"), max_length=16, choices=ImportState.choices, default=ImportState.CHECKED)
    file_name = models.CharField(_("文件名"), max_length=200)
    content = models.BinaryField(_("文件内容"), blank=True)
    size = models.PositiveIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    rows = models.PositiveIntegerField(_("行数"), default=0)
    check_report = models.JSONField(_("检查结果"), default=dict, help_text=_("导入前检查给出的结果与提示"))
    progress = models.PositiveSmallIntegerField(_("进度（%）"), default=0)
    step = models.CharField(_("当前步骤"), max_length=100, blank=True)
    result = models.JSONField(_("导入结果"), null=True, blank=True)
    error = models.TextField(_("失败原因"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("上传人")
    )
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("确认人"),
    )
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("最近进展"), null=True, blank=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    worker = models.CharField(_("执行进程"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("导入任务")
        verbose_name_plural = _("导入任务")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(state__in=ImportState.values), name="importjob_state_known"),
            models.CheckConstraint(condition=Q(kind__in=ImportKind.values), name="importjob_kind_known"),
            models.CheckConstraint(condition=Q(progress__lte=100), name="importjob_progress_percent"),
            # A finished job says when it finished; a job still under way does not.
            models.CheckConstraint(
                condition=(
                    Q(state__in=_FINISHED, finished_at__isnull=False)
                    | (~Q(state__in=_FINISHED) & Q(finished_at__isnull=True))
                ),
                name="importjob_finished_when_ended",
            ),
            models.CheckConstraint(
                condition=Q(state__in=[ImportState.CHECKED, ImportState.DISCARDED]) | Q(confirmed_at__isnull=False),
                name="importjob_confirmed_before_queued",
            ),
        ]
        indexes = [models.Index(fields=["state", "created_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.file_name}（{self.get_state_display()}）"

    @property
    def finished(self) -> bool:
        return self.state in _FINISHED


class TargetBinding(models.Model):
    """Which indicator measures a plan's target (目标 ↔ 指标)."""

    target = models.OneToOneField(Target, on_delete=models.CASCADE, related_name="binding", verbose_name=_("目标"))
    indicator = models.CharField(_("指标代码"), max_length=64)

    class Meta:
        verbose_name = _("目标与指标的对应")
        verbose_name_plural = _("目标与指标的对应")

    def __str__(self) -> str:
        return f"{self.target} → {self.indicator}"


class JurisdictionTarget(models.Model):
    """A jurisdiction's share of a province target (目标分解), written by ``indicators.services.target_shares_set``.

    ``value`` is the share as the target is written (a count, or a rate); ``count`` is the share in whole units of
    the indicator's numerator and ``basis`` the denominator a rate's share was sized on, so that the shares can be
    seen to add up to the province's target (docs/status.md). A jurisdiction without a share is held to no target.
    """

    class Method(models.TextChoices):
        EQUAL = "equal", _("平均分解")
        NEED = "need", _("按需求分解")
        TABLE = "table", _("办公室设定")

    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="unit_targets", verbose_name=_("目标"))
    org = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="+", verbose_name=_("单位"))
    value = models.FloatField(_("目标值"))
    method = models.CharField(_("分解方式"), max_length=8, choices=Method.choices, default=Method.TABLE)
    count = models.FloatField(_("份额（分子）"), null=True, blank=True)
    basis = models.FloatField(_("分解依据（分母）"), null=True, blank=True)
    set_at = models.DateTimeField(_("设定时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("分地区目标")
        verbose_name_plural = _("分地区目标")
        constraints = [
            models.UniqueConstraint(fields=["target", "org"], name="unit_target_once"),
            models.CheckConstraint(condition=Q(value__gte=0), name="unit_target_not_negative"),
            models.CheckConstraint(condition=Q(method__in=["equal", "need", "table"]), name="unit_target_method"),
        ]

    def __str__(self) -> str:
        return f"{self.org} {self.value:g}"


@dataclass(frozen=True, slots=True)
class StoredValue:
    """指标值: one indicator's value at one unit for one period, as read back from its stored series."""

    indicator: str
    org_id: int
    period: str
    period_end: date
    numerator: float | None
    denominator: float | None
    value: float | None
    reason: str

    @property
    def is_quarter(self) -> bool:
        return "Q" in self.period


@lru_cache(maxsize=4096)
def _period_end(label: str) -> date:
    return Period.parse(label).end


class IndicatorSeries(models.Model):
    """指标值序列: one indicator computed for one unit over every reporting period, kept so that pages read it
    at once.

    A row holds the whole series: the periods (comma-separated labels in period order) and, for each, the
    numerator, denominator and value (float64, little-endian, NaN where there is none) and why a value is
    missing (one byte per period: the engine's reason codes). Packed arrays rather than a row per value or
    JSON, because a country's computation gives over a million values: a row each took most of the time, and
    turning a million floats into JSON text and back (and, on PostgreSQL, into jsonb) still took seconds.
    Every reader wants a unit's series whole anyway (a trend, a status, a ranking); ``points()`` unpacks it,
    and the admin shows it as a table. The series are derived data: ``duban compute`` rebuilds them.
    """

    class Reason(models.TextChoices):
        OK = "ok", _("有值")
        NO_DATA = "no_data", _("暂无数据")
        NOT_APPLICABLE = "not_applicable", _("不适用")

    indicator = models.CharField(_("指标"), max_length=64)
    org = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="+", verbose_name=_("单位"))
    periods = models.TextField(_("统计期"), help_text=_("按截止日排序，以逗号分隔"))
    numerators = models.BinaryField(_("分子"))
    denominators = models.BinaryField(_("分母"))
    values = models.BinaryField(_("数值"))
    reasons = models.BinaryField(_("说明"))
    computed = models.DateTimeField(_("计算时间"))

    class Meta:
        verbose_name = _("指标值序列")
        verbose_name_plural = _("指标值序列")
        constraints = [models.UniqueConstraint(fields=["indicator", "org"], name="indicatorseries_once")]

    def __str__(self) -> str:
        return f"{self.indicator} {self.org}"

    @property
    def period_labels(self) -> list[str]:
        return self.periods.split(",") if self.periods else []

    def points(self) -> list[StoredValue]:
        """The series as one value per period, in period order."""
        reasons = [REASON_OF_CODE[int(code)] for code in np.frombuffer(bytes(self.reasons), dtype=np.int8)]
        return [
            StoredValue(self.indicator, self.org_id, label, _period_end(label), num, den, value, reason)
            for label, num, den, value, reason in zip(
                self.period_labels,
                unpack_floats(self.numerators),
                unpack_floats(self.denominators),
                unpack_floats(self.values),
                reasons,
                strict=True,
            )
        ]


# The engine's reason codes (metrics.engine: OK, NO_DATA, NOT_APPLICABLE) as stored, and their names.
REASON_OF_CODE = {
    OK: IndicatorSeries.Reason.OK.value,
    NO_DATA: IndicatorSeries.Reason.NO_DATA.value,
    NOT_APPLICABLE: IndicatorSeries.Reason.NOT_APPLICABLE.value,
}
CODE_OF_REASON = {name: code for code, name in REASON_OF_CODE.items()}
_FLOATS = np.dtype("<f8")


def pack_floats(values: Any) -> bytes:
    """Numbers (None or NaN where missing) as little-endian float64 bytes."""
    array = np.asarray([np.nan if v is None else v for v in values] if isinstance(values, list) else values)
    return array.astype(_FLOATS).tobytes()


def unpack_floats(packed: Any) -> list[float | None]:
    array = np.frombuffer(bytes(packed), dtype=_FLOATS)
    return [None if math.isnan(v) else v for v in array.tolist()]


def pack_reasons(codes: Any) -> bytes:
    return np.asarray(codes).astype(np.int8).tobytes()
