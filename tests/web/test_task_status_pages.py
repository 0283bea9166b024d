"""Task status (任务状态) on the pages: the overview's grid filtered by round, lead unit and status, the reason on
the task, unit and office pages, names for those who may read them, and query counts that do not grow."""

from __future__ import annotations

import re
from typing import Any

import pytest

from duban.plans.models import Assignment
from duban.reporting.models import ReportingRound
from duban.reporting.selectors import figure_elements
from duban.reporting.services import report_save, report_sign_off, report_start, report_submit
from tests.web.conftest import signed_in


def tiles(page: str) -> list[tuple[str, str]]:
    """(number, status) of every tile on the grid."""
    return [(n, s) for s, n in re.findall(r'data-status="(\w+)" href="/tasks/(\d+)/', page)]


def send(cast: Any, round_: ReportingRound, number: int) -> None:
    a = Assignment.objects.get(task__plan=cast.plan, task__number=number, unit__code="460100")
    report = report_start(round_=round_, assignment=a, by=cast.haikou)
    fields = {"progress": "in_progress", "done": "推进", "figures": {c: 1000 for c in figure_elements(a, round_)}}
    report = report_save(report=report, by=cast.haikou, expected_version=report.version, fields=fields)
    report = report_submit(report=report, by=cast.haikou, expected_version=report.version)
    report_sign_off(report=report, by=cast.haikou_approver, expected_version=report.version)


@pytest.mark.django_db
def test_the_grid_is_filtered_by_round_lead_unit_and_status(cast: Any, round_: ReportingRound) -> None:
    office = signed_in(cast.office)
    page = office.get(f"/?round={round_.pk}").content.decode()
    everything = tiles(page)
    assert len(everything) == 39 and {s for _, s in everything} <= {"late", "overdue", "off_track", "at_risk"}
    assert "逾期未报" in page and "个市县逾期未报" in page  # the status and its reason on the tile

    led = Assignment.objects.filter(task__plan=cast.plan, unit__code="HI-MZT", role="lead")
    numbers = sorted({str(n) for n in led.values_list("task__number", flat=True)}, key=int)
    by_lead = tiles(office.get(f"/?round={round_.pk}&lead=HI-MZT").content.decode())
    assert [n for n, _ in by_lead] == numbers

    late = tiles(office.get(f"/?round={round_.pk}&status=late").content.decode())
    assert late and all(s == "late" for _, s in late)
    assert len(late) == sum(1 for _, s in everything if s == "late")

    nothing = office.get(f"/?round={round_.pk}&status=closed").content.decode()
    assert tiles(nothing) == [] and "没有符合条件的任务。" in nothing
    # An unknown status is no filter at all, and a round of another plan is not found.
    assert len(tiles(office.get("/?status=bogus").content.decode())) == 39
    assert office.get("/?round=99999").status_code == 404


@pytest.mark.django_db
def test_the_task_unit_and_office_pages_show_the_status_with_its_reason(cast: Any, round_: ReportingRound) -> None:
    office = signed_in(cast.office)
    task = office.get(f"/tasks/6/?round={round_.pk}").content.decode()
    assert re.search(r'class="status task-status" data-status="\w+"', task)
    assert "省民政厅、19 个市县逾期未报" in task and "2022年第3季度" in task
    unit = office.get(f"/units/HI-MZT/?round={round_.pk}").content.decode()
    assert "逾期未报" in unit and 'class="why"' in unit
    desk = office.get(f"/office/?round={round_.pk}").content.decode()
    assert "任务状态" in desk and desk.count('class="badge s-') >= 39
    office.cookies["django_language"] = "en"
    english = office.get(f"/tasks/6/?round={round_.pk}").content.decode()
    assert "cities and counties have not reported by the due date" in english and "Overdue, not submitted" in english


@pytest.mark.django_db
def test_a_county_reporter_reads_counts_where_the_office_reads_names(cast: Any, round_: ReportingRound) -> None:
    outsider = signed_in(cast.sanya).get(f"/tasks/6/?round={round_.pk}").content.decode()
    assert "1 个单位、19 个市县逾期未报" in outsider and "省民政厅、19 个市县" not in outsider


@pytest.mark.django_db
def test_the_overview_and_task_page_cost_the_same_queries_with_more_reports(
    cast: Any, round_: ReportingRound, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from duban.core import dataversion

    monkeypatch.setattr(dataversion, "TRUST_SECONDS", -1.0)
    office = signed_in(cast.office)
    urls = [f"/?round={round_.pk}", f"/?round={round_.pk}&lead=HI-MZT&status=late", f"/tasks/6/?round={round_.pk}"]

    def counts() -> list[int]:
        found = []
        for url in urls:
            cache.clear()
            with CaptureQueriesContext(connection) as queries:
                assert office.get(url).status_code == 200, url
            found.append(len(queries))
        return found

    # One report on task 6 first: its page then also reads that report's evidence, review steps and figures'
    # elements (three queries that an empty round does not need), however many reports follow.
    send(cast, round_, 6)
    counts()
    small = counts()
    for number in range(1, 20):
        if number != 6:
            send(cast, round_, number)
    assert counts() == small
    assert max(small) <= 50


def test_the_pages_label_every_task_status_as_the_rules_name_it() -> None:
    from duban.metrics.status.task import TASK_STATUS_LABELS_ZH
    from duban.web.status import TASK_LABEL

    assert {code: str(label) for code, label in TASK_LABEL.items()} == TASK_STATUS_LABELS_ZH
