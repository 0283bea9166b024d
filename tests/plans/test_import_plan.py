"""Importing a parsed table as a plan: every assignment right, names resolved, nothing partial."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from duban.orgs.models import OrgUnit
from duban.plans.models import Assignment, Plan, Target, Task
from duban.plans.services import PlanImportError, plan_import_file, read_mapping
from tests.conftest import SEED

JURISDICTIONS = [
    "460100",
    "460200",
    "460400",
    "460400499",
    "469001",
    "469002",
    "469005",
    "469006",
    "469007",
    "469021",
    "469022",
    "469023",
    "469024",
    "469025",
    "469026",
    "469027",
    "469028",
    "469029",
    "469030",
]

# Read by hand from the Hainan table: the units each task names before 各市县政府, with their roles.
R, L = "responsible", "lead"
EXPECTED_DIRECT = {
    1: [("HI-MZT", R), ("HI-CZT", R)],
    2: [("HI-WJW", L)],
    5: [("HI-FGW", L), ("HI-MZT", R), ("HI-SCJGJ", R), ("HI-LWT", R)],
    6: [("HI-MZT", L)],
    19: [("HI-MZT", L), ("HI-WJW", L), ("HI-ZJT", R), ("HI-GXT", R)],
    23: [
        ("HI-FGW", L),
        ("HI-CZT", R),
        ("HI-MZT", R),
        ("HI-GZW", R),
        ("HI-RSHT", R),
        ("HI-JGSWJ", R),
        ("HI-BB", R),
        ("HI-ZRZYT", R),
        ("HI-ZJT", R),
        ("HI-WJW", R),
        ("HI-YJT", R),
        ("HI-PBC-HK", R),
    ],
    27: [("HI-PBC-HK", R), ("HI-JRJGJ", R), ("HI-CBIRC", R), ("HI-FGW", R), ("HI-CZT", R), ("HI-CSRC", R)],
    29: [
        ("HI-GXT", R),
        ("HI-KJT", R),
        ("HI-FGW", R),
        ("HI-MZT", R),
        ("HI-WJW", R),
        ("HI-SCJGJ", R),
        ("HI-CL", R),
        ("HI-DSJ", R),
    ],
    32: [
        ("HI-ZJT", R),
        ("HI-WJW", R),
        ("HI-JTT", R),
        ("HI-MZT", R),
        ("HI-CL", R),
        ("HI-SWT", R),
        ("HI-ZRZYT", R),
        ("HI-LWT", R),
    ],
    36: [("HI-ZGH", R), ("HI-TSW", R), ("HI-CL", R), ("HI-MZT", R), ("HI-WJW", R), ("HI-BOC", R)],
    39: [("HI-FGW", L), ("HI-MZT", R), ("HI-WJW", R)],
}


def assignments_of(plan: Plan, number: int) -> list[tuple[str, str]]:
    return list(
        Assignment.objects.filter(task__plan=plan, task__number=number).order_by("pk").values_list("unit__code", "role")
    )


def snapshot() -> tuple[int, int, int, int]:
    return Plan.objects.count(), Task.objects.count(), Target.objects.count(), Assignment.objects.count()


@pytest.mark.django_db
class TestSeedPlan:
    def test_counts_by_role(self, seed_plan: Plan) -> None:
        roles = Counter(Assignment.objects.filter(task__plan=seed_plan).values_list("role", flat=True))
        # Counted by hand: 16 leads (task 19 has two); 164 responsible entries; no 配合; 各市县政府 in
        # tasks 1–38, each reaching 19 jurisdictions.
        assert roles == {"lead": 16, "responsible": 164, "local": 38 * 19}
        assert seed_plan.tasks.count() == 39
        assert Target.objects.filter(task__plan=seed_plan).count() == 12

    @pytest.mark.parametrize("number", sorted(EXPECTED_DIRECT))
    def test_assignments_of_a_task(self, seed_plan: Plan, number: int) -> None:
        got = assignments_of(seed_plan, number)
        direct = [a for a in got if a[1] != "local"]
        local = sorted(code for code, role in got if role == "local")
        assert direct == EXPECTED_DIRECT[number]
        assert local == ([] if number == 39 else sorted(JURISDICTIONS))

    def test_local_assignments_keep_the_name_as_written(self, seed_plan: Plan) -> None:
        t32 = Assignment.objects.get(task__plan=seed_plan, task__number=32, unit__code="460400499")
        assert (t32.name_as_written, t32.via_collective) == ("各市县人民政府", "各市县人民政府")
        t1 = Assignment.objects.get(task__plan=seed_plan, task__number=1, unit__code="460100")
        assert t1.name_as_written == "各市县政府"
        assert seed_plan.scope_notes == [
            {"term": "各市县政府", "includes": ["洋浦经济开发区"], "excludes": ["三沙市"], "applies_to_following": True}
        ]

    def test_renamed_units_keep_the_name_as_written(self, seed_plan: Plan) -> None:
        a = Assignment.objects.get(task__plan=seed_plan, task__number=27, unit__code="HI-CBIRC")
        assert a.name_as_written == "银保监会海南监管局"

    def test_targets_are_stored(self, seed_plan: Plan) -> None:
        beds = Target.objects.get(task__plan=seed_plan, task__number=6)
        assert (beds.kind, beds.subject, beds.comparator, beds.value, beds.unit, str(beds.deadline)) == (
            "quantity",
            "每千名老年人口拥有养老床位数",
            ">=",
            32,
            "张",
            "2025-12-31",
        )
        visits = Target.objects.get(task__plan=seed_plan, task__number=19)
        assert (visits.kind, str(visits.deadline)) == ("milestone", "2022-12-31")

    def test_importing_the_same_file_again_changes_nothing(self, seed_plan: Plan) -> None:
        before = snapshot()
        result = plan_import_file(path=SEED)
        assert not result.created and result.plan.pk == seed_plan.pk
        assert snapshot() == before


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


TABLE = "某方案分工表\n序号|重点任务|责任单位\n{rows}\n"


@pytest.mark.django_db
class TestResolutionAtImport:
    def test_unknown_names_are_listed_and_nothing_is_written(self, tmp_path: Path, registry: None) -> None:
        path = write(
            tmp_path,
            "plan.txt",
            TABLE.format(rows="1|建设设施。|省民政厅牵头，省卫生健康委员按职责分工负责。\n2|培训人员。|省养老办负责。"),
        )
        with pytest.raises(PlanImportError) as caught:
            plan_import_file(path=path)
        message = str(caught.value)
        assert "plan.txt" in message and "2 个单位名称无法识别" in message
        assert "“省卫生健康委员”（任务 1）" in message and "省卫生健康委" in message
        assert "“省养老办”（任务 2）" in message
        assert "duban add-alias" in message and "--map" in message
        assert [u.name for u in caught.value.unresolved] == ["省卫生健康委员", "省养老办"]
        assert snapshot() == (0, 0, 0, 0)

    def test_a_mapping_file_resolves_them(self, tmp_path: Path, registry: None) -> None:
        path = write(tmp_path, "plan.txt", TABLE.format(rows="1|建设设施。|省养老办牵头，省民政厅负责。"))
        mapping = write(tmp_path, "map.csv", "name,code\n省养老办,HI-MZT\n")
        plan = plan_import_file(path=path, mapping=read_mapping(mapping)).plan
        # The mapped name and the direct one are the same unit: it is listed once, with its first role.
        assert assignments_of(plan, 1) == [("HI-MZT", "lead")]

    def test_a_mapping_file_with_an_unknown_code(self, tmp_path: Path, registry: None) -> None:
        mapping = write(tmp_path, "map.csv", "name,code\n省养老办,HI-NOPE\n")
        with pytest.raises(PlanImportError, match=re.escape("map.csv 第2行，code列：“HI-NOPE” 单位代码不存在")):
            read_mapping(mapping)

    def test_a_collective_without_a_note_takes_the_registry_default(self, tmp_path: Path, registry: None) -> None:
        path = write(tmp_path, "plan.txt", TABLE.format(rows="1|建设设施。|省民政厅牵头，各市县政府负责。"))
        plan = plan_import_file(path=path).plan
        local = {code for code, role in assignments_of(plan, 1) if role == "local"}
        assert local == set(JURISDICTIONS)

    def test_a_note_changes_the_collective(self, tmp_path: Path, registry: None) -> None:
        rows = "1|建设设施。|省民政厅牵头，各市县政府（不含洋浦经济开发区，含三沙市）负责。"
        plan = plan_import_file(path=write(tmp_path, "plan.txt", TABLE.format(rows=rows))).plan
        local = {code for code, role in assignments_of(plan, 1) if role == "local"}
        assert local == (set(JURISDICTIONS) - {"460400499"}) | {"460300"}

    def test_an_unknown_collective(self, tmp_path: Path, registry: None) -> None:
        path = write(tmp_path, "plan.txt", TABLE.format(rows="1|建设设施。|省民政厅牵头，各州（市）党委和政府落实。"))
        with pytest.raises(PlanImportError, match="“各州（市）党委和政府”（任务 1）：集合称谓无法展开"):
            plan_import_file(path=path)

    def test_a_file_that_does_not_parse(self, tmp_path: Path, registry: None) -> None:
        with pytest.raises(PlanImportError, match=re.escape("empty.txt: 文件为空")):
            plan_import_file(path=write(tmp_path, "empty.txt", ""))

    def test_the_province_written_once(self, tmp_path: Path, registry: None) -> None:
        rows = "1|建设设施。|省商务厅、财政厅、发展改革委按职责分工负责。"
        plan = plan_import_file(path=write(tmp_path, "plan.txt", TABLE.format(rows=rows))).plan
        assert assignments_of(plan, 1) == [("HI-SWT", R), ("HI-CZT", R), ("HI-FGW", R)]
        assert Assignment.objects.get(task__plan=plan, unit__code="HI-CZT").name_as_written == "财政厅"

    def test_a_second_plan_with_the_same_title_needs_revises(self, tmp_path: Path, seed_plan: Plan) -> None:
        changed = SEED.read_text("utf-8").replace("增强家庭照护能力。", "增强家庭照护能力，开展培训。")
        with pytest.raises(PlanImportError, match=f"--revises {seed_plan.pk}"):
            plan_import_file(path=write(tmp_path, "v2.txt", changed))


@pytest.mark.django_db
def test_a_revision_reports_its_differences_and_carries_history(tmp_path: Path, seed_plan: Plan) -> None:
    text = SEED.read_text("utf-8")
    text = text.replace("增强家庭照护能力。", "增强家庭照护能力，开展家庭照护培训。")  # task 18 reworded
    text = text.replace(
        "省发展改革委牵头，省民政厅、省卫生健康委按职责分工负责。", "省发展改革委牵头，省统计局按职责分工负责。"
    )
    cut = text.index("\t38\n")
    text = text[:cut] + text[text.index("\t39\n") :]  # task 38 removed; 39 is now the 38th row
    text = text.replace("\t39\n", "\t38\n")
    revised = write(tmp_path, "v2.txt", text)
    result = plan_import_file(path=revised, revises=seed_plan)
    assert result.created and result.plan.revision == 2 and result.plan.previous == seed_plan
    diff = result.diff
    assert diff is not None
    assert diff.tasks_reworded == [18]
    assert diff.tasks_added == []
    assert diff.tasks_removed == [38]  # numbered as in the plan it revises
    assert diff.tasks_renumbered == [(39, 38)]
    assert diff.units_added == {38: ["省统计局"]}
    assert diff.units_removed == {38: ["省民政厅", "省卫生健康委"]}
    # An assignment that persists points back at the one it continues.
    kept = Assignment.objects.get(task__plan=result.plan, task__number=6, unit__code="HI-MZT")
    assert kept.previous is not None and kept.previous.task.plan == seed_plan
    assert Task.objects.get(plan=result.plan, number=18).previous == Task.objects.get(plan=seed_plan, number=18)
    assert OrgUnit.objects.filter(code="HI-TJJ").exists()
