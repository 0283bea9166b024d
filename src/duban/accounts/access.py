"""What a signed-in user may do, read once per request from their membership."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from django.contrib.auth.models import User

from duban.accounts.models import Membership, Role
from duban.core.users import Actor
from duban.orgs.selectors import units_carried_by
from duban.plans.models import Assignment


@dataclass(frozen=True)
class Access:
    """A user's unit and roles. ``unit_id`` is None for a user with no membership (who sees nothing but what
    an administrator grants). ``unit_ids`` adds the units whose work has passed to the user's unit by a rename
    or merge (人行海口中心支行 → 中国人民银行海南省分行): their assignments are the unit's own work now."""

    user_id: int | None
    unit_id: int | None
    roles: frozenset[str]
    admin: bool
    unit_ids: frozenset[int] = frozenset()
    password_must_change: bool = False

    def acts_for(self, unit_id: int) -> bool:
        """Whether an assignment of ``unit_id`` is this user's unit's work."""
        return unit_id in self.unit_ids

    @property
    def reporter(self) -> bool:
        return Role.REPORTER in self.roles

    @property
    def approver(self) -> bool:
        return Role.APPROVER in self.roles

    @property
    def office(self) -> bool:
        """Acts for the supervising office (an administrator does too)."""
        return self.admin or Role.OFFICE in self.roles

    @cached_property
    def led_task_ids(self) -> frozenset[int]:
        """Tasks whose lead (牵头) unit is the user's unit; read once per request, however many reports ask."""
        if self.unit_id is None:
            return frozenset()
        led = Assignment.objects.filter(unit_id__in=self.unit_ids, role=Assignment.Role.LEAD).values_list(
            "task_id", flat=True
        )
        return frozenset(led)

    @property
    def sees_everything(self) -> bool:
        """Reads every unit's reports once they have left the unit: the office and read-only leaders."""
        return self.office or Role.LEADER in self.roles


def access_for(user: Actor) -> Access:
    """The access of ``user``; cached on the user object for the request."""
    cached = getattr(user, "_duban_access", None)
    if cached is not None:
        return cached
    if not isinstance(user, User) or not user.is_authenticated:
        access = Access(None, None, frozenset(), False)
    else:
        membership = Membership.objects.filter(user=user).first()
        access = Access(
            user.pk,
            membership.unit_id if membership else None,
            frozenset(membership.roles) if membership else frozenset(),
            bool(user.is_superuser),
            units_carried_by(unit_id=membership.unit_id) if membership else frozenset(),
            bool(membership and membership.password_must_change),
        )
    if user is not None:
        user._duban_access = access  # type: ignore[union-attr]
    return access
