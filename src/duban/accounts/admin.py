from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django.http import HttpRequest, HttpResponse

from duban.accounts.models import Membership
from duban.audit.admin import AuditedAdmin
from duban.audit.services import audit_record


@admin.register(Membership)
class MembershipAdmin(AuditedAdmin):
    list_display = ["user", "unit", "reporter", "approver", "office", "leader"]
    list_filter = ["reporter", "approver", "office", "leader"]
    search_fields = ["user__username", "unit__name", "unit__code"]
    autocomplete_fields = ["unit"]


# Changes to accounts (staff and superuser flags, groups, passwords) belong in the audit trail too.
User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class AuditedUserAdmin(AuditedAdmin, UserAdmin):
    """Django's user admin; the password hash stays out of the trail (that it changed is recorded)."""

    audit_masked = ("password",)

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> HttpResponse:
        """Django's own password page saves without ``save_model``; a successful change is recorded here."""
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            user = self.get_object(request, id)
            audit_record(actor=request.user, action="password_change", obj=user, after={"password": "changed"})
        return response


admin.site.unregister(Group)


@admin.register(Group)
class AuditedGroupAdmin(AuditedAdmin, GroupAdmin):
    """Django's groups carry admin permissions; granting or removing them is recorded like any change."""
