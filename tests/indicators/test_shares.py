"""Sharing a province target among the jurisdictions (目标分解): the service, its refusals (nothing written), the
statuses judged against a share, the command and the office's page (only the office may change shares)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client

from duban.audit.models import AuditEntry
from duban.core.errors import UserError
from duban.indicators.models import JurisdictionTarget
from duban.indicators.selectors import ShareTarget, share_target_find, status_rows
from duban.indicators.services import (
    SharesRefused,
    census_load_bundled,
    elements_load_bundled,
    indicators_recompute,
    target_shares_set,
    targets_bind,
)
from duban.plans.models import Plan
from duban.tools.sample_data import sample_load


@pytest.fixture
def computed(seed_plan: Plan) -> Plan:
    elements_load_bundled()
    census_load_bundled()
    sample_load(plan=seed_plan)
    targets_bind(plan=seed_plan)
    indicators_recompute(plan=seed_plan, until=date(2025, 12, 31))
    return seed_plan


def beds(plan: Plan) -> ShareTarget:
    found = share_target_find(plan=plan, key="beds_per_1000_elderly")
    assert found is not None
    return found


def training(plan: Plan) -> ShareTarget:
    found = share_target_find(plan=plan, key="17")
    assert found is not None
    return found


@pytest.mark.django_db
def test_by_need_meets_the_province_target_exactly(computed: Plan) -> None:
    shares = target_shares_set(share_target=beds(computed), method="need", by=None)
    # 洋浦 has no 60+ population of its own (the census counts it in 儋州), so 18 jurisdictions share the beds.
    assert len(shares) == 18
    total_beds = sum(s.count or 0 for s in shares)
    population = sum(s.basis or 0 for s in shares)
    # The beds are whole and add up to 32 per 1000 of the base-year 60+ population, rounded up to a whole bed.
    assert all(float(s.count or 0).is_integer() for s in shares)
    assert total_beds == -(-32 * population // 1000)
    # The ratio of sums is 32, above it by less than one bed's worth.
    assert 32 <= (beds(computed).total or 0) < 32 + 1000 / population
    assert AuditEntry.objects.filter(action="target.shares_set").count() == 1


@pytest.mark.django_db
def test_count_shares_add_up_to_the_target(computed: Plan) -> None:
    target_shares_set(share_target=training(computed), method="equal", by=None)
    values = [s.value for s in JurisdictionTarget.objects.filter(target=training(computed).target)]
    assert len(values) == 19 and sum(values) == 15_000
    assert set(values) == {789, 790}


@pytest.mark.django_db
def test_a_jurisdiction_is_judged_against_its_share_or_held_to_none(computed: Plan) -> None:
    def haikou() -> Any:
        rows = status_rows(plan=computed, as_of=date(2024, 12, 31))
        return next(r for r in rows if r.task == 17 and r.org_code == "460100")

    before = haikou()
    assert not before.measured and before.target is None and before.status_zh == "未分解目标"
    table = [(1, "海口市", "3000")] + [
        (n, u.code, "0") for n, u in enumerate(_jurisdictions(computed), start=2) if u.code != "460100"
    ]
    table[1] = (2, table[1][1], "12000")
    target_shares_set(share_target=training(computed), method="table", by=None, rows=table)
    after = haikou()
    assert after.measured and after.share and after.target == 3000
    assert after.interim is not None and after.interim < 3000


def _jurisdictions(plan: Plan) -> list[Any]:
    from duban.indicators.selectors import plan_jurisdictions

    return plan_jurisdictions(plan=plan)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("rows", "reason"),
    [
        ([(1, "海口市", "15000")], "缺少以下市县的份额"),
        ([(1, "海口市", "-5")], "第1行：海口市的份额“-5”应为不小于0的数"),
        ([(1, "省民政厅", "100")], "第1行：单位“HI-MZT”不是本方案的市县"),
        ([(1, "海口市", "很多")], "第1行：份额“很多”不是数字"),
    ],
)
def test_bad_tables_are_refused_naming_the_row_and_write_nothing(
    computed: Plan, rows: list[tuple[int, str, str]], reason: str
) -> None:
    target_shares_set(share_target=training(computed), method="equal", by=None)
    kept = list(JurisdictionTarget.objects.values_list("org__code", "value").order_by("org__code"))
    with pytest.raises(SharesRefused) as caught:
        target_shares_set(share_target=training(computed), method="table", by=None, rows=rows)
    assert any(reason in p for p in caught.value.problems), caught.value.problems
    assert list(JurisdictionTarget.objects.values_list("org__code", "value").order_by("org__code")) == kept
    assert AuditEntry.objects.filter(action="target.shares_set").count() == 1


@pytest.mark.django_db
def test_a_table_that_does_not_add_up_is_refused(computed: Plan) -> None:
    table = [(n, u.code, "700") for n, u in enumerate(_jurisdictions(computed), start=1)]
    with pytest.raises(SharesRefused, match="合计13,300，与全省目标15,000不符"):
        target_shares_set(share_target=training(computed), method="table", by=None, rows=table)
    assert not JurisdictionTarget.objects.exists()


@pytest.mark.django_db
def test_unknown_targets_and_methods(computed: Plan, capsys: pytest.CaptureFixture[str]) -> None:
    from duban.cli import main

    assert share_target_find(plan=computed, key="nope") is None
    assert share_target_find(plan=computed, key="15") is None  # 每个市县建成老年大学: every one meets it alone
    with pytest.raises(UserError, match="分解方式"):
        target_shares_set(share_target=beds(computed), method="lottery", by=None)
    assert main(["shares", "nope"]) == 2
    assert "未知目标“nope”" in capsys.readouterr().err
    assert main(["shares", "6", "--method", "need"]) == 0
    assert "32）" in capsys.readouterr().out
    assert JurisdictionTarget.objects.filter(target=beds(computed).target).count() == 18


@pytest.mark.django_db
def test_only_the_office_may_open_or_change_the_shares(computed: Plan, cast: Any) -> None:
    target = training(computed).target
    outsider = Client()
    outsider.force_login(cast.sanya)
    assert outsider.get("/office/shares/").status_code == 404
    assert outsider.post(f"/office/shares/{target.pk}", {"method": "equal"}).status_code == 404
    assert not JurisdictionTarget.objects.exists()
    office = Client()
    office.force_login(cast.office)
    page = office.get("/office/shares/")
    assert page.status_code == 200 and "培训养老护理人员" in page.content.decode()
    response = office.post(f"/office/shares/{target.pk}", {"method": "equal"}, follow=True)
    assert "已分解" in response.content.decode()
    assert JurisdictionTarget.objects.filter(target=target).count() == 19
    bad = office.post(
        f"/office/shares/{target.pk}",
        {"method": "table", "unit": ["460100", "460200"], "share-460100": "-1", "share-460200": "5"},
        follow=True,
    )
    assert "第1行：海口市的份额“-1”应为不小于0的数" in bad.content.decode()
    assert JurisdictionTarget.objects.filter(target=target).count() == 19
    assert office.post("/office/shares/999999", {"method": "equal"}).status_code == 404
    upload = office.post(
        f"/office/shares/{target.pk}",
        {"file": _csv("单位,份额\n海口市,15000\n")},
        follow=True,
    )
    assert "缺少以下市县的份额" in upload.content.decode()


def _csv(text: str) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("shares.csv", text.encode("utf-8"), content_type="text/csv")
