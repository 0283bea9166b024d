from django.contrib import admin

from duban.audit.admin import AuditedAdmin
from duban.plans.models import Assignment, Plan, PlanDraft, Target, Task


class TaskInline(admin.TabularInline):
    model = Task
    fields = ["number", "text"]
    readonly_fields = ["number", "text"]
    extra = 0
    can_delete = False
    show_change_link = True


@admin.register(Plan)
class PlanAdmin(AuditedAdmin):
    list_display = ["title", "revision", "region", "issued_on", "document_number", "imported_at"]
    list_filter = ["region"]
    search_fields = ["title", "document_number", "issuing_body"]
    readonly_fields = ["source_name", "source_sha256", "imported_at", "previous", "revision", "scope_notes"]
    inlines = [TaskInline]


class TargetInline(admin.TabularInline):
    model = Target
    extra = 0


class AssignmentInline(admin.TabularInline):
    model = Assignment
    fields = ["unit", "role", "name_as_written", "via_collective"]
    autocomplete_fields = ["unit"]
    extra = 0


@admin.register(Task)
class TaskAdmin(AuditedAdmin):
    list_display = ["number", "text", "plan"]
    list_filter = ["plan"]
    search_fields = ["text"]
    inlines = [TargetInline, AssignmentInline]


@admin.register(Assignment)
class AssignmentAdmin(AuditedAdmin):
    list_display = ["task", "unit", "role", "name_as_written", "via_collective"]
    list_filter = ["role", "task__plan", "unit__kind"]
    search_fields = ["name_as_written", "unit__name", "unit__short_name"]
    autocomplete_fields = ["unit", "task"]


@admin.register(PlanDraft)
class PlanDraftAdmin(AuditedAdmin):
    """Drafts are made and corrected on the office's import pages; the admin only shows them."""

    list_display = ["source_name", "status", "region", "created_by", "created_at", "updated_by", "updated_at", "plan"]
    list_filter = ["status"]
    exclude = ["content"]
    readonly_fields = [f.name for f in PlanDraft._meta.fields if f.name != "content"]

    def has_add_permission(self, request: object) -> bool:
        return False
