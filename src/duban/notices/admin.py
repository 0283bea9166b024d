from typing import Any

from django.contrib import admin
from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext as _

from duban.audit.admin import AuditedAdmin
from duban.core.admin import ReadOnlyAdmin, ReadOnlyInline, ReadOnlyMixin
from duban.notices.models import Delivery, Notice, UnitChannel
from duban.notices.services import deliveries_retry


@admin.register(UnitChannel)
class UnitChannelAdmin(AuditedAdmin):
    """Audited like memberships: an address changed here decides who receives a unit's notices."""

    list_display = ["unit", "email", "webhook_url"]
    search_fields = ["unit__code", "unit__name", "unit__short_name", "email", "webhook_url"]
    autocomplete_fields = ["unit"]
    # A messaging system's address typed without a scheme is an https one (Django 6's default, chosen now).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


class DeliveryInline(ReadOnlyInline):
    """Notices and deliveries are the record of what was sent: only the reminder run writes them."""

    model = Delivery
    fields = ["channel", "address", "state", "attempts", "last_try_at", "sent_at", "last_error"]
    readonly_fields = ["channel", "address", "state", "attempts", "last_try_at", "sent_at", "last_error"]


@admin.register(Notice)
class NoticeAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "kind", "audience", "unit", "round", "subject"]
    list_filter = ["kind", "audience", "round"]
    search_fields = ["key", "subject", "unit__code", "unit__name"]
    date_hierarchy = "created_at"
    list_select_related = ["unit", "round"]
    inlines = [DeliveryInline]


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    list_display = ["notice", "channel", "address", "state", "attempts", "last_try_at", "sent_at"]
    list_filter = ["state", "channel"]
    search_fields = ["address", "last_error", "notice__subject", "notice__unit__name"]
    list_select_related = ["notice"]
    actions = ["retry"]

    @admin.action(description=_("重新发送（清零尝试次数）"))
    def retry(self, request: HttpRequest, queryset: Any) -> None:
        """For a delivery that used up its attempts (an address fixed since, a server back up): the next
        ``duban remind`` sends it again. Sent deliveries are left alone."""
        count = deliveries_retry(deliveries=queryset, by=request.user)
        self.message_user(request, _("%(n)d 条投递将在下次运行 duban remind 时重新发送") % {"n": count})

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # The retry action needs it; the change form stays read-only (every field is read-only below).
        return obj is None and super(ReadOnlyMixin, self).has_change_permission(request, obj)
