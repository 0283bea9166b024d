"""Reads for notices."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.db.models import Q, QuerySet

from duban.accounts.access import access_for
from duban.notices.models import Notice
from duban.reporting.models import ReportingRound


def notice_list_for_user(*, user: Any) -> QuerySet[Notice]:
    """收件箱: notices to the user's unit, to its approvers if the user is one, and to the office."""
    access = access_for(user)
    mine = Q(pk__in=[])
    if access.unit_id is not None:
        mine |= Q(audience=Notice.Audience.UNIT, unit_id=access.unit_id)
        if access.approver:
            mine |= Q(audience=Notice.Audience.APPROVERS, unit_id=access.unit_id)
    if access.office:
        mine |= Q(audience=Notice.Audience.OFFICE)
    return Notice.objects.filter(mine).select_related("unit", "round")


def notice_counts_by_unit(*, round_: ReportingRound) -> dict[int, int]:
    """Reminders and escalations about each unit for ``round_`` (what the late list shows)."""
    kinds = [Notice.Kind.DUE_SOON, Notice.Kind.OVERDUE, Notice.Kind.ESCALATION, Notice.Kind.MANUAL]
    rows = Notice.objects.filter(round=round_, kind__in=kinds).values_list("unit_id", flat=True)
    return dict(Counter(rows))


def unread_count(*, user: Any) -> int:
    return notice_list_for_user(user=user).exclude(read_by=user).count()


def notice_read_ids(*, user: Any, notices: list[Notice]) -> set[int]:
    """Which of ``notices`` the user has read."""
    through = Notice.read_by.through
    return set(
        through.objects.filter(user_id=user.pk, notice_id__in=[n.pk for n in notices]).values_list(
            "notice_id", flat=True
        )
    )
