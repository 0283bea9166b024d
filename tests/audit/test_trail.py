"""The audit trail: changes made in the admin are recorded with before and after, secrets masked, and the
trail itself cannot be changed through the app."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from duban.audit.models import AuditEntry
from duban.indicators.services import data_import
from duban.plans.models import Assignment


@pytest.mark.django_db
def test_an_assignment_changed_in_the_admin_is_recorded(office_admin: Client, seed_plan: Any) -> None:
    assignment = Assignment.objects.filter(task__plan=seed_plan, role="responsible").first()
    assert assignment is not None
    url = f"/admin/plans/assignment/{assignment.pk}/change/"
    form = {
        "task": assignment.task_id,
        "unit": assignment.unit_id,
        "role": "support",
        "name_as_written": assignment.name_as_written,
    }
    response = office_admin.post(url, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = AuditEntry.objects.get(action="admin_change", object_type="plans.assignment")
    assert (entry.before, entry.after, entry.actor_name) == (
        {"role": "responsible"},
        {"role": "support"},
        "省督办办公室",
    )


@pytest.mark.django_db
def test_a_password_change_is_recorded_without_the_password(office_admin: Client) -> None:
    user = get_user_model().objects.create_user("haikou", password="old-password-1")
    form = {"password1": "A-new-password-2026", "password2": "A-new-password-2026", "usable_password": "true"}
    response = office_admin.post(f"/admin/auth/user/{user.pk}/password/", form)
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("A-new-password-2026")
    changed = AuditEntry.objects.get(action="password_change", object_type="auth.user")
    assert changed.after == {"password": "changed"} and changed.object_id == str(user.pk)
    # Django's password form saves through its own view; the user's admin page records edits of the account.
    page = office_admin.get(f"/admin/auth/user/{user.pk}/change/")
    assert page.status_code == 200
    change = {
        "username": "haikou",
        "first_name": "海口",
        "last_name": "",
        "email": "",
        "is_active": "on",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "00:00:00",
        "initial-date_joined_0": "2026-01-01",
        "initial-date_joined_1": "00:00:00",
    }
    assert office_admin.post(f"/admin/auth/user/{user.pk}/change/", change).status_code == 302
    entry = AuditEntry.objects.filter(object_type="auth.user", action="admin_change").latest("pk")
    assert entry.after["first_name"] == "海口"
    assert all("A-new-password" not in str(value) for value in (entry.before, entry.after))
    assert "pbkdf2" not in str(entry.before) + str(entry.after)


@pytest.mark.django_db
def test_the_trail_is_read_only_in_the_admin(office_admin: Client, registry: None) -> None:
    from duban.core.tables import Row
    from duban.indicators.services import elements_load_bundled

    elements_load_bundled()
    rows = [Row(2, {"org_code": "460100", "period": "2024", "element": "pop_60plus", "value": "250000"})]
    data_import(rows=rows, source="test.csv")
    entry = AuditEntry.objects.get(action="data_import")
    assert entry.after == [
        {"org": "460100", "element": "pop_60plus", "period": "2024", "value": 250000.0, "source": ""}
    ]
    assert entry.before == []
    assert office_admin.get("/admin/audit/auditentry/").status_code == 200
    url = f"/admin/audit/auditentry/{entry.pk}/change/"
    assert office_admin.post(url, {"action": "tampered"}).status_code == 403
    assert office_admin.get(f"/admin/audit/auditentry/{entry.pk}/delete/").status_code == 403
    entry.refresh_from_db()
    assert entry.action == "data_import"


@pytest.mark.django_db
def test_granting_a_group_in_the_admin_is_recorded(office_admin: Client) -> None:
    from django.contrib.auth.models import Group

    group = Group.objects.create(name="数据管理员")
    user = get_user_model().objects.create_user("tongji", password="x")
    change = {
        "username": "tongji",
        "first_name": "",
        "last_name": "",
        "email": "",
        "is_active": "on",
        "groups": [str(group.pk)],
        "date_joined_0": "2026-01-01",
        "date_joined_1": "00:00:00",
        "initial-date_joined_0": "2026-01-01",
        "initial-date_joined_1": "00:00:00",
    }
    assert office_admin.post(f"/admin/auth/user/{user.pk}/change/", change).status_code == 302
    entry = AuditEntry.objects.get(action="admin_change_related", object_type="auth.user")
    assert (entry.before, entry.after) == ({"groups": []}, {"groups": [str(group.pk)]})
