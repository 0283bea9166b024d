"""Target status (目标状态): achieved, on track, at risk, off track, regressing, overdue, no data or open.

``assess`` judges a quantity target from a series of observations; ``assess_milestone`` judges a dated target
without a number. Both are pure — no Django, no clock: the assessment date is always passed in — and never
raise because of the data; they raise ``ValueError`` only for a programming error (an unknown comparator or
method, bands out of order). The method, with worked examples, is in ``docs/status.md``.

The modules, in the order ``assess`` uses them: ``model`` (statuses, targets, bands, assessments),
``trajectory`` (baseline, latest value, trend), ``progress`` (made and needed, linear or CAGR), ``wording``
(the phrases of the reasons), ``quantity`` (the rules, in order) and ``milestone``; ``interim`` gives the
interim targets (阶段目标) on the path that progress is judged against. ``task`` (imported from its module,
``duban.metrics.status.task``) judges a whole task from its units' reports and these statuses
(docs/task-status.md).
"""

from __future__ import annotations

from duban.metrics.status.interim import interim_for, interim_targets, path_value
from duban.metrics.status.milestone import assess_milestone
from duban.metrics.status.model import (
    ABOUT_TOLERANCE,
    ACHIEVED,
    AT_RISK,
    COMPARATORS,
    DAYS_PER_YEAR,
    DEFAULT_BANDS,
    METHODS,
    NO_DATA,
    OFF_TRACK,
    ON_TRACK,
    OPEN,
    OVERDUE,
    REGRESSING,
    STATUS_LABELS_ZH,
    STATUSES,
    Assessment,
    Bands,
    InterimTarget,
    MilestoneAssessment,
    Observation,
    Projection,
    QuantityTarget,
)
from duban.metrics.status.quantity import assess

__all__ = [
    "ABOUT_TOLERANCE",
    "ACHIEVED",
    "AT_RISK",
    "COMPARATORS",
    "DAYS_PER_YEAR",
    "DEFAULT_BANDS",
    "METHODS",
    "NO_DATA",
    "OFF_TRACK",
    "ON_TRACK",
    "OPEN",
    "OVERDUE",
    "REGRESSING",
    "STATUSES",
    "STATUS_LABELS_ZH",
    "Assessment",
    "Bands",
    "InterimTarget",
    "MilestoneAssessment",
    "Observation",
    "Projection",
    "QuantityTarget",
    "assess",
    "assess_milestone",
    "interim_for",
    "interim_targets",
    "path_value",
]
