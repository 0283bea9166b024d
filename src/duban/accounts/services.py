"""Writes for people: creating users and setting their unit and roles, and the office's accounts page —
creating, stopping and restarting accounts, resetting passwords — each change audited."""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING

from django.contrib.auth.models import User
from django.contrib.auth.password_validation import (
    CommonPasswordValidator,
    MinimumLengthValidator,
    NumericPasswordValidator,
    UserAttributeSimilarityValidator,
    validate_password,
)
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from duban.accounts.access import access_for
from duban.accounts.models import Membership, Role
from duban.audit.services import audit_record, changes, snapshot
from duban.core.errors import UserError
from duban.core.users import Actor
from duban.orgs.models import OrgUnit

if TYPE_CHECKING:
    from django.contrib.auth.password_validation import PasswordValidator


def membership_set(*, user: User, unit: OrgUnit, roles: list[str], by: Actor = None) -> Membership:
    """Give ``user`` the unit and exactly ``roles``."""
    unknown = [r for r in roles if r not in Role.values]
    if unknown:
        raise UserError(f"未知角色 {', '.join(unknown)}；可用角色：{', '.join(Role.values)}")
    with transaction.atomic():
        membership = Membership.objects.select_for_update().filter(user=user).first()
        before = snapshot(membership) if membership else {}
        if membership is None:
            membership = Membership(user=user, unit=unit)
        membership.unit = unit
        for role in Role:
            setattr(membership, role.value, role.value in roles)
        membership.save()
        old, new = changes(before, snapshot(membership))
        if new:
            audit_record(actor=by, action="membership_set", obj=membership, before=old, after=new)
    return membership


def user_create(
    *,
    username: str,
    password: str,
    unit: OrgUnit,
    roles: list[str],
    email: str = "",
    full_name: str = "",
    by: Actor = None,
) -> User:
    """A new account with its unit and roles."""
    if User.objects.filter(username=username).exists():
        raise UserError(f"用户名“{username}”已存在")
    with transaction.atomic():
        user = User.objects.create_user(username=username, password=password, email=email, first_name=full_name)
        audit_record(actor=by, action="user_create", obj=user, after={"username": username, "email": email})
        membership_set(user=user, unit=unit, roles=roles, by=by)
    return user


# ------------------------------------------------------------------------------ the office's accounts page

# The roles the office gives and takes on its page. The office's own role and the leaders' read-only one are
# granted by an administrator, and the page leaves them as they are on every account it touches.
UNIT_ROLES = (Role.REPORTER.value, Role.APPROVER.value)

# No 0/O, 1/l/I: a temporary password is read out over the telephone or copied from a screen by hand.
_PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
TEMPORARY_PASSWORD_LENGTH = 12

_VALIDATORS: list[PasswordValidator] = [
    UserAttributeSimilarityValidator(),
    MinimumLengthValidator(8),
    CommonPasswordValidator(),
    NumericPasswordValidator(),
]


def _temporary_password() -> str:
    return "".join(secrets.choice(_PASSWORD_ALPHABET) for _ in range(TEMPORARY_PASSWORD_LENGTH))


def _require_office(by: Actor) -> None:
    if not access_for(by).office:
        raise PermissionDenied


def _managed_membership(user: User, by: Actor) -> Membership:
    """The membership of an account the office may change: not an administrator's, nor the office user's own
    (which they change on their own password page, so that nobody locks themself out)."""
    membership = Membership.objects.select_for_update().filter(user=user).first()
    if membership is None or user.is_superuser:
        raise UserError(_("“%(name)s”是管理员账号，请在系统管理中修改") % {"name": user.get_username()})
    if isinstance(by, User) and by.pk == user.pk:
        raise UserError(_("不能在此修改自己的账号；修改密码请用“修改密码”"))
    return membership


def _unit_roles(roles: list[str]) -> list[str]:
    unknown = [r for r in roles if r not in UNIT_ROLES]
    if unknown:
        raise UserError(_("此处只能授予单位填报员和单位审核人角色"))
    if not roles:
        raise UserError(_("请至少选择一个角色（单位填报员或单位审核人）"))
    return [r for r in UNIT_ROLES if r in roles]


