"""用户所属单位与角色: which unit a user works for and what they may do there."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from duban.orgs.models import OrgUnit


class Role(models.TextChoices):
    """角色. An administrator (管理员) is a Django superuser and needs no membership."""

    REPORTER = "reporter", _("单位填报员")
    APPROVER = "approver", _("单位审核人")
    OFFICE = "office", _("督办办公室")
    LEADER = "leader", _("领导（只读）")


class Membership(models.Model):
    """A user's unit and roles. One unit per user: a person who works for two units has two accounts,
    because every report, review and reminder is addressed to a unit."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership", verbose_name=_("用户")
    )
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="members", verbose_name=_("所属单位"))
    reporter = models.BooleanField(Role.REPORTER.label, default=False)
    approver = models.BooleanField(Role.APPROVER.label, default=False)
    office = models.BooleanField(Role.OFFICE.label, default=False)
    leader = models.BooleanField(Role.LEADER.label, default=False)
    password_must_change = models.BooleanField(
        _("须修改密码"),
        default=False,
        help_text=_("由督办办公室设置的临时密码：本人下次登录时须先设置新密码"),
    )

    class Meta:
        verbose_name = _("用户单位与角色")
        verbose_name_plural = _("用户单位与角色")

    def __str__(self) -> str:
        return f"{self.user} @ {self.unit}"

    @property
    def roles(self) -> list[str]:
        return [role.value for role in Role if getattr(self, role.value)]
