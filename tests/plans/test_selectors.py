"""The current plan, the plans in force, and the one vocabulary of roles and target descriptions."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import translation

from duban.plans.models import Assignment, Plan, Target
from duban.plans.selectors import PlanNotFound, plan_current, plan_current_or_none, plan_get, plans_in_force
from duban.plans.services import plan_import_file
from duban.taskdoc.model import ROLE_LABELS, ROLES, describe_target, role_rank
from tests.conftest import SEED


def test_no_plan_yet(registry: None) -> None:
    assert plan_current_or_none() is None
    with pytest.raises(PlanNotFound, match="还没有导入任何方案"):
        plan_current()
    with pytest.raises(PlanNotFound, match="方案 7 不存在"):
        plan_get(pk=7)


def test_a_revision_becomes_the_current_plan_and_retires_the_first(tmp_path: Path, seed_plan: Plan) -> None:
    assert plan_current() == seed_plan == plan_get()
    revised = tmp_path / "v2.txt"
    revised.write_text(SEED.read_text("utf-8").replace("增强家庭照护能力。", "增强家庭照护能力，开展培训。"), "utf-8")
    second = plan_import_file(path=revised, revises=seed_plan).plan
    assert plan_current() == second == plan_get()
    assert list(plans_in_force()) == [second]
    # The first revision can still be named, but it is no longer in force.
    assert plan_get(pk=seed_plan.pk) == seed_plan


def test_the_database_roles_are_the_parser_roles() -> None:
    assert [role.value for role in Assignment.Role] == list(ROLES)
    with translation.override("zh-hans"):
        assert {role.value: str(role.label) for role in Assignment.Role} == ROLE_LABELS
    assert sorted(["local", "support", "lead", "responsible"], key=role_rank) == list(ROLES)


def test_a_target_reads_the_same_from_the_parser_and_from_the_database(seed_plan: Plan) -> None:
    stored = Target.objects.get(task__plan=seed_plan, task__number=6, subject__contains="养老床位")
    assert stored.describe() == "每千名老年人口拥有养老床位数≥32张（2025年12月31日前）"
    assert stored.describe() == describe_target(
        kind="quantity", subject=stored.subject, comparator=">=", value=32, unit="张", deadline=date(2025, 12, 31)
    )


@pytest.mark.parametrize(
    ("value", "shown"), [(Decimal("32.000000"), "32"), (Decimal("0.600000"), "0.6"), (60.0, "60"), (2.5, "2.5")]
)
def test_values_show_as_written(value: object, shown: str) -> None:
    assert describe_target(kind="quantity", subject="x", comparator="<=", value=value, unit="%") == f"x≤{shown}%"


def test_a_milestone_has_no_comparator() -> None:
    text = describe_target(kind="milestone", subject="建立制度", deadline=date(2022, 6, 30))
    assert text == "建立制度（2022年06月30日前）"
