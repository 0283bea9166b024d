"""Writes for plans: importing a parsed task table as a plan (``importing``), from the command line or from a
draft the office has reviewed in the browser (``drafts``). Both end in the same ``plan_import``."""

from __future__ import annotations

from duban.plans.services.drafts import (
    DraftConflict,
    DraftError,
    plan_draft_create,
    plan_draft_discard,
    plan_draft_import,
    plan_draft_mapping_rows,
    plan_draft_preview,
    plan_draft_save,
    plan_drafts_purge,
)
from duban.plans.services.importing import (
    DEFAULT_REGION,
    PlanDiff,
    PlanImportError,
    PlanImportResult,
    UnresolvedName,
    plan_import,
    plan_import_file,
    read_mapping,
)

__all__ = [
    "DEFAULT_REGION",
    "DraftConflict",
    "DraftError",
    "PlanDiff",
    "PlanImportError",
    "PlanImportResult",
    "UnresolvedName",
    "plan_draft_create",
    "plan_draft_discard",
    "plan_draft_import",
    "plan_draft_mapping_rows",
    "plan_draft_preview",
    "plan_draft_save",
    "plan_drafts_purge",
    "plan_import",
    "plan_import_file",
    "read_mapping",
]