def account_create(
    *,
    username: str,
    unit: OrgUnit,
    roles: list[str],
    full_name: str = "",
    email: str = "",
    by: Actor,
) -> tuple[User, str]:
    """An account for a unit's reporter or approver, created by the office with a temporary password that the
    person must replace when they first sign in. Returns the user and the temporary password, shown once."""
    _require_office(by)
    username = username.strip()
    if not username:
        raise UserError(_("请填写用户名"))
    try:
        UnicodeUsernameValidator()(username)
    except ValidationError:
        raise UserError(_("用户名“%(name)s”只能包含字母、数字、汉字和 @ . + - _") % {"name": username}) from None
    if len(username) > 150:
        raise UserError(_("用户名不能超过 150 个字符"))
    email = email.strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise UserError(_("邮箱“%(email)s”格式不正确") % {"email": email}) from None
    chosen = _unit_roles(roles)
    password = _temporary_password()
    with transaction.atomic():
        user = user_create(
            username=username,
            password=password,
            unit=unit,
            roles=chosen,
            email=email,
            full_name=full_name.strip(),
            by=by,
        )
        Membership.objects.filter(user=user).update(password_must_change=True)
    return user, password


def account_roles_set(*, user: User, roles: list[str], by: Actor) -> Membership:
    """Set an account's unit roles (reporter, approver); its office or leader role, if any, stays."""
    _require_office(by)
    chosen = _unit_roles(roles)
    with transaction.atomic():
        membership = _managed_membership(user, by)
        kept = [r for r in membership.roles if r not in UNIT_ROLES]
        return membership_set(user=user, unit=membership.unit, roles=[*kept, *chosen], by=by)


def account_deactivate(*, user: User, by: Actor) -> User:
    """停用: the person can no longer sign in; their reports and the trail keep their name."""
    return _active_set(user=user, active=False, by=by)


def account_activate(*, user: User, by: Actor) -> User:
    """启用 again an account that was stopped."""
    return _active_set(user=user, active=True, by=by)


def _active_set(*, user: User, active: bool, by: Actor) -> User:
    _require_office(by)
    with transaction.atomic():
        _managed_membership(user, by)
        fresh = User.objects.select_for_update().get(pk=user.pk)
        if fresh.is_active != active:
            fresh.is_active = active
            fresh.save(update_fields=["is_active"])
            audit_record(
                actor=by,
                action="user_activate" if active else "user_deactivate",
                obj=fresh,
                before={"is_active": not active},
                after={"is_active": active},
            )
    return fresh


def account_password_reset(*, user: User, by: Actor) -> str:
    """重置密码: a new temporary password, which the person must replace when they next sign in. The password
    itself stays out of the trail; that it was reset is recorded."""
    _require_office(by)
    password = _temporary_password()
    with transaction.atomic():
        membership = _managed_membership(user, by)
        fresh = User.objects.select_for_update().get(pk=user.pk)
        fresh.set_password(password)
        fresh.save(update_fields=["password"])
        membership.password_must_change = True
        membership.save(update_fields=["password_must_change"])
        audit_record(
            actor=by,
            action="password_reset",
            obj=fresh,
            after={"password": "reset", "password_must_change": True},
        )
    return password


def password_change_own(*, user: User, new_password: str, repeat: str, current_password: str | None = None) -> User:
    """The signed-in person sets their own password. ``current_password`` is asked for unless they were given a
    temporary one, which they have just used to sign in."""
    membership = Membership.objects.filter(user=user).first()
    forced = bool(membership and membership.password_must_change)
    if not forced and not user.check_password(current_password or ""):
        raise UserError(_("当前密码不正确"))
    if new_password != repeat:
        raise UserError(_("两次输入的新密码不一致"))
    if user.check_password(new_password):
        raise UserError(_("新密码不能与当前密码相同"))
    try:
        validate_password(new_password, user, password_validators=_VALIDATORS)
    except ValidationError as exc:
        raise UserError(" ".join(str(m) for m in exc.messages)) from None
    with transaction.atomic():
        fresh = User.objects.select_for_update().get(pk=user.pk)
        fresh.set_password(new_password)
        fresh.save(update_fields=["password"])
        if forced:
            Membership.objects.filter(user=fresh).update(password_must_change=False)
        audit_record(
            actor=fresh,
            action="password_change",
            obj=fresh,
            after={"password": "changed", "password_must_change": False} if forced else {"password": "changed"},
        )
    return fresh
