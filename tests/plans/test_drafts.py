"""方案导入 through drafts: upload, review, correct and import — the services behind the office's pages."""

from __future__ import annotations

import copy

import pytest
from django.contrib.auth.models import User
from django.test import override_settings

from duban.audit.models import AuditEntry
from duban.orgs.models import OrgUnit
from duban.orgs.selectors import NameIndex
from duban.plans.models import Assignment, Plan, PlanDraft
from duban.plans.selectors import draft_review
from duban.plans.services import (
    DraftConflict,
    DraftError,
    plan_draft_create,
    plan_draft_import,
    plan_draft_mapping_rows,
    plan_draft_preview,
    plan_draft_save,
)
from tests.conftest import SEED

# The sample table with one name as a typo the registry cannot know: task 38's lead, 省统计局.
TYPO = "省统记局"
SEED_WITH_TYPO = SEED.read_text("utf-8").replace("省统计局", TYPO).encode()


@pytest.fixture
def office(registry: None) -> User:
    return User.objects.create_user("office", password="x")


def _draft(office: User, content: bytes = SEED_WITH_TYPO, **kwargs: object) -> PlanDraft:
    return plan_draft_create(
        content=content, source_name="分工表.txt", region=OrgUnit.objects.get(code="460000"), by=office, **kwargs
    )


def _save(draft: PlanDraft, by: User, **changes: object) -> PlanDraft:
    values: dict[str, object] = {
        "document": draft.document,
        "resolutions": draft.resolutions,
        "issuing_body": draft.issuing_body,
        "document_number": draft.document_number,
        "issued_on": draft.issued_on,
        "revises": draft.revises,
    }
    values.update(changes)
    return plan_draft_save(draft=draft, by=by, expected_version=draft.version, **values)  # type: ignore[arg-type]


@pytest.mark.django_db
def test_an_upload_becomes_a_draft_and_nothing_of_a_plan_is_written(office: User) -> None:
    draft = _draft(office)
    assert Plan.objects.count() == 0
    assert len(draft.document["tasks"]) == 39 and draft.parsed == draft.document
    assert draft.status == PlanDraft.Status.DRAFT and draft.version == 1
    assert AuditEntry.objects.filter(action="plan_draft_create").count() == 1
    review = draft_review(draft=draft)
    assert [name.name for name in review.names] == [TYPO]
    assert review.names[0].tasks == [38]
    # the closest registry unit is offered
    assert "HI-TJJ" in [unit.code for unit in review.names[0].suggestions]
    preview = plan_draft_preview(draft=draft)
    assert preview.unresolved == [TYPO] and TYPO in preview.problem
    assert Plan.objects.count() == 0  # the preview's import was rolled back


@pytest.mark.django_db
def test_what_the_document_says_of_itself_prefills_the_draft(office: User) -> None:
    text = (
        "海南省人民政府办公厅关于印发促进养老托育服务健康发展实施方案的通知\n琼府办〔2022〕12号\n"
        "1. 到2025年底，建成10个中心。（省民政厅牵头，各市县政府负责）\n海南省人民政府办公厅\n2022年3月1日\n"
    )
    draft = _draft(office, text.encode())
    assert (draft.document_number, draft.issuing_body, str(draft.issued_on)) == (
        "琼府办〔2022〕12号",
        "海南省人民政府办公厅",
        "2022-03-01",
    )
    # what the office typed wins
    assert _draft(office, text.encode(), document_number="琼府办〔2022〕13号").document_number == "琼府办〔2022〕13号"


@pytest.mark.django_db
def test_bad_uploads_are_refused_with_the_file_named(office: User) -> None:
    with pytest.raises(DraftError, match="空的"):
        _draft(office, b"")
    with pytest.raises(DraftError, match="二进制"):
        _draft(office, b"\x00\x01\x02" * 100)
    with override_settings(PLAN_DOCUMENT_MAX_BYTES=1000), pytest.raises(DraftError, match="超过上限"):
        _draft(office)
    with pytest.raises(DraftError, match="未找到任何任务"):
        _draft(office, "一份通知，没有任务。".encode())
    assert PlanDraft.objects.count() == 0


