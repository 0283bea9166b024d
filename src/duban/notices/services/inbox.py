"""Read marks in a user's inbox."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied

from duban.notices.models import Notice
from duban.notices.selectors import notice_list_for_user


def notice_mark_read(*, notice: Notice, user: User) -> None:
    """The user has read ``notice`` (it leaves their unread count). Not audited: reading changes nothing
    anyone relies on, and the inbox is opened far too often for the trail to stay readable."""
    if not notice_list_for_user(user=user).filter(pk=notice.pk).exists():
        raise PermissionDenied
    notice.read_by.add(user)


def notice_mark_all_read(*, user: User) -> int:
    """Mark every notice in the user's inbox read (the inbox's "全部已读"), in one insert however many
    there are; the number newly marked."""
    unread = list(notice_list_for_user(user=user).exclude(read_by=user).values_list("pk", flat=True))
    through = Notice.read_by.through
    # ignore_conflicts: a notice read in another tab meanwhile is already marked, which is what was asked.
    through.objects.bulk_create([through(notice_id=pk, user_id=user.pk) for pk in unread], ignore_conflicts=True)
    return len(unread)
