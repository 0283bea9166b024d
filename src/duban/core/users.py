"""Who acts on duban: the signed-in user of a page, or nobody (``None``) at the command line.

Every service that records who did something takes an ``Actor``; every selector that shows each user their
own part takes a ``Viewer``. The project keeps Django's own user model (``auth.User``).
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User

Viewer = User | AnonymousUser
"""The user a page reads for (``request.user``): signed in or not."""

Actor = User | AnonymousUser | None
"""Whoever makes a change: a user, or None for the operator at the command line (recorded as 系统)."""