@pytest.mark.django_db
def test_mapping_a_name_imports_the_plan_and_teaches_the_registry_the_name(office: User) -> None:
    draft = _draft(office)
    draft = _save(draft, office, resolutions={TYPO: {"code": "HI-TJJ"}})
    assert plan_draft_preview(draft=draft).unresolved == []
    result = plan_draft_import(draft=draft, by=office, expected_version=draft.version)
    plan = result.plan
    assert plan.tasks.count() == 39
    lead = Assignment.objects.get(task__plan=plan, task__number=38, role="lead")
    assert (lead.unit.code, lead.name_as_written) == ("HI-TJJ", TYPO)
    draft.refresh_from_db()
    assert draft.status == PlanDraft.Status.IMPORTED and draft.plan == plan
    assert [c["what"] for c in draft.corrections] == ["unit_mapping"]
    assert draft.corrections[0]["by"] == "office" and draft.corrections[0]["to"] == {"code": "HI-TJJ"}
    assert NameIndex().resolve(TYPO).unit == lead.unit  # offered next time as an alias
    assert plan_draft_mapping_rows(draft=draft) == [{"name": TYPO, "code": "HI-TJJ"}]
    assert AuditEntry.objects.filter(action__in=["plan_draft_save", "plan_draft_import", "plan_import"]).count() == 3
    with pytest.raises(DraftError, match="已导入"):
        _save(draft, office)


@pytest.mark.django_db
def test_a_unit_the_registry_lacks_is_added_under_the_region(office: User) -> None:
    draft = _save(_draft(office), office, resolutions={TYPO: {"new": {"name": "海南省统记中心", "kind": "affiliated"}}})
    plan = plan_draft_import(draft=draft, by=office, expected_version=draft.version).plan
    lead = Assignment.objects.get(task__plan=plan, task__number=38, role="lead")
    assert lead.unit.name == "海南省统记中心" and lead.unit.kind == "affiliated"
    assert lead.unit.parent is not None and lead.unit.parent.code == "460000"
    assert lead.unit.code.startswith("460000-")


@pytest.mark.django_db
def test_corrections_to_tasks_units_and_targets_are_kept_with_who_and_what_they_were(office: User) -> None:
    draft = _draft(office)
    document = copy.deepcopy(draft.document)
    task6 = next(t for t in document["tasks"] if t["number"] == 6)
    before = copy.deepcopy(task6)
    task6["units"] = task6["units"][:1]  # the collective dropped
    task6["targets"][0]["value"] = "33"
    draft = _save(draft, office, document=document, resolutions={TYPO: {"code": "HI-TJJ"}})
    saved6 = next(t for t in draft.document["tasks"] if t["number"] == 6)
    assert saved6["targets"][0]["value"] == 33  # read back as a number
    kinds = {(c["what"], c.get("task")) for c in draft.corrections}
    assert kinds == {("units", 6), ("targets", 6), ("unit_mapping", None)}
    units_change = next(c for c in draft.corrections if c["what"] == "units")
    assert units_change["from"] == before["units"]
    assert draft.parsed["tasks"][5] == before  # the parser's reading is kept as it was


@pytest.mark.django_db
def test_a_wrong_field_is_named_and_nothing_is_saved(office: User) -> None:
    draft = _draft(office)
    document = copy.deepcopy(draft.document)
    document["tasks"][5]["targets"][0]["value"] = "三十二"
    with pytest.raises(DraftError, match="第6项任务 第1个目标"):
        _save(draft, office, document=document)
    draft.refresh_from_db()
    assert draft.version == 1 and draft.corrections == []


@pytest.mark.django_db
def test_the_second_of_two_saves_on_one_version_is_refused_with_who_saved_first(office: User) -> None:
    colleague = User.objects.create_user("colleague", password="x")
    draft = _draft(office)
    stale = PlanDraft.objects.get(pk=draft.pk)
    _save(draft, colleague, issuing_body="海南省人民政府办公厅")
    with pytest.raises(DraftConflict, match="colleague"):
        _save(stale, office, issuing_body="别的机关")
    draft.refresh_from_db()
    assert draft.issuing_body == "海南省人民政府办公厅" and draft.version == 2


