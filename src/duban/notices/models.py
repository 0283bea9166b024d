"""通知 (notices): reminders and escalations about reports, shown in the inbox and delivered by e-mail and
webhook, each exactly once."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from duban.orgs.models import OrgUnit
from duban.reporting.models import ProgressReport, ReportingRound


class UnitChannel(models.Model):
    """单位通知渠道: where a unit's notices go besides its members' e-mail addresses."""

    unit = models.OneToOneField(OrgUnit, on_delete=models.CASCADE, related_name="channel", verbose_name=_("单位"))
    email = models.EmailField(_("单位邮箱"), blank=True)
    webhook_url = models.URLField(
        _("消息推送地址"), blank=True, help_text=_("收到通知时以 POST 发送 JSON，供政务消息系统接收")
    )

    class Meta:
        verbose_name = _("单位通知渠道")
        verbose_name_plural = _("单位通知渠道")

    def __str__(self) -> str:
        return str(self.unit)


class Notice(models.Model):
    """One notice to one audience about one unit. ``key`` says what it is about, so that running the
    reminders again never sends it twice."""

    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", _("即将到期")
        OVERDUE = "overdue", _("已逾期")
        RETURNED = "returned", _("被退回待重报")
        ESCALATION = "escalation", _("逾期升级")
        MANUAL = "manual", _("督办催办")
        SIGNOFF = "signoff", _("待本单位审核")
        SENT_BACK = "sent_back", _("单位审核退回")
        CO_SUBMITTED = "co_submitted", _("配合单位已报送")

    class Audience(models.TextChoices):
        UNIT = "unit", _("单位填报员")
        APPROVERS = "approvers", _("单位审核人")
        OFFICE = "office", _("督办办公室")

    key = models.CharField(_("唯一标识"), max_length=120, unique=True)
    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices)
    audience = models.CharField(_("通知对象"), max_length=12, choices=Audience.choices)
    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="notices", verbose_name=_("所涉单位"))
    round = models.ForeignKey(
        ReportingRound, on_delete=models.PROTECT, null=True, related_name="notices", verbose_name=_("轮次")
    )
    report = models.ForeignKey(
        ProgressReport, on_delete=models.PROTECT, null=True, blank=True, related_name="notices", verbose_name=_("报告")
    )
    subject = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"))
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    read_by = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("已读"))

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.subject


class Delivery(models.Model):
    """One sending of a notice by one channel. A failure is kept with its error and tried again on the next
    run, so that no notice is lost."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("电子邮件")
        WEBHOOK = "webhook", _("消息推送")

    class State(models.TextChoices):
        PENDING = "pending", _("待发送")
        SENDING = "sending", _("发送中")
        SENT = "sent", _("已发送")
        FAILED = "failed", _("发送失败，待重试")

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("通知"))
    channel = models.CharField(_("渠道"), max_length=8, choices=Channel.choices)
    address = models.CharField(_("地址"), max_length=500)
    state = models.CharField(_("状态"), max_length=8, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveIntegerField(_("尝试次数"), default=0)
    last_error = models.TextField(_("最近错误"), blank=True)
    last_try_at = models.DateTimeField(_("最近尝试"), null=True, blank=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("投递记录")
        verbose_name_plural = _("投递记录")
        constraints = [
            models.UniqueConstraint(fields=["notice", "channel", "address"], name="delivery_once_per_address")
        ]

    def __str__(self) -> str:
        return f"{self.notice} → {self.address}"
