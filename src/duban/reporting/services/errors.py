"""The reporting cycle's refusals: a user's mistake (``core.errors.UserError``), so that the page and the
command line answer it in words and nothing is written."""

from __future__ import annotations

from duban.core.errors import UserError


class ReportConflict(UserError):
    """Somebody else saved the report since the user opened it; nothing was written."""


class WorkflowError(UserError):
    """A step that the report's state does not allow, or a form that is incomplete; nothing was written."""
