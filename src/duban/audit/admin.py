import hashlib
from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from duban.audit.models import AuditEntry
from duban.audit.services import audit_record, changes, snapshot
from duban.core.admin import ReadOnlyAdmin


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    """Read only for everyone, superusers included: the trail is evidence."""

    list_display = ["at", "actor_name", "action", "object_type", "object_repr"]
    list_filter = ["action", "object_type"]
    search_fields = ["actor_name", "object_repr", "object_id"]
    date_hierarchy = "at"


class AuditedAdmin(admin.ModelAdmin):
    """An admin whose saves and deletions go to the audit trail with the fields before and after."""

    # Fields whose values are secret: the trail says they changed, not what they are.
    audit_masked: tuple[str, ...] = ()

    def _snapshot(self, obj: Any) -> dict[str, Any]:
        data = snapshot(obj)
        for name in self.audit_masked:
            if name in data:
                # A digest of a digest: enough to see that it changed, nothing to learn it from.
                data[name] = "sha256:" + hashlib.sha256(str(data[name]).encode()).hexdigest()[:8]
        return data

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        before = self._snapshot(type(obj).objects.get(pk=obj.pk)) if change and obj.pk else {}
        super().save_model(request, obj, form, change)
        old, new = changes(before, self._snapshot(obj))
        audit_record(
            actor=request.user, action="admin_change" if change else "admin_add", obj=obj, before=old, after=new
        )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        audit_record(actor=request.user, action="admin_delete", obj=obj, before=self._snapshot(obj), after=None)
        super().delete_model(request, obj)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        """Many-to-many fields (a user's groups and permissions, a round's tasks) are saved after the object
        itself; their change is recorded separately."""
        obj = form.instance
        before = _related(obj)
        super().save_related(request, form, formsets, change)
        old, new = changes(before, _related(obj))
        if new:
            audit_record(actor=request.user, action="admin_change_related", obj=obj, before=old, after=new)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        """Inline rows (a task's assignments, say) are audited one by one like the object they belong to."""
        before = {
            f.instance.pk: snapshot(type(f.instance).objects.get(pk=f.instance.pk))
            for f in formset.forms
            if f.instance.pk is not None and (f.has_changed() or f in formset.deleted_forms)
        }
        deleting = [(f.instance, before[f.instance.pk]) for f in formset.deleted_forms if f.instance.pk in before]
        super().save_formset(request, form, formset, change)
        for obj in formset.new_objects:
            audit_record(actor=request.user, action="admin_add", obj=obj, before={}, after=snapshot(obj))
        for obj, _fields in formset.changed_objects:
            old, new = changes(before.get(obj.pk, {}), snapshot(obj))
            audit_record(actor=request.user, action="admin_change", obj=obj, before=old, after=new)
        for instance, old_state in deleting:
            # After deletion the object has no id any more: record the one it had.
            audit_record(
                actor=request.user,
                action="admin_delete",
                object_type=instance._meta.label_lower,
                object_id=old_state.get("id", ""),
                object_repr=str(instance),
                before=old_state,
                after=None,
            )

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for obj in queryset:
            audit_record(actor=request.user, action="admin_delete", obj=obj, before=snapshot(obj), after=None)
        super().delete_queryset(request, queryset)


def _related(obj: Any) -> dict[str, Any]:
    if obj.pk is None:
        return {}
    return {
        field.name: sorted(str(pk) for pk in getattr(obj, field.name).values_list("pk", flat=True))
        for field in obj._meta.many_to_many
    }
