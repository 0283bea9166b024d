"""Writes for the reporting cycle: rounds, reports and their workflow, evidence, task closure — one module each
(``rounds``, ``reports``, ``evidence``, ``closure``, and ``errors`` for the refusals), all importable from here.

Every write is one transaction, checks the user's right on the object itself (``rules``), records itself in
the audit trail, and — for a report — takes the version the user last saw: a save or a step based on an older
version is refused (``ReportConflict``) and the other person's work is kept.

A report's steps, its evidence and a task's closure carry the name of the person who took them, so those writes
take a ``User``; rounds may also be made from the command line, by an ``Actor``.
"""

from __future__ import annotations

from duban.reporting.services.closure import task_close, task_reopen
from duban.reporting.services.errors import ReportConflict, WorkflowError
from duban.reporting.services.evidence import EVIDENCE_KINDS, EvidenceKind, evidence_add, evidence_remove
from duban.reporting.services.reports import (
    TEXT_FIELDS,
    report_accept,
    report_correct,
    report_draw_from_inputs,
    report_return,
    report_save,
    report_send_back,
    report_sign_off,
    report_start,
    report_submit,
    report_withdraw,
)
from duban.reporting.services.rounds import DUE_AFTER_QUARTER, round_add_adhoc, rounds_keep_current, rounds_schedule

__all__ = [
    "DUE_AFTER_QUARTER",
    "EVIDENCE_KINDS",
    "TEXT_FIELDS",
    "EvidenceKind",
    "ReportConflict",
    "WorkflowError",
    "evidence_add",
    "evidence_remove",
    "report_accept",
    "report_correct",
    "report_draw_from_inputs",
    "report_return",
    "report_save",
    "report_send_back",
    "report_sign_off",
    "report_start",
    "report_submit",
    "report_withdraw",
    "round_add_adhoc",
    "rounds_keep_current",
    "rounds_schedule",
    "task_close",
    "task_reopen",
]