@pytest.mark.django_db
def test_a_revision_shows_what_it_changes_before_it_is_imported(seed_plan: Plan, office: User) -> None:
    content = SEED.read_text("utf-8").replace("制定基本养老服务清单", "制定并公布基本养老服务清单", 1).encode()
    draft = _draft(office, content, revises=seed_plan)
    preview = plan_draft_preview(draft=draft)
    assert preview.problem == ""
    assert preview.diff is not None and preview.diff.tasks_reworded != []
    assert Plan.objects.count() == 1  # nothing written by the preview
    result = plan_draft_import(draft=draft, by=office, expected_version=draft.version)
    assert result.plan.previous == seed_plan and result.diff is not None


def _mapped(draft: PlanDraft, office: User, **resolutions: dict[str, object]) -> PlanDraft:
    return _save(draft, office, resolutions={**draft.resolutions, **resolutions})


@pytest.mark.django_db
def test_a_local_name_that_is_no_collective_is_mapped_like_any_other(office: User) -> None:
    draft = _draft(office)
    document = copy.deepcopy(draft.document)
    task = next(t for t in document["tasks"] if all(u["role"] != "local" for u in t["units"]))
    task["units"].append({"name": "试点市县政府", "role": "local"})
    draft = _save(draft, office, document=document)
    names = {item.name: item for item in draft_review(draft=draft).names}
    assert names["试点市县政府"].local and names["试点市县政府"].tasks == [task["number"]]
    assert "试点市县政府" in plan_draft_preview(draft=draft).unresolved
    draft = _mapped(draft, office, 试点市县政府={"code": "460100"}, **{TYPO: {"code": "HI-TJJ"}})
    assert plan_draft_preview(draft=draft).problem == ""
    plan = plan_draft_import(draft=draft, by=office, expected_version=draft.version).plan
    haikou = Assignment.objects.get(task__plan=plan, task__number=task["number"], unit__code="460100")
    assert (haikou.role, haikou.name_as_written) == ("local", "试点市县政府")


@pytest.mark.django_db
def test_a_place_of_a_scope_note_the_registry_lacks_is_offered_for_mapping(office: User) -> None:
    draft = _draft(office)
    document = copy.deepcopy(draft.document)
    note = document["scope_notes"][0]
    note["includes"] = [*note["includes"], "洋浦新区"]
    draft = _save(draft, office, document=document)
    names = {item.name: item for item in draft_review(draft=draft).names}
    assert "洋浦新区" in names and not names["洋浦新区"].local
    draft = _mapped(draft, office, 洋浦新区={"code": "460100"}, **{TYPO: {"code": "HI-TJJ"}})
    assert "洋浦新区" not in {item.name for item in draft_review(draft=draft).names if not item.choice}
    plan_draft_import(draft=draft, by=office, expected_version=draft.version)


@pytest.mark.django_db
def test_the_same_file_imported_again_is_refused_unless_it_revises_the_plan_it_gave(office: User) -> None:
    first = _mapped(_draft(office), office, **{TYPO: {"code": "HI-TJJ"}})
    plan = plan_draft_import(draft=first, by=office, expected_version=first.version).plan
    again = _mapped(_draft(office), office, **{TYPO: {"code": "HI-TJJ"}})
    document = copy.deepcopy(again.document)
    document["tasks"][0]["text"] += "（更正）"
    again = _save(again, office, document=document)
    units_before = OrgUnit.objects.count()
    with pytest.raises(DraftError, match=f"已导入为方案.*编号 {plan.pk}"):
        plan_draft_import(draft=again, by=office, expected_version=again.version)
    again.refresh_from_db()
    assert again.status == PlanDraft.Status.DRAFT and Plan.objects.count() == 1
    assert OrgUnit.objects.count() == units_before
    again = _save(again, office, revises=plan)
    revision = plan_draft_import(draft=again, by=office, expected_version=again.version)
    assert revision.plan.previous == plan and revision.diff is not None and revision.diff.tasks_reworded == [1]


