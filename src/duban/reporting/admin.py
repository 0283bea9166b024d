"""Reporting in the admin. Reports, their review history, evidence and closures are read only here: they change
only through the services, which check permissions, versions and workflow and write the audit trail."""

from django.contrib import admin

from duban.audit.admin import AuditedAdmin
from duban.core.admin import ReadOnlyAdmin, ReadOnlyInline
from duban.reporting.models import Evidence, ProgressReport, ReportEvent, ReportingRound, TaskClosure


@admin.register(ReportingRound)
class ReportingRoundAdmin(AuditedAdmin):
    list_display = ["title", "plan", "kind", "period", "opens", "due"]
    list_filter = ["plan", "kind"]
    filter_horizontal = ["tasks"]


class ReportEventInline(ReadOnlyInline):
    model = ReportEvent
    fields = ("at", "by", "action", "from_status", "to_status", "comment")
    readonly_fields = ("at", "by", "action", "from_status", "to_status", "comment")


@admin.register(ProgressReport)
class ProgressReportAdmin(ReadOnlyAdmin):
    list_display = ["round", "assignment", "revision", "status", "progress", "updated_by", "updated_at"]
    list_filter = ["status", "progress", "round"]
    search_fields = ["assignment__unit__name", "assignment__task__text", "done"]
    inlines = [ReportEventInline]


@admin.register(Evidence)
class EvidenceAdmin(ReadOnlyAdmin):
    """Listed without links: files leave only through the page that checks who may read them."""

    list_display = ["name", "report", "content_type", "size", "uploaded_by", "uploaded_at"]
    exclude = ["file"]


@admin.register(TaskClosure)
class TaskClosureAdmin(ReadOnlyAdmin):
    list_display = ["task", "action", "reason", "by", "at"]
