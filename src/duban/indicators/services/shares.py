"""Sharing a province target among the jurisdictions (目标分解): equal, by need, or as the office sets it in a
table; the shares replace the target's earlier ones all at once, audited, or nothing is written."""

from __future__ import annotations

import math
from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone

from duban.audit.services import audit_record
from duban.core.errors import ImportRefused, UserError
from duban.core.tables import table_rows
from duban.core.users import Actor
from duban.indicators.models import JurisdictionTarget
from duban.indicators.selectors import ShareTarget, plan_jurisdictions, plan_start, share_bases
from duban.metrics import allocation
from duban.orgs.selectors import unit_find


class SharesRefused(ImportRefused):
    """An allocation refused: ``problems`` names each bad row or field."""


def target_shares_set(
    *,
    share_target: ShareTarget,
    method: str,
    by: Actor,
    rows: Sequence[tuple[int, str, str]] | None = None,
) -> list[JurisdictionTarget]:
    """Share ``share_target`` among the plan's jurisdictions by ``method``: ``equal``, ``need``, or ``table`` with
    ``rows`` of (row number, unit code or name, share as typed). The shares must meet the province target exactly
    (docs/status.md, shares); otherwise ``SharesRefused`` names every bad row and nothing is written."""
    target, indicator = share_target.target, share_target.indicator
    if target.value is None:
        raise UserError(f"目标“{target.subject}”没有目标值，无从分解")
    if method not in allocation.ALLOCATION_METHODS:
        raise UserError(f"分解方式“{method}”应为 equal（平均）、need（按需求）或 table（表格设定）")
    units = plan_jurisdictions(plan=target.task.plan)
    bases = share_bases(indicator=indicator, units=units, start=plan_start(target.task.plan))
    goal = allocation.Goal(float(target.value), target.comparator, indicator.scale if indicator.is_rate else None)
    pure = [allocation.Unit(b.unit.code, b.unit.name, b.basis, b.current) for b in bases]
    try:
        if method == allocation.TABLE:
            shares = allocation.table_shares(goal, pure, _table_values(rows or []))
        else:
            shares = allocation.allocate(goal, pure, method)
    except allocation.AllocationError as exc:
        raise SharesRefused(exc.problems) from exc
    by_code = {u.code: u for u in units}
    now = timezone.now()
    with transaction.atomic():
        old = list(JurisdictionTarget.objects.filter(target=target).select_related("org").order_by("org__code"))
        JurisdictionTarget.objects.filter(target=target).delete()
        created = JurisdictionTarget.objects.bulk_create(
            JurisdictionTarget(
                target=target,
                org=by_code[s.code],
                value=s.value,
                method=method,
                count=s.count,
                basis=s.basis,
                set_at=now,
            )
            for s in shares
        )
        audit_record(
            actor=by,
            action="target.shares_set",
            obj=target,
            before=[_plain(s.org.code, s.value, s.method) for s in old],
            after=[_plain(s.code, s.value, method) for s in shares],
        )
    return created


# The columns a table of shares may name its unit and its share by (the page's own download uses the first).
UNIT_COLUMNS = ("单位", "市县", "org_code", "unit")
SHARE_COLUMNS = ("份额", "目标值", "share", "value")


def share_rows_from_file(*, data: bytes, name: str) -> list[tuple[int, str, str]]:
    """The (row, unit, share) rows of an uploaded CSV or XLSX table of shares; a table without the two columns is
    refused naming them."""
    rows = table_rows(data=data, name=name)
    if not rows:
        raise SharesRefused([f"{name}：表中没有数据行"])
    heads = set(rows[0].values)
    unit_col = next((c for c in UNIT_COLUMNS if c in heads), None)
    share_col = next((c for c in SHARE_COLUMNS if c in heads), None)
    if unit_col is None or share_col is None:
        raise SharesRefused([f"{name}：缺少“单位”或“份额”列（表头应为 单位, 份额）"])
    return [(row.number, row.get(unit_col), row.get(share_col)) for row in rows if row.get(unit_col)]


def _table_values(rows: Sequence[tuple[int, str, str]]) -> list[tuple[int, str, float]]:
    """Rows as the pure check takes them: the unit's code (the text itself when no unit is found, for the message)
    and the number; a share that is not a number is refused here, naming its row."""
    values: list[tuple[int, str, float]] = []
    problems: list[str] = []
    for row, name, raw in rows:
        text = raw.strip().replace(",", "").replace("，", "")
        try:
            number = float(text)
        except ValueError:
            problems.append(f"第{row}行：份额“{raw}”不是数字")
            continue
        if not math.isfinite(number):
            problems.append(f"第{row}行：份额“{raw}”不是数字")
            continue
        unit = unit_find(code_or_name=name.strip()) if name.strip() else None
        values.append((row, unit.code if unit is not None else name.strip(), number))
    if problems:
        raise SharesRefused(problems)
    return values


def _plain(code: str, value: float, method: str) -> dict[str, object]:
    return {"org": code, "value": value, "method": method}
