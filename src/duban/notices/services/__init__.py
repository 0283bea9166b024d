"""Writes for notices (通知): the reminder run (催报, ``run``), the office's one-click reminders (督办催办,
``manual``), the notices of the workflow's hand-overs (``steps``), marking a notice read (``inbox``), and
sending deliveries (``sending``); ``results`` holds what a run reports and ``wording`` the text of each notice.
The public names are importable from here.

Every notice has a ``key`` naming what it is about (``overdue:<round>:<unit>`` …). The key is unique in the
database, so creating a notice that exists does nothing: the reminder run may be started twice, by cron and
by hand, or by two machines at once, and still sends each notice once. A notice and its deliveries are
written in one transaction, and sending happens afterwards; a delivery that fails stays recorded as failed
with its error and is tried again by every later run, so that no notice is lost.

A read mark is the signed-in reader's own, so marking notices read takes a ``User``; the office's reminder and a
retry name who acted only in the audit trail, and take an ``Actor``.
"""

from __future__ import annotations

from duban.notices.services.inbox import notice_mark_all_read, notice_mark_read
from duban.notices.services.manual import NothingToRemind, Reminders, notice_remind_unit, notice_remind_units
from duban.notices.services.results import PlannedNotice, RemindReport, SendResult
from duban.notices.services.run import DUE_SOON_DAYS, ESCALATE_AFTER_DAYS, remind_run
from duban.notices.services.sending import ERROR_CHARS, deliveries_retry, deliveries_send, webhook_payload
from duban.notices.services.steps import step_notices_send
from duban.notices.services.wording import TASK_TEXT_CHARS, inbox_link

__all__ = [
    "DUE_SOON_DAYS",
    "ERROR_CHARS",
    "ESCALATE_AFTER_DAYS",
    "TASK_TEXT_CHARS",
    "NothingToRemind",
    "PlannedNotice",
    "RemindReport",
    "Reminders",
    "SendResult",
    "deliveries_retry",
    "deliveries_send",
    "inbox_link",
    "notice_mark_all_read",
    "notice_mark_read",
    "notice_remind_unit",
    "notice_remind_units",
    "remind_run",
    "step_notices_send",
    "webhook_payload",
]
