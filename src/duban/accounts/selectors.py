"""Reads for the office's accounts page. Only the office reads them: anyone else is told the page does not exist
(404), as for every page they may not open."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import User
from django.db.models import Q
from django.http import Http404

from duban.accounts.access import access_for
from duban.accounts.models import Membership, Role
from duban.core.users import Viewer
from duban.orgs.models import OrgUnit


@dataclass(frozen=True)
class AccountRow:
    user: User
    unit: OrgUnit
    roles: list[str]
    active: bool
    last_login: datetime | None
    password_must_change: bool

    @property
    def never_logged_in(self) -> bool:
        return self.last_login is None

    @property
    def managed(self) -> bool:
        """Whether the page may change the account: an administrator's is changed in the system admin."""
        return not self.user.is_superuser

    @property
    def unit_roles(self) -> list[str]:
        return [r for r in self.roles if r in (Role.REPORTER, Role.APPROVER)]


@dataclass(frozen=True)
class AccountList:
    rows: list[AccountRow]
    total: int
    never_logged_in: int
    inactive: int


def office_only(*, user: Viewer) -> None:
    """The accounts pages are the office's: anyone else is answered 404."""
    if not access_for(user).office:
        raise Http404


def account_list_for(*, user: Viewer, query: str = "", only_never_logged_in: bool = False) -> AccountList:
    """Every account with a unit, by unit and user name; ``query`` matches a user name, a person's name or a
    unit's code or name. The counts are of the whole list, whatever the filter shows."""
    office_only(user=user)
    memberships = Membership.objects.select_related("user", "unit").order_by("unit__code", "user__username")
    everyone = list(memberships)
    shown = memberships
    if query:
        shown = shown.filter(
            Q(user__username__icontains=query)
            | Q(user__first_name__icontains=query)
            | Q(unit__name__icontains=query)
            | Q(unit__short_name__icontains=query)
            | Q(unit__code=query)
        )
    if only_never_logged_in:
        shown = shown.filter(user__last_login__isnull=True)
    rows = [
        AccountRow(m.user, m.unit, m.roles, m.user.is_active, m.user.last_login, m.password_must_change) for m in shown
    ]
    return AccountList(
        rows=rows,
        total=len(everyone),
        never_logged_in=sum(1 for m in everyone if m.user.last_login is None),
        inactive=sum(1 for m in everyone if not m.user.is_active),
    )


def account_get_for(*, user: Viewer, pk: int) -> User:
    """The account ``pk`` for the office; 404 for anyone else, and for an id that has no unit."""
    office_only(user=user)
    found = User.objects.filter(pk=pk, membership__isnull=False).first()
    if found is None:
        raise Http404
    return found
