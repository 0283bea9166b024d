"""Who reaches what in the reporting pages: every role × every view and download × own or other unit.

One world is built — 海口's draft, a report waiting for 海口's sign-off, and one 海口 has sent in on a task that
省民政厅 leads — and every request of the matrix is made inside a transaction rolled back after it, so that one
person's step does not change what the next one finds.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction
from django.test import Client

from duban.plans.models import Assignment
from duban.reporting.models import ProgressReport, ReportingRound
from duban.reporting.services import (
    evidence_add,
    report_save,
    report_sign_off,
    report_start,
    report_submit,
    rounds_schedule,
)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PEOPLE = (
    "anonymous",
    "office",
    "leader",
    "minzheng",
    "minzheng_approver",
    "weijian_approver",
    "haikou",
    "haikou_approver",
    "sanya",
)
# 省民政厅 leads the tasks of the reports below; 省卫生健康委 (weijian) leads other tasks: being a lead unit
# somewhere must not open another task's reports.
#
# What each person gets, in the order of PEOPLE: a status code, "login" (sent to the login page), "summary"
# (sent to the meeting summary), "done" (the step was taken: a redirect with a success message) or "refused"
# (a redirect with an error message, such as an incomplete form).
EXPECTED: dict[str, tuple[str, ...]] = {
    "GET draft report": ("login", "404", "404", "404", "404", "404", "200", "200", "404"),
    "GET draft evidence": ("login", "404", "404", "404", "404", "404", "200", "200", "404"),
    "POST save draft": ("login", "404", "404", "404", "404", "404", "done", "403", "404"),
    "POST autosave draft (JSON)": ("login", "404", "404", "404", "404", "404", "200", "403", "404"),
    "POST upload to draft": ("login", "404", "404", "404", "404", "404", "done", "403", "404"),
    "POST delete draft evidence": ("login", "404", "404", "404", "404", "404", "done", "403", "404"),
    "POST submit draft": ("login", "404", "404", "404", "404", "404", "done", "403", "404"),
    "GET waiting report": ("login", "404", "404", "404", "404", "404", "200", "200", "404"),
    "POST sign off waiting": ("login", "404", "404", "404", "404", "404", "403", "done", "404"),
    "POST send back waiting": ("login", "404", "404", "404", "404", "404", "403", "done", "404"),
    "POST withdraw waiting": ("login", "404", "404", "404", "404", "404", "done", "403", "404"),
    "GET submitted report": ("login", "200", "200", "200", "200", "404", "200", "200", "404"),
    "GET submitted evidence": ("login", "200", "200", "200", "200", "404", "200", "200", "404"),
    "POST save submitted": ("login", "403", "403", "403", "403", "404", "403", "403", "404"),
    "POST withdraw submitted": ("login", "403", "403", "403", "403", "404", "done", "403", "404"),
    "POST accept submitted": ("login", "done", "403", "403", "done", "404", "403", "403", "404"),
    "POST return submitted": ("login", "done", "403", "403", "done", "404", "403", "403", "404"),
    "POST return submitted, no comment": ("login", "refused", "403", "403", "refused", "404", "403", "403", "404"),
    "GET returned report": ("login", "200", "200", "200", "200", "404", "200", "200", "404"),
    "POST save returned": ("login", "403", "403", "403", "403", "404", "done", "403", "404"),
    "GET accepted report": ("login", "200", "200", "200", "200", "404", "200", "200", "404"),
    "POST correct accepted": ("login", "403", "403", "403", "403", "404", "done", "403", "404"),
    "POST start 海口's report": ("login", "404", "404", "404", "404", "404", "done", "403", "404"),
    # A leader reports on nothing: their workspace opens on the meeting summary.
    "GET workspace": ("login", "200", "summary", "200", "200", "200", "200", "200", "200"),
    "GET office": ("login", "200", "200", "404", "404", "404", "404", "404", "404"),
    "GET inbox": ("login", "200", "200", "200", "200", "200", "200", "200", "200"),
    "POST close task": ("login", "done", "403", "403", "403", "403", "403", "403", "403"),
    "POST add round": ("login", "done", "403", "403", "403", "403", "403", "403", "403"),
    "POST remind 海口": ("login", "done", "403", "403", "403", "403", "403", "403", "403"),
    "POST remind every late unit": ("login", "done", "403", "403", "403", "403", "403", "403", "403"),
}


def assignment(plan: Any, number: int, code: str) -> Assignment:
    return Assignment.objects.get(task__plan=plan, task__number=number, unit__code=code)


@pytest.fixture
def world(cast: Any, settings: Any, tmp_path: Path) -> dict[str, Any]:
    from duban.accounts.services import user_create
    from duban.indicators.services import elements_load_bundled, targets_bind
    from duban.orgs.models import OrgUnit
    from duban.reporting.services import report_accept, report_return

    settings.EVIDENCE_ROOT = tmp_path / "evidence"
    cast.weijian_approver = user_create(
        username="weijian-approver", password="pw-wj", unit=OrgUnit.objects.get(code="HI-WJW"), roles=["approver"]
    )
    elements_load_bundled()
    targets_bind(plan=cast.plan)
    rounds_schedule(plan=cast.plan, until=date(2022, 9, 30))
    round_ = ReportingRound.objects.get(plan=cast.plan, period="2022Q3")

    def started(number: int, figures: dict[str, str]) -> ProgressReport:
        report = report_start(round_=round_, assignment=assignment(cast.plan, number, "460100"), by=cast.haikou)
        fields = {"progress": "in_progress", "done": "已推进", "figures": figures}
        return report_save(report=report, by=cast.haikou, expected_version=report.version, fields=fields)

    def sent_in(number: int, figures: dict[str, str]) -> ProgressReport:
        report = started(number, figures)
        report = report_submit(report=report, by=cast.haikou, expected_version=report.version)
        return report_sign_off(report=report, by=cast.haikou_approver, expected_version=report.version)

    draft = started(6, {"pop_60plus": "250000"})
    draft_evidence = evidence_add(report=draft, by=cast.haikou, name="草稿附件.pdf", content=PDF)
    waiting = started(21, {})
    waiting = report_submit(report=waiting, by=cast.haikou, expected_version=waiting.version)
    sent = started(17, {"trained_care_workers": "120"})
    sent_evidence = evidence_add(report=sent, by=cast.haikou, name="培训签到表.pdf", content=PDF)
    sent = report_submit(report=sent, by=cast.haikou, expected_version=sent.version)
    sent = report_sign_off(report=sent, by=cast.haikou_approver, expected_version=sent.version)
    returned = sent_in(20, {})
    returned = report_return(report=returned, by=cast.office, expected_version=returned.version, comment="补充")
    accepted = sent_in(31, {})
    accepted = report_accept(report=accepted, by=cast.office, expected_version=accepted.version)
    states = [r.status for r in (draft, waiting, sent, returned, accepted)]
    assert states == ["draft", "awaiting_signoff", "submitted", "returned", "accepted"]
    return {
        "round": round_,
        "draft": draft,
        "draft_evidence": draft_evidence,
        "waiting": waiting,
        "sent": sent,
        "sent_evidence": sent_evidence,
        "returned": returned,
        "accepted": accepted,
        "haikou_assignment": assignment(cast.plan, 7, "460100"),
    }


def requests(world: dict[str, Any]) -> dict[str, tuple[str, str, dict[str, Any]]]:
    draft, waiting, sent = world["draft"], world["waiting"], world["sent"]
    returned, accepted = world["returned"], world["accepted"]
    text = {"progress": "in_progress", "done": "新的内容", "figure_pop_60plus": "1"}
    return {
        "GET draft report": ("get", f"/reports/{draft.pk}/", {}),
        "GET draft evidence": ("get", f"/evidence/{world['draft_evidence'].pk}/", {}),
        "POST save draft": ("post", f"/reports/{draft.pk}/save", text | {"version": draft.version}),
        "POST autosave draft (JSON)": ("json", f"/reports/{draft.pk}/save", text | {"version": draft.version}),
        "POST upload to draft": ("post", f"/reports/{draft.pk}/evidence", {"upload": True}),
        "POST delete draft evidence": ("post", f"/evidence/{world['draft_evidence'].pk}/delete", {}),
        "POST submit draft": ("post", f"/reports/{draft.pk}/submit", {"version": draft.version}),
        "GET waiting report": ("get", f"/reports/{waiting.pk}/", {}),
        "POST sign off waiting": ("post", f"/reports/{waiting.pk}/sign_off", {"version": waiting.version}),
        "POST send back waiting": (
            "post",
            f"/reports/{waiting.pk}/send_back",
            {"version": waiting.version, "comment": "请核实"},
        ),
        "POST withdraw waiting": ("post", f"/reports/{waiting.pk}/withdraw", {"version": waiting.version}),
        "GET submitted report": ("get", f"/reports/{sent.pk}/", {}),
        "POST withdraw submitted": ("post", f"/reports/{sent.pk}/withdraw", {"version": sent.version}),
        "GET submitted evidence": ("get", f"/evidence/{world['sent_evidence'].pk}/", {}),
        "POST save submitted": ("post", f"/reports/{sent.pk}/save", text | {"version": sent.version}),
        "POST accept submitted": ("post", f"/reports/{sent.pk}/accept", {"version": sent.version}),
        "POST return submitted": ("post", f"/reports/{sent.pk}/return", {"version": sent.version, "comment": "补充"}),
        "POST return submitted, no comment": ("post", f"/reports/{sent.pk}/return", {"version": sent.version}),
        "GET returned report": ("get", f"/reports/{returned.pk}/", {}),
        # Task 20 asks for no figure: its form has only the text.
        "POST save returned": ("post", f"/reports/{returned.pk}/save", {"done": "已补充", "version": returned.version}),
        "GET accepted report": ("get", f"/reports/{accepted.pk}/", {}),
        "POST correct accepted": ("post", f"/reports/{accepted.pk}/correct", {}),
        "POST start 海口's report": (
            "post",
            f"/rounds/{world['round'].pk}/assignments/{world['haikou_assignment'].pk}/report",
            {},
        ),
        "GET workspace": ("get", "/work/", {}),
        "GET office": ("get", "/office/", {}),
        "GET inbox": ("get", "/inbox/", {}),
        "POST close task": ("post", "/tasks/31/close", {"reason": "已完成"}),
        "POST add round": ("post", "/office/rounds/add", {"title": "专项", "due": "2030-01-01"}),
        "POST remind 海口": ("post", f"/office/rounds/{world['round'].pk}/remind/460100", {}),
        "POST remind every late unit": ("post", f"/office/rounds/{world['round'].pk}/remind-all", {}),
    }


def outcome_of(client: Client, method: str, url: str, data: dict[str, Any]) -> str:
    from django.contrib.messages import constants, get_messages
    from django.core.files.uploadedfile import SimpleUploadedFile

    with transaction.atomic():
        if data.get("upload"):
            data = {"file": SimpleUploadedFile("照片.pdf", PDF, content_type="application/pdf")}
        if method == "get":
            response = client.get(url)
        elif method == "json":
            response = client.post(url, data, HTTP_ACCEPT="application/json")
        else:
            response = client.post(url, data)
        transaction.set_rollback(True)
    if response.status_code != 302:
        return str(response.status_code)
    if "/accounts/login/" in response["Location"]:
        return "login"
    if response["Location"] == "/summary/":
        return "summary"
    levels = [m.level for m in get_messages(response.wsgi_request)]
    return "refused" if any(level >= constants.ERROR for level in levels) else "done"


@pytest.mark.django_db
def test_the_permission_matrix(cast: Any, world: dict[str, Any]) -> None:
    clients = {"anonymous": Client()}
    for name in PEOPLE[1:]:
        clients[name] = Client()
        clients[name].force_login(getattr(cast, name))
    got = {
        label: tuple(outcome_of(clients[person], *request) for person in PEOPLE)
        for label, request in requests(world).items()
    }
    assert set(got) == set(EXPECTED)
    wrong = {
        label: f"expected {EXPECTED[label]}, got {got[label]}" for label in EXPECTED if got[label] != EXPECTED[label]
    }
    assert wrong == {}, f"people: {PEOPLE}"


@pytest.mark.django_db
def test_steps_that_are_allowed_do_what_they_say(cast: Any, world: dict[str, Any]) -> None:
    client = Client()
    client.force_login(cast.haikou)
    draft = world["draft"]
    response = client.post(
        f"/reports/{draft.pk}/save",
        {
            "version": draft.version,
            "progress": "completed",
            "done": "全部完成",
            "figure_pop_60plus": "260000",
            "then": "submit",
        },
    )
    assert response.status_code == 302
    saved = ProgressReport.objects.get(pk=draft.pk)
    assert (saved.status, saved.progress, saved.done, saved.figures) == (
        "awaiting_signoff",
        "completed",
        "全部完成",
        {"pop_60plus": 260000.0},
    )
    download = client.get(f"/evidence/{world['draft_evidence'].pk}/")
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Type"] == "application/pdf" and "attachment" in download["Content-Disposition"]


@pytest.mark.django_db
def test_a_stale_form_is_refused_and_keeps_the_other_persons_text(cast: Any, world: dict[str, Any]) -> None:
    draft = world["draft"]
    first, second = Client(), Client()
    first.force_login(cast.haikou)
    second.force_login(cast.haikou)
    opened = draft.version
    assert first.post(f"/reports/{draft.pk}/save", {"version": opened, "done": "先保存的内容"}).status_code == 302
    autosave = second.post(
        f"/reports/{draft.pk}/save", {"version": opened, "done": "后保存的内容"}, HTTP_ACCEPT="application/json"
    )
    assert autosave.status_code == 409 and "您的修改未保存" in autosave.json()["error"]
    page = second.post(f"/reports/{draft.pk}/save", {"version": opened, "done": "后保存的内容"})
    assert page.status_code == 409
    text = page.content.decode()
    assert "后保存的内容" in text and "先保存的内容" in text  # the user's text to copy, beside the kept one
    assert ProgressReport.objects.get(pk=draft.pk).done == "先保存的内容"


@pytest.mark.django_db
def test_forms_need_the_csrf_token(cast: Any, world: dict[str, Any]) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.haikou)
    response = client.post(f"/reports/{world['draft'].pk}/save", {"version": world["draft"].version, "done": "x"})
    assert response.status_code == 403
    assert ProgressReport.objects.get(pk=world["draft"].pk).done == "已推进"


@pytest.mark.django_db
def test_repeated_failed_logins_are_refused_for_a_while(cast: Any, settings: Any) -> None:
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post("/accounts/login/", {"username": "haikou", "password": "wrong"})
        assert response.status_code == 200 and "用户名或密码不正确" in response.content.decode()
    assert client.post("/accounts/login/", {"username": "haikou", "password": "wrong"}).status_code == 429
    locked = client.post("/accounts/login/", {"username": "haikou", "password": "pw-haikou"})
    assert locked.status_code == 429 and "登录已暂停" in locked.content.decode()
    other = Client().post("/accounts/login/", {"username": "sanya", "password": "pw-sanya"})
    assert other.status_code == 302  # another account is not locked out


def test_sessions_expire() -> None:
    from django.conf import settings

    assert settings.SESSION_COOKIE_AGE <= 8 * 3600 and settings.SESSION_EXPIRE_AT_BROWSER_CLOSE


@pytest.mark.django_db
def test_the_office_closes_and_reopens_a_task_on_its_page(cast: Any) -> None:
    office, lead = Client(), Client()
    office.force_login(cast.office)
    lead.force_login(cast.minzheng)
    assert 'action="/tasks/31/close"' in office.get("/tasks/31/").content.decode()
    assert 'action="/tasks/31/close"' not in lead.get("/tasks/31/").content.decode()
    assert office.post("/tasks/31/close", {"reason": "适老化改造已全面完成"}).status_code == 302
    page = office.get("/tasks/31/").content.decode()
    assert "已销号" in page and "适老化改造已全面完成" in page and 'action="/tasks/31/reopen"' in page
    assert "任务 31：已销号" in page  # the message shows once …
    assert "任务 31：已销号" not in office.get("/tasks/31/").content.decode()  # … and is not kept in the cache
    assert office.post("/tasks/31/reopen", {"reason": ""}).status_code == 302  # refused: no reason
    page = office.get("/tasks/31/").content.decode()
    assert "请填写理由" in page and 'action="/tasks/31/reopen"' in page
    assert "请填写理由" not in office.get("/tasks/31/").content.decode()


@pytest.mark.django_db
def test_the_office_exports_a_round_to_excel(cast: Any, world: dict[str, Any]) -> None:
    import io

    from openpyxl import load_workbook

    office = Client()
    office.force_login(cast.office)
    response = office.get(f"/office/?round={world['round'].pk}&format=xlsx")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["按单位", "按任务", "逾期未报"]
    units = {row[0]: row for row in book["按单位"].iter_rows(min_row=3, values_only=True)}
    # 海口 owes 38 tasks in the round; three of its reports have left the unit (submitted, returned, accepted).
    assert units["460100"][2:5] == (38, 3, 1)
    late = {row[0]: row for row in book["逾期未报"].iter_rows(min_row=3, values_only=True)}
    assert late["460100"][3] == 36 and "6" in late["460100"][2].split("、")  # the draft still owes
    outsider = Client()
    outsider.force_login(cast.sanya)
    assert outsider.get(f"/office/?round={world['round'].pk}&format=xlsx").status_code == 404
