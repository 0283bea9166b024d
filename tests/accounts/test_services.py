"""The office's accounts: creating an account with a temporary password, stopping and restarting it, resetting
its password, setting its unit roles — each only by the office, each in the audit trail — and the person's own
password change, which a temporary password forces."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import Http404

from duban.accounts.access import access_for
from duban.accounts.models import Membership
from duban.accounts.selectors import account_get_for, account_list_for
from duban.accounts.services import (
    TEMPORARY_PASSWORD_LENGTH,
    account_activate,
    account_create,
    account_deactivate,
    account_password_reset,
    account_roles_set,
    password_change_own,
)
from duban.audit.models import AuditEntry
from duban.core.errors import UserError
from duban.orgs.models import OrgUnit


def signs_in(username: str, password: str) -> bool:
    from django.test import Client

    response = Client().post("/accounts/login/", {"username": username, "password": password})
    return response.status_code == 302


def dingan() -> OrgUnit:
    return OrgUnit.objects.get(code="469021")


def actions(user: User) -> list[str]:
    return list(
        AuditEntry.objects.filter(object_type="auth.user", object_id=str(user.pk)).values_list("action", flat=True)
    )


@pytest.mark.django_db
def test_the_office_creates_an_account_with_a_temporary_password(cast: Any) -> None:
    user, password = account_create(
        username="dingan-tb",
        full_name="王芳",
        email="wf@example.org",
        unit=dingan(),
        roles=["reporter"],
        by=cast.office,
    )
    assert len(password) == TEMPORARY_PASSWORD_LENGTH and not set(password) & set("0O1lI")
    assert user.check_password(password) and user.is_active and user.first_name == "王芳"
    membership = Membership.objects.get(user=user)
    assert membership.unit.code == "469021" and membership.roles == ["reporter"]
    assert membership.password_must_change
    assert access_for(user).password_must_change
    assert "user_create" in actions(user)
    entry = AuditEntry.objects.get(action="membership_set", object_id=str(membership.pk))
    assert entry.actor == cast.office and entry.after["reporter"] is True
    # The password is never written to the trail.
    assert not AuditEntry.objects.filter(after__icontains=password).exists()


@pytest.mark.django_db
def test_two_passwords_are_never_the_same(cast: Any) -> None:
    _, first = account_create(username="a1", unit=dingan(), roles=["reporter"], by=cast.office)
    _, second = account_create(username="a2", unit=dingan(), roles=["approver"], by=cast.office)
    assert first != second


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"username": ""}, "请填写用户名"),
        ({"username": "有 空格"}, "只能包含"),
        ({"username": "haikou"}, "已存在"),
        ({"roles": []}, "至少选择一个角色"),
        ({"roles": ["office"]}, "只能授予单位填报员和单位审核人"),
        ({"roles": ["leader", "reporter"]}, "只能授予"),
        ({"email": "不是邮箱"}, "邮箱"),
    ],
)
def test_a_bad_account_is_refused_and_nothing_is_written(cast: Any, fields: dict[str, Any], message: str) -> None:
    users, entries = User.objects.count(), AuditEntry.objects.count()
    arguments: dict[str, Any] = {"username": "dingan-new", "unit": dingan(), "roles": ["reporter"], **fields}
    with pytest.raises(UserError, match=message):
        account_create(**arguments, by=cast.office)
    assert User.objects.count() == users and AuditEntry.objects.count() == entries


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["leader", "haikou", "haikou_approver", "sanya", None])
def test_only_the_office_manages_accounts(cast: Any, who: str | None) -> None:
    by = getattr(cast, who) if who else None
    with pytest.raises(PermissionDenied):
        account_create(username="x", unit=dingan(), roles=["reporter"], by=by)
    for change in (account_deactivate, account_activate, account_password_reset):
        with pytest.raises(PermissionDenied):
            change(user=cast.minzheng, by=by)
    with pytest.raises(PermissionDenied):
        account_roles_set(user=cast.minzheng, roles=["approver"], by=by)
    with pytest.raises(Http404):
        account_list_for(user=by or cast.sanya)
    with pytest.raises(Http404):
        account_get_for(user=by or cast.sanya, pk=cast.minzheng.pk)


@pytest.mark.django_db
def test_deactivate_and_activate_are_audited_and_end_the_sign_in(cast: Any) -> None:
    account_deactivate(user=cast.haikou, by=cast.office)
    cast.haikou.refresh_from_db()
    assert not cast.haikou.is_active
    assert not signs_in("haikou", "pw-haikou")
    account_deactivate(user=cast.haikou, by=cast.office)  # a second time changes nothing
    assert actions(cast.haikou).count("user_deactivate") == 1
    account_activate(user=cast.haikou, by=cast.office)
    cast.haikou.refresh_from_db()
    assert cast.haikou.is_active and "user_activate" in actions(cast.haikou)
    assert signs_in("haikou", "pw-haikou")


@pytest.mark.django_db
def test_the_office_cannot_lock_itself_out_nor_touch_an_administrator(cast: Any) -> None:
    with pytest.raises(UserError, match="自己"):
        account_deactivate(user=cast.office, by=cast.office)
    admin = User.objects.create_superuser("admin", password="x")
    Membership.objects.create(user=admin, unit=cast.office.membership.unit, office=True)
    with pytest.raises(UserError, match="管理员"):
        account_password_reset(user=admin, by=cast.office)


@pytest.mark.django_db
def test_a_reset_password_must_be_replaced_at_the_next_sign_in(cast: Any) -> None:
    password = account_password_reset(user=cast.haikou, by=cast.office)
    cast.haikou.refresh_from_db()
    assert cast.haikou.check_password(password) and not cast.haikou.check_password("pw-haikou")
    assert Membership.objects.get(user=cast.haikou).password_must_change
    entry = AuditEntry.objects.get(action="password_reset")
    assert entry.actor == cast.office and password not in str(entry.after)


@pytest.mark.django_db
def test_roles_change_but_the_office_and_leaders_keep_theirs(cast: Any) -> None:
    account_roles_set(user=cast.haikou, roles=["reporter", "approver"], by=cast.office)
    assert Membership.objects.get(user=cast.haikou).roles == ["reporter", "approver"]
    account_roles_set(user=cast.leader, roles=["reporter"], by=cast.office)
    assert Membership.objects.get(user=cast.leader).roles == ["reporter", "leader"]
    with pytest.raises(UserError):
        account_roles_set(user=cast.haikou, roles=["office"], by=cast.office)


@pytest.mark.django_db
def test_changing_ones_own_password(cast: Any) -> None:
    user, temporary = account_create(username="dingan-tb", unit=dingan(), roles=["reporter"], by=cast.office)
    with pytest.raises(UserError, match="不一致"):
        password_change_own(user=user, new_password="Qiong-2026-an", repeat="Qiong-2026-am")
    with pytest.raises(UserError, match="相同"):
        password_change_own(user=user, new_password=temporary, repeat=temporary)
    with pytest.raises(UserError):
        password_change_own(user=user, new_password="12345678", repeat="12345678")
    with pytest.raises(UserError):
        password_change_own(user=user, new_password="short", repeat="short")
    password_change_own(user=user, new_password="Qiong-2026-an", repeat="Qiong-2026-an")
    user.refresh_from_db()
    assert user.check_password("Qiong-2026-an")
    assert not Membership.objects.get(user=user).password_must_change
    # Once their own password is set, changing it again asks for it.
    with pytest.raises(UserError, match="当前密码"):
        password_change_own(user=user, new_password="Another-2026", repeat="Another-2026", current_password="x")
    password_change_own(user=user, new_password="Another-2026", repeat="Another-2026", current_password="Qiong-2026-an")
    assert actions(user).count("password_change") == 2


@pytest.mark.django_db
def test_the_list_shows_who_has_never_signed_in(cast: Any) -> None:
    assert signs_in("haikou", "pw-haikou")
    everyone = account_list_for(user=cast.office)
    assert everyone.total == 7 and everyone.never_logged_in == 6
    never = account_list_for(user=cast.office, only_never_logged_in=True)
    assert "haikou" not in {r.user.username for r in never.rows} and len(never.rows) == 6
    found = account_list_for(user=cast.office, query="海口")
    assert {r.user.username for r in found.rows} == {"haikou", "haikou-approver"}
