"""方案导入 pages: only the office imports; the review form round-trips what the page shows; the whole flow in
Chromium, from a Word file with one unknown unit name to the imported plan on the overview."""

from __future__ import annotations

import io
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


def form_data(page: str, form_id: str = "review") -> dict[str, str]:
    """What the browser would send for the form as the page shows it."""
    form = BeautifulSoup(page, "html.parser").find("form", id=form_id)
    assert form is not None
    data: dict[str, str] = {}
    for field in form.find_all(["input", "select", "textarea"]):
        name = field.get("name")
        if not name:
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
    row.locator("select").first.select_option("HI-TJJ")
    # typed text is not lost on a reload once saved, and Ctrl+S saves
    page.fill("#t-0-text", page.input_value("#t-0-text") + "（核对）")
    page.keyboard.press("Control+s")
    page.wait_for_selector("ul.messages")
    page.reload()
    assert page.input_value("#t-0-text").endswith("（核对）")
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