@pytest.mark.django_db
def test_the_preview_writes_nothing(office: User) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    draft = _save(_draft(office), office, resolutions={TYPO: {"new": {"name": TYPO, "kind": "department"}}})
    with CaptureQueriesContext(connection) as queries:
        preview = plan_draft_preview(draft=draft)
    assert preview.problem == "" and preview.unresolved == []
    writes = [q["sql"] for q in queries if q["sql"].split()[0].upper() in ("INSERT", "UPDATE", "DELETE", "SAVEPOINT")]
    assert writes == []


@pytest.mark.django_db
def test_a_name_that_was_ambiguous_is_not_learnt_as_an_alias(office: User) -> None:
    county = OrgUnit.objects.create(code="469001-MZ", name="五指山市民政局", kind="department")
    OrgUnit.objects.create(code="469002-MZ", name="琼海市民政局", kind="department")
    OrgUnit.objects.filter(code__in=["469001-MZ", "469002-MZ"]).update(short_name="市民政局")
    draft = _draft(office)
    document = copy.deepcopy(draft.document)
    document["tasks"][1]["units"].append({"name": "市民政局", "role": "support"})
    draft = _save(draft, office, document=document)
    assert NameIndex().resolve("市民政局").ambiguous
    draft = _mapped(draft, office, 市民政局={"code": county.code}, **{TYPO: {"code": "HI-TJJ"}})
    plan_draft_import(draft=draft, by=office, expected_version=draft.version)
    index = NameIndex()
    assert index.resolve(TYPO).unit is not None  # an unknown name is learnt
    assert index.resolve("市民政局").unit is None  # an ambiguous one is not: an alias holds everywhere


@pytest.mark.django_db
def test_a_unit_is_refused_as_the_region_of_a_plan(office: User) -> None:
    with pytest.raises(DraftError, match="不是地区"):
        plan_draft_create(
            content=SEED_WITH_TYPO, source_name="a.txt", region=OrgUnit.objects.get(code="HI-TJJ"), by=office
        )
    assert PlanDraft.objects.count() == 0


@pytest.mark.django_db
def test_stale_drafts_that_never_became_a_plan_are_purged(office: User, capsys: pytest.CaptureFixture[str]) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from duban.cli import main

    imported = _mapped(_draft(office), office, **{TYPO: {"code": "HI-TJJ"}})
    plan_draft_import(draft=imported, by=office, expected_version=imported.version)
    old, fresh = _draft(office), _draft(office)
    PlanDraft.objects.filter(pk=old.pk).update(source_name="旧.txt")
    long_ago = timezone.now() - timedelta(days=120)
    PlanDraft.objects.exclude(pk=fresh.pk).update(updated_at=long_ago)
    assert main(["plan-drafts", "--purge", "90"]) == 0
    assert "已删除 1 份" in capsys.readouterr().out
    assert set(PlanDraft.objects.values_list("pk", flat=True)) == {imported.pk, fresh.pk}
    assert not PlanDraft.objects.filter(pk=old.pk).exists()
    assert AuditEntry.objects.get(action="plan_drafts_purge").after["drafts"] == [[old.pk, "旧.txt"]]
    assert main(["plan-drafts", "--purge", "0"]) == 2


@pytest.mark.django_db
def test_the_preview_refuses_what_the_import_would_refuse(office: User) -> None:
    first = _mapped(_draft(office), office, **{TYPO: {"code": "HI-TJJ"}})
    plan = plan_draft_import(draft=first, by=office, expected_version=first.version).plan
    again = _mapped(_draft(office), office, **{TYPO: {"code": "HI-TJJ"}})
    assert f"已导入为方案“{plan.title}”（编号 {plan.pk}）" in plan_draft_preview(draft=again).problem
    bogus = _save(
        again, office, resolutions={TYPO: {"new": {"name": "省统计局数据中心", "kind": "other", "parent": "X9"}}}
    )
    assert "上级单位代码 X9 不在登记册中" in plan_draft_preview(draft=bogus).problem
    with pytest.raises(DraftError, match="文号有 101 个字"):
        _save(bogus, office, document_number="号" * 101)


