"""Writes for people: creating users and setting their unit and roles, each change audited."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction

from duban.accounts.models import Membership, Role
from duban.audit.services import audit_record, changes, snapshot
from duban.core.errors import UserError
from duban.core.users import Actor
from duban.orgs.models import OrgUnit


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
