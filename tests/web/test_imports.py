"""方案导入 pages: only the office imports; the review form round-trips what the page shows; the whole flow in
Chromium, from a Word file with one unknown unit name to the imported plan on the overview."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import docx
import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import User
from django.test import Client

from duban.orgs.services import registry_load_bundled
from duban.plans.models import Assignment, Plan, PlanDraft
from tests.conftest import SEED
from tests.web.conftest import ARTIFACTS, CHROMIUM, page_errors

TYPO = "省统记局"


def seed_docx(typo: bool = True) -> bytes:
    """The sample table as a Word table (序号 | 重点任务 | 责任单位), as an office would hold it."""
    text = SEED.read_text("utf-8")
    if typo:
        text = text.replace("省统计局", TYPO)
    groups = [
        [line.strip() for line in group.splitlines() if line.startswith("\t")] for group in re.split(r"\n\s*\n", text)
    ]
    rows = [group for group in groups if len(group) == 3]
    document = docx.Document()
    document.add_paragraph("促进养老托育服务健康发展重点任务分工表")
    table = document.add_table(rows=len(rows), cols=3)
    for row, cells in zip(table.rows, rows, strict=True):
        for cell, value in zip(row.cells, cells, strict=True):
            cell.text = value
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def form_data(page: str, form_id: str = "review", script: bool = True) -> dict[str, str]:
    """What the browser would send for the form as the page shows it: with its script, which takes the blank
    rows away (its buttons add rows instead), or without it."""
    form = BeautifulSoup(page, "html.parser").find("form", id=form_id)
    assert form is not None
    data: dict[str, str] = {}
    for field in form.find_all(["input", "select", "textarea"]):
        name = field.get("name")
        if not name:
            continue
        if script and field.find_parent("tr", class_="blank") is not None:
            continue
        if field.find_parent("template") is not None:
            continue
        if field.name == "select":
            chosen = field.find("option", selected=True) or field.find("option")
            data[name] = chosen.get("value", "") if chosen else ""
        elif field.name == "textarea":
            data[name] = field.text
        elif field.get("type") == "checkbox":
            if field.has_attr("checked"):
                data[name] = field.get("value", "on")
        else:
            data[name] = field.get("value", "")
    return data


def _upload(client: Client, content: bytes, name: str = "分工表.docx") -> object:
    upload = io.BytesIO(content)
    upload.name = name
    return client.post("/office/imports/upload", {"document": upload, "region": "460000"})


@pytest.mark.django_db
def test_only_the_office_imports_a_plan(cast) -> None:  # type: ignore[no-untyped-def]
    office = Client()
    office.force_login(cast.office)
    response = _upload(office, seed_docx())
    assert response.status_code == 302
    draft = PlanDraft.objects.get()
    for user in (cast.haikou, cast.sanya, cast.minzheng, cast.leader):
        other = Client()
        other.force_login(user)
        for url in ("/office/imports/", f"/office/imports/{draft.pk}/", f"/office/imports/{draft.pk}/mapping.csv"):
            assert other.get(url).status_code == 404, (user, url)
        for url in ("upload", f"{draft.pk}/save", f"{draft.pk}/import", f"{draft.pk}/discard"):
            assert other.post(f"/office/imports/{url}", {"version": "1"}).status_code == 404, (user, url)
    assert Client().get("/office/imports/").status_code == 302  # to the login page
    draft.refresh_from_db()
    assert draft.version == 1 and draft.status == PlanDraft.Status.DRAFT


@pytest.mark.django_db
def test_the_review_form_fixes_an_unknown_name_and_imports(registry: None) -> None:
    user = User.objects.create_user("office", password="x", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(user)
    response = _upload(client, seed_docx())
    draft = PlanDraft.objects.get()
    assert response["Location"] == f"/office/imports/{draft.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert TYPO in page and "导入前还需处理" in page
    assert page.count('class="draft-task') == 39
    data = form_data(page)
    # unchanged, the form saves the document as it was
    assert client.post(f"/office/imports/{draft.pk}/save", data).status_code == 302
    draft.refresh_from_db()
    assert draft.version == 2 and draft.corrections == [] and draft.document["tasks"] == draft.parsed["tasks"]
    data = form_data(client.get(f"/office/imports/{draft.pk}/").content.decode())
    name_field = next(key for key, value in data.items() if value == TYPO and key.startswith("r-"))
    data[name_field.replace("-name", "-choice")] = "HI-TJJ"
    data["t-0-text"] += "（修改）"
    response = client.post(f"/office/imports/{draft.pk}/import", data)
    assert response.status_code == 302 and response["Location"] == "/"
    plan = Plan.objects.get()
    assert plan.tasks.get(number=1).text.endswith("（修改）")
    assert Assignment.objects.get(task__plan=plan, task__number=38, role="lead").unit.code == "HI-TJJ"
    mapping = client.get(f"/office/imports/{draft.pk}/mapping.csv").content.decode("utf-8-sig")
    assert mapping.splitlines() == ["name,code", f"{TYPO},HI-TJJ"]


@pytest.mark.django_db
def test_a_stale_page_does_not_overwrite_a_colleagues_save(registry: None) -> None:
    first = User.objects.create_user("office", password="x", is_superuser=True)
    second = User.objects.create_user("colleague", password="x", is_superuser=True)
    a, b = Client(), Client()
    a.force_login(first)
    b.force_login(second)
    _upload(a, seed_docx())
    draft = PlanDraft.objects.get()
    page = form_data(a.get(f"/office/imports/{draft.pk}/").content.decode())
    other = dict(page, issuing_body="海南省人民政府办公厅")
    b.post(f"/office/imports/{draft.pk}/save", other)
    response = a.post(f"/office/imports/{draft.pk}/save", dict(page, issuing_body="别的机关"), follow=True)
    assert "colleague" in response.content.decode()
    draft.refresh_from_db()
    assert draft.issuing_body == "海南省人民政府办公厅"


@pytest.mark.django_db
def test_a_file_that_is_no_task_table_is_refused_on_the_page(registry: None) -> None:
    user = User.objects.create_user("office", password="x", is_superuser=True)
    client = Client()
    client.force_login(user)
    response = _upload(client, b"\x00\x01binary" * 50, "tasks.docx")
    assert response.status_code == 302 and response["Location"] == "/office/imports/"
    page = client.get("/office/imports/").content.decode()
    assert "tasks.docx" in page and "二进制" in page
    assert PlanDraft.objects.count() == 0


@pytest.mark.browser
@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed")
@pytest.mark.django_db(transaction=True)
def test_the_office_imports_a_word_table_in_the_browser(live_server, browser_page, tmp_path) -> None:  # type: ignore[no-untyped-def]
    registry_load_bundled()
    User.objects.create_user("office", password="office-pass", is_superuser=True, is_staff=True)
    document = tmp_path / "重点任务分工表.docx"
    document.write_bytes(seed_docx())
    page = browser_page
    errors = page_errors(page)
    page.goto(live_server.url + "/office/imports/")
    page.fill("#id_username", "office")
    page.fill("#id_password", "office-pass")
    page.click(".login button")
    page.wait_for_selector("#document")
    page.set_input_files("#document", str(document))
    page.click("text=上传并解析")
    page.wait_for_selector("form#review")
    assert page.locator("section.draft-task").count() == 39
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "import-review.png"))
    row = page.locator("section.names tr", has_text=TYPO)
    # the fields of a new unit show only when the name is to be added as one
    assert row.locator("input[name$='-new-name']").is_hidden()
    row.locator("select").first.select_option("new")
    assert row.locator("input[name$='-new-name']").is_visible()
    row.locator("select").first.select_option("HI-TJJ")
    # a unit and two targets added in place, from the keyboard; a milestone has no comparator or value
    first = page.locator("#task-1")
    first.locator("button[data-add=unit]").click()
    page.keyboard.type("省民政厅")
    first.locator("button[data-add=target]").click()
    page.keyboard.type("出台实施方案")
    added = first.locator("table.targets tr.added").last
    added.locator("select[name$='-kind']").select_option("milestone")
    assert added.locator("input[name$='-value']").is_hidden()
    added.locator("input[name$='-deadline']").fill("2026-06-30")
    first.locator("button[data-add=target]").click()
    page.keyboard.type("新增床位")
    added = first.locator("table.targets tr.added").last
    added.locator("input[name$='-value']").fill("12,5")
    page.fill("#t-0-text", page.input_value("#t-0-text") + "（核对）")
    # a save refused for a wrong value shows the page again with everything typed, the value named
    page.keyboard.press("Control+s")
    page.wait_for_selector("ul.messages")
    assert "千位分隔" in page.inner_text("ul.messages")
    assert page.input_value("#t-0-text").endswith("（核对）")
    value = page.locator("#task-1 table.targets input[name$='-value']").last
    assert value.input_value() == "12,5"
    # what is shown is not saved yet: leaving asks first
    dialogs: list[str] = []
    page.once("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    page.click("#t-0-text")
    page.click("text=全部导入记录")
    assert dialogs == ["beforeunload"] and page.locator("form#review").count() == 1
    value.fill("12.5")
    # a double click saves once, with everything typed
    page.dblclick("#save")
    page.wait_for_selector("ul.messages")
    assert "已保存" in page.inner_text("ul.messages")
    assert page.locator("section.draft-task").count() == 39
    # typed text is not lost on a reload once saved
    page.reload()
    assert page.input_value("#t-0-text").endswith("（核对）")
    assert "省民政厅" in [page.input_value(f"#task-1 input[name='t-0-u-{j}-name']") for j in range(3)]
    assert page.locator("#task-1 table.targets tbody tr").count() >= 2
    # a phone: the review page and the upload form fit the screen's width, in Chinese and in English
    page.set_viewport_size({"width": 390, "height": 844})
    for language in ("zh-hans", "en"):
        if language == "en":
            page.select_option("#language", "en")
            page.click(".lang button")
            page.wait_for_selector("html[lang=en]")
        for url in (page.url.split("?")[0], live_server.url + "/office/imports/"):
            page.goto(url)
            assert page.evaluate("document.documentElement.scrollWidth") <= 390, (language, url)
        page.go_back()
    page.select_option("#language", "zh-hans")
    page.click(".lang button")
    page.wait_for_selector("form#review")
    page.set_viewport_size({"width": 1366, "height": 768})
    page.click("#import")
    page.wait_for_selector("ol.grid")
    assert page.locator("ol.grid .tile").count() == 39
    assert "已导入方案" in page.content()
    assert errors == []


@pytest.mark.django_db
def test_a_new_installation_shows_the_way_to_start_a_plan(registry: None) -> None:
    user = User.objects.create_user("office", password="x", is_superuser=True)
    client = Client()
    client.force_login(user)
    page = client.get("/").content.decode()
    assert "还没有方案" in page and "/office/imports/" in page
    _upload(client, seed_docx(typo=False))
    draft = PlanDraft.objects.get()
    client.post(
        f"/office/imports/{draft.pk}/import", form_data(client.get(f"/office/imports/{draft.pk}/").content.decode())
    )
    page = client.get("/").content.decode()  # not the cached page of before
    assert "还没有方案" not in page and page.count('class="tile') == 39


def _office_client(name: str = "office") -> Client:
    user = User.objects.create_user(name, password="x", is_superuser=True)
    client = Client()
    client.force_login(user)
    return client


def _long_table(tasks: int) -> bytes:
    """A table of many tasks, each with four units: more fields than Django takes in one request."""
    lines = ["重点任务分工表"]
    for n in range(1, tasks + 1):
        units = "省民政厅牵头，省财政厅、省卫生健康委、省人力资源社会保障厅按职责分工负责"
        lines.append(f"{n}. 推进第{n}项工作，到2025年建成{n}个中心。（{units}）")
    return "\n".join(lines).encode()


@pytest.mark.django_db
def test_a_table_of_many_tasks_is_saved_from_its_review_page(registry: None) -> None:
    client = _office_client()
    _upload(client, _long_table(150), "长表.txt")
    draft = PlanDraft.objects.get()
    assert len(draft.document["tasks"]) == 150
    page = client.get(f"/office/imports/{draft.pk}/").content.decode()
    data = form_data(page)
    assert len(data) > 1000  # sent field by field, Django refuses it (DATA_UPLOAD_MAX_NUMBER_FIELDS) …
    refused = client.post(f"/office/imports/{draft.pk}/save", data)
    assert refused.status_code == 400 and "启用了脚本" in refused.content.decode()  # … and says what to do
    data["t-149-text"] = "改过的最后一项"
    response = client.post(f"/office/imports/{draft.pk}/save", {"packed": json.dumps(data)})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.version == 2 and draft.document["tasks"][149]["text"] == "改过的最后一项"
    response = client.post(f"/office/imports/{draft.pk}/import", {"packed": json.dumps({**data, "version": "2"})})
    assert response.status_code == 302 and Plan.objects.get().tasks.count() == 150


@pytest.mark.django_db
@pytest.mark.parametrize(
    "tampered",
    [{"tasks": "abc"}, {"tasks": "1000000000"}, {"t-0-units": "x"}, {"t-3-targets": "-1"}, {"names": "zz"}],
)
def test_a_tampered_review_form_is_refused_with_a_message(registry: None, tampered: dict[str, str]) -> None:
    client = _office_client()
    _upload(client, seed_docx())
    draft = PlanDraft.objects.get()
    data = {**form_data(client.get(f"/office/imports/{draft.pk}/").content.decode()), **tampered}
    response = client.post(f"/office/imports/{draft.pk}/save", data)
    assert response.status_code == 200 and "无效" in response.content.decode()
    draft.refresh_from_db()
    assert draft.version == 1
    response = client.post(f"/office/imports/{draft.pk}/save", {"packed": "[1, 2"})
    assert response.status_code == 200 and "无法读取" in response.content.decode()


@pytest.mark.django_db
def test_a_refused_save_shows_the_page_with_what_was_typed(registry: None) -> None:
    client = _office_client()
    _upload(client, seed_docx())
    draft = PlanDraft.objects.get()
    data = form_data(client.get(f"/office/imports/{draft.pk}/").content.decode())
    task = next(i for i in range(39) if data.get(f"t-{i}-targets", "0") != "0")
    data[f"t-{task}-g-0-value"] = "12,5"
    data["t-0-text"] = "办公室刚改写的任务内容"
    response = client.post(f"/office/imports/{draft.pk}/save", data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "千位分隔" in page and "办公室刚改写的任务内容" in page and 'value="12,5"' in page
    draft.refresh_from_db()
    assert draft.version == 1 and draft.document == draft.parsed
    # the page shown can be corrected and saved as it stands
    again = form_data(page)
    again[f"t-{task}-g-0-value"] = "12.5"
    assert client.post(f"/office/imports/{draft.pk}/save", again).status_code == 302
    draft.refresh_from_db()
    assert draft.document["tasks"][0]["text"] == "办公室刚改写的任务内容"


@pytest.mark.django_db
def test_a_split_task_is_followed_by_its_copy_and_the_rest_move_up_one(registry: None) -> None:
    client = _office_client()
    _upload(client, seed_docx())
    draft = PlanDraft.objects.get()
    draft.document = {**draft.document, "warnings": ["第3项任务：“x”不像单位名称 (task 3: not a unit name?)"]}
    draft.save()
    data = form_data(client.get(f"/office/imports/{draft.pk}/").content.decode())
    texts = [data[f"t-{i}-text"] for i in range(39)]
    data["t-1-split"] = "1"
    assert client.post(f"/office/imports/{draft.pk}/save", data).status_code == 302
    draft.refresh_from_db()
    tasks = draft.document["tasks"]
    assert [t["number"] for t in tasks] == list(range(1, 41))
    assert tasks[1]["text"] == tasks[2]["text"] == texts[1] and tasks[2]["targets"] == []
    assert tasks[3]["text"] == texts[2]
    assert draft.document["warnings"] == ["第4项任务：“x”不像单位名称 (task 4: not a unit name?)"]
    data = form_data(client.get(f"/office/imports/{draft.pk}/").content.decode())
    data["t-3-drop"] = "1"
    client.post(f"/office/imports/{draft.pk}/save", data)
    draft.refresh_from_db()
    assert draft.document["warnings"] == []
    data = form_data(client.get(f"/office/imports/{draft.pk}/").content.decode())
    data["t-5-split"] = data["t-5-merge"] = "1"
    response = client.post(f"/office/imports/{draft.pk}/save", data)
    assert response.status_code == 200 and "不能同时" in response.content.decode()


@pytest.mark.django_db
def test_dropping_every_task_is_refused(registry: None) -> None:
    client = _office_client()
    _upload(client, seed_docx())
    draft = PlanDraft.objects.get()
    data = form_data(client.get(f"/office/imports/{draft.pk}/").content.decode())
    data.update({f"t-{i}-drop": "1" for i in range(39)})
    response = client.post(f"/office/imports/{draft.pk}/import", data)
    assert response.status_code == 200 and "一项任务也没有" in response.content.decode()
    assert Plan.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["seed_libreoffice.docx", "seed_libreoffice.pdf"])
def test_a_table_saved_by_an_office_program_imports_from_the_page(registry: None, name: str) -> None:
    client = _office_client()
    content = (Path(__file__).resolve().parents[1] / "fixtures" / "taskdoc" / name).read_bytes()
    assert _upload(client, content, name).status_code == 302
    draft = PlanDraft.objects.get()
    page = client.get(f"/office/imports/{draft.pk}/").content.decode()
    assert "所有单位名称都已对应" in page and page.count('class="draft-task') == 39
    assert client.post(f"/office/imports/{draft.pk}/import", form_data(page)).status_code == 302
    plan = Plan.objects.get()
    expected = json.loads((Path(__file__).resolve().parents[1] / "fixtures/taskdoc/seed.expected.json").read_text())
    leads = {(t["number"], u["name"]) for t in expected["tasks"] for u in t["units"] if u["role"] == "lead"}
    got = {(a.task.number, a.name_as_written) for a in Assignment.objects.filter(task__plan=plan, role="lead")}
    assert plan.tasks.count() == 39 and got == leads


@pytest.mark.django_db
def test_without_the_script_a_unit_and_a_target_are_added_in_the_blank_rows(registry: None) -> None:
    client = _office_client()
    _upload(client, _long_table(5), "短表.txt")
    draft = PlanDraft.objects.get()
    page = client.get(f"/office/imports/{draft.pk}/").content.decode()
    data = form_data(page, script=False)
    units = int(data["t-0-units"])
    data[f"t-0-u-{units}-name"] = "省教育厅"
    data[f"t-0-u-{units}-role"] = "support"
    data["t-0-g-1-subject"] = "示范中心"
    data["t-0-g-1-value"] = "2"
    assert client.post(f"/office/imports/{draft.pk}/save", data).status_code == 302
    draft.refresh_from_db()
    task = draft.document["tasks"][0]
    assert {"name": "省教育厅", "role": "support"} in task["units"]
    assert task["targets"][-1]["subject"] == "示范中心" and task["targets"][-1]["value"] == 2


@pytest.mark.django_db
def test_a_refused_merge_and_split_keeps_the_text_and_warnings_follow_a_split_after_a_refusal(registry: None) -> None:
    client = _office_client()
    _upload(client, seed_docx())
    draft = PlanDraft.objects.get()
    draft.document = {**draft.document, "warnings": ["第3项任务：“x”不像单位名称 (task 3: not a unit name?)"]}
    draft.save()
    data = form_data(client.get(f"/office/imports/{draft.pk}/").content.decode())
    data["t-0-text"] = "刚改写的第一项"
    data["t-4-split"] = data["t-4-merge"] = "1"
    page = client.post(f"/office/imports/{draft.pk}/save", data).content.decode()
    assert "不能同时" in page and "刚改写的第一项" in page and 'data-dirty="1"' in page
    # a split refused for another reason: the page shows the split; saved from there, the warning follows task 3
    data = form_data(client.get(f"/office/imports/{draft.pk}/").content.decode())
    data["t-0-split"] = "1"
    task = next(i for i in range(39) if data.get(f"t-{i}-targets", "0") != "0")
    data[f"t-{task}-g-0-value"] = "12,5"
    shown = client.post(f"/office/imports/{draft.pk}/save", data).content.decode()
    assert shown.count('class="draft-task') == 40
    again = form_data(shown)
    again[f"t-{task + 1}-g-0-value"] = "12.5"
    assert client.post(f"/office/imports/{draft.pk}/save", again).status_code == 302
    draft.refresh_from_db()
    assert draft.document["warnings"] == ["第4项任务：“x”不像单位名称 (task 4: not a unit name?)"]
    assert draft.document["tasks"][3]["text"] == draft.parsed["tasks"][2]["text"]


@pytest.mark.django_db
def test_a_draft_keeps_the_plan_it_revises_when_that_plan_is_revised_meanwhile(registry: None) -> None:
    client = _office_client()
    for _ in range(2):
        _upload(client, seed_docx(typo=False))
    first, second = PlanDraft.objects.order_by("pk")
    client.post(
        f"/office/imports/{first.pk}/import", form_data(client.get(f"/office/imports/{first.pk}/").content.decode())
    )
    plan = Plan.objects.get()
    PlanDraft.objects.filter(pk=second.pk).update(revises=plan)
    _upload(client, seed_docx(typo=True))
    third = PlanDraft.objects.order_by("pk").last()
    assert third is not None
    PlanDraft.objects.filter(pk=third.pk).update(revises=plan)
    data = form_data(client.get(f"/office/imports/{second.pk}/").content.decode())
    client.post(f"/office/imports/{second.pk}/import", data)
    revision = Plan.objects.exclude(pk=plan.pk).get()
    page = client.get(f"/office/imports/{third.pk}/").content.decode()
    assert f'<option value="{plan.pk}" selected>' in page  # still shown as chosen, not silently dropped
    assert f"已被修订为“{revision}”" in page
    response = client.post(f"/office/imports/{third.pk}/import", form_data(page), follow=True)
    assert f"已被修订为“{revision}”" in response.content.decode() and Plan.objects.count() == 2