@pytest.mark.django_db
def test_a_plan_revised_meanwhile_is_refused_as_the_one_a_draft_revises(office: User) -> None:
    plan = plan_draft_import(
        draft=(first := _mapped(_draft(office), office, **{TYPO: {"code": "HI-TJJ"}})),
        by=office,
        expected_version=first.version,
    ).plan
    a = _save(_mapped(_draft(office), office, **{TYPO: {"code": "HI-TJJ"}}), office, revises=plan)
    b = _save(_mapped(_draft(office), office, **{TYPO: {"code": "HI-TJJ"}}), office, revises=plan)
    revision = plan_draft_import(draft=a, by=office, expected_version=a.version).plan
    message = f"已被修订为“{revision}”（编号 {revision.pk}）"
    assert message in plan_draft_preview(draft=b).problem
    with pytest.raises(DraftError, match=message):
        plan_draft_import(draft=b, by=office, expected_version=b.version)
    assert Plan.objects.count() == 2


@pytest.mark.django_db
def test_the_previewed_difference_is_the_one_the_import_makes(seed_plan: Plan, office: User) -> None:
    draft = _save(_mapped(_draft(office), office, **{TYPO: {"code": "HI-TJJ"}}), office, revises=seed_plan)
    document = copy.deepcopy(draft.document)
    tasks = document["tasks"]
    # task 2 split in two of the same text, their numbers swapped; task 5 reworded, 6 renumbered to 60
    copy_of_2 = {**copy.deepcopy(tasks[1]), "number": 2, "targets": []}
    tasks[1]["number"] = 40
    tasks.insert(2, copy_of_2)
    tasks[5]["text"] += "（修订）"
    draft = _save(draft, office, document=document)
    previewed = plan_draft_preview(draft=draft)
    assert previewed.problem == ""
    made = plan_draft_import(draft=draft, by=office, expected_version=draft.version).diff
    assert previewed.diff == made and made is not None and made.tasks_reworded


@pytest.mark.django_db
def test_a_unit_to_add_that_the_registry_knows_is_refused_and_two_drafts_never_share_one(office: User) -> None:
    draft = _save(_draft(office), office, resolutions={TYPO: {"new": {"name": "海南省统计局", "kind": "department"}}})
    assert "“海南省统计局”已在登记册中" in plan_draft_preview(draft=draft).problem
    with pytest.raises(DraftError, match="已在登记册中"):
        plan_draft_import(draft=draft, by=office, expected_version=draft.version)
    assert OrgUnit.objects.filter(name="海南省统计局").count() == 1
    first = _save(draft, office, resolutions={TYPO: {"new": {"name": "省统计数据中心", "kind": "affiliated"}}})
    created = plan_draft_import(draft=first, by=office, expected_version=first.version)
    unit = Assignment.objects.get(task__plan=created.plan, name_as_written=TYPO).unit
    other = _save(
        _draft(office, SEED_WITH_TYPO.replace("分工表".encode(), "分工".encode())),
        office,
        resolutions={TYPO: {"new": {"name": "省统计服务中心", "kind": "enterprise"}}},
    )
    second = plan_draft_import(draft=other, by=office, expected_version=other.version)
    unit.refresh_from_db()
    assert (unit.name, unit.kind) == ("省统计数据中心", "affiliated")  # the first plan's unit is left as it was
    theirs = Assignment.objects.get(task__plan=second.plan, name_as_written=TYPO).unit
    assert theirs != unit and (theirs.name, theirs.kind) == ("省统计服务中心", "enterprise")


@pytest.mark.django_db
def test_purge_days_and_long_facts_are_refused_with_a_message(office: User) -> None:
    from duban.cli import main

    assert main(["plan-drafts", "--purge", "99999999"]) == 2
    draft = _draft(office)
    with pytest.raises(DraftError, match="印发机关有 201 个字"):
        _save(draft, office, issuing_body="厅" * 201)
