"""The organisation registry: units (单位), areas (地区), their names and their renames."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class OrgUnit(models.Model):
    """单位/地区: a department, body, enterprise or area that can be made responsible for a task."""

    class Kind(models.TextChoices):
        DEPARTMENT = "department", _("政府组成部门")
        AFFILIATED = "affiliated", _("直属机构")
        CENTRAL = "central", _("中央驻地方单位")
        MASS_ORG = "mass_org", _("群团组织")
        ENTERPRISE = "enterprise", _("企业")
        OTHER = "other", _("其他单位")
        AREA = "area", _("地区")

    class Level(models.TextChoices):
        PROVINCE = "province", _("省")
        JURISDICTION = "jurisdiction", _("市县")
        DISTRICT = "district", _("区")
        TOWNSHIP = "township", _("乡镇（街道）")

    code = models.CharField(_("代码"), max_length=32, unique=True)
    name = models.CharField(_("全称"), max_length=200)
    short_name = models.CharField(_("简称"), max_length=100, blank=True)
    kind = models.CharField(_("类别"), max_length=16, choices=Kind.choices)
    level = models.CharField(_("层级"), max_length=16, choices=Level.choices, blank=True)
    area_type = models.CharField(_("区划类型"), max_length=32, blank=True, help_text=_("如 地级市、县、街道、镇"))
    parent = models.ForeignKey(
        "self", verbose_name=_("上级"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    stat_parent = models.ForeignKey(
        "self",
        verbose_name=_("统计上级"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="stat_children",
        help_text=_("数据汇总到的上级，空则同“上级”（如洋浦经济开发区的数据计入儋州市）"),
    )
    valid_from = models.DateField(_("启用日期"), null=True, blank=True)
    valid_to = models.DateField(_("停用日期"), null=True, blank=True)
    source = models.TextField(_("来源"), blank=True)

    class Meta:
        verbose_name = _("单位")
        verbose_name_plural = _("单位与地区")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="area") & ~Q(level="")) | (~Q(kind="area") & Q(level="")),
                name="orgunit_level_iff_area",
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="orgunit_valid_range",
            ),
        ]

    def __str__(self) -> str:
        return self.short_name or self.name

    @property
    def effective_stat_parent_id(self) -> int | None:
        return self.stat_parent_id or self.parent_id


class OrgAlias(models.Model):
    """别名: another surface name of a unit, as documents write it (省卫健委, 人行海口中心支行 …)."""

    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="aliases", verbose_name=_("单位"))
    name = models.CharField(_("名称"), max_length=200, db_index=True)

    class Meta:
        verbose_name = _("别名")
        verbose_name_plural = _("别名")
        constraints = [models.UniqueConstraint(fields=["unit", "name"], name="orgalias_unique_per_unit")]

    def __str__(self) -> str:
        return self.name


class OrgSuccession(models.Model):
    """机构改革: a rename or merge. The successor carries the predecessor's work from ``effective`` on."""

    class Kind(models.TextChoices):
        RENAME = "rename", _("更名")
        MERGE = "merge", _("合并")

    predecessor = models.ForeignKey(
        OrgUnit, on_delete=models.CASCADE, related_name="successions", verbose_name=_("原单位")
    )
    successor = models.ForeignKey(
        OrgUnit, on_delete=models.CASCADE, related_name="predecessions", verbose_name=_("承接单位")
    )
    effective = models.DateField(_("生效日期"), null=True, blank=True, help_text=_("未查到日期时留空"))
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices, default=Kind.RENAME)
    source = models.TextField(_("来源"), blank=True)

    class Meta:
        verbose_name = _("机构更名/合并")
        verbose_name_plural = _("机构更名/合并")
        constraints = [
            models.UniqueConstraint(fields=["predecessor", "successor"], name="succession_unique_pair"),
            models.CheckConstraint(condition=~Q(predecessor=models.F("successor")), name="succession_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor}"


class Collective(models.Model):
    """集合称谓: a name for a group of local governments (各市县政府) and who it means by default."""

    term = models.CharField(_("称谓"), max_length=100, unique=True)
    region = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("所属地区"))
    members = models.ManyToManyField(OrgUnit, related_name="collectives", verbose_name=_("默认成员"))
    source = models.TextField(_("来源"), blank=True)

    class Meta:
        verbose_name = _("集合称谓")
        verbose_name_plural = _("集合称谓")

    def __str__(self) -> str:
        return self.term


class CollectiveAlias(models.Model):
    collective = models.ForeignKey(Collective, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(_("名称"), max_length=100, unique=True)

    class Meta:
        verbose_name = _("集合称谓别名")
        verbose_name_plural = _("集合称谓别名")

    def __str__(self) -> str:
        return self.name
