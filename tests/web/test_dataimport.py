"""The import page (数据导入): only the office reaches it; a bad file lists every bad row and writes nothing; a
clean one waits with its warnings for confirmation; the job's page follows it to the end; templates download."""

from __future__ import annotations

import io
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client

from duban.audit.models import AuditEntry
from duban.indicators.models import DataValue, ImportJob
from duban.indicators.services import elements_load_bundled
from duban.indicators.services.jobs import import_job_check, import_job_run
from tests.conftest import Cast

HEADER = "org_code,period,element,value,source\n"
GOOD = HEADER + "460100,2024,pop_60plus,370000,统计年鉴\n460100,2024,pop_65plus,380000,统计年鉴\n"
BAD = HEADER + "460100,2024,pop_60plus,370000,\n460100,2024,pop_65plus,三十万,\n999999,2024,pop_total,1,\n"
PEOPLE = ("anonymous", "office", "leader", "minzheng", "haikou", "sanya")


def client_for(cast: Cast, who: str) -> Client:
    client = Client()
    if who != "anonymous":
        client.force_login(getattr(cast, who))
    return client


def upload(client: Client, text: str | bytes, *, name: str = "data.csv", kind: str = "data") -> Any:
    content = text.encode() if isinstance(text, str) else text
    return client.post("/office/data/check", {"kind": kind, "file": SimpleUploadedFile(name, content)})


@pytest.fixture
def office_ready(cast: Cast) -> Cast:
    elements_load_bundled()
    return cast


@pytest.fixture
def jobs(office_ready: Cast) -> dict[str, ImportJob]:
    def job() -> ImportJob:
        return import_job_check(kind="data", name="data.csv", content=GOOD.encode(), by=office_ready.office)

    return {"checked": job(), "other": job()}


def requests(jobs: dict[str, ImportJob]) -> dict[str, tuple[str, str, dict[str, Any]]]:
    pk = jobs["checked"].pk
    return {
        "GET import page": ("get", "/office/data/", {}),
        "POST upload": ("post", "/office/data/check", {"upload": True}),
        "GET template": ("get", "/office/data/template?set=population&unit=460100&period=2024", {}),
        "GET job": ("get", f"/office/data/jobs/{pk}/", {}),
        "GET job status": ("get", f"/office/data/jobs/{pk}/status", {}),
        "POST confirm": ("post", f"/office/data/jobs/{pk}/confirm", {}),
        "POST discard": ("post", f"/office/data/jobs/{pk}/discard", {}),
        "POST retry": ("post", f"/office/data/jobs/{pk}/retry", {}),
    }


# In the order of PEOPLE. Only the office imports: the leader, who reads everything, and every unit's people
# find no import page at all.
EXPECTED = {
    "GET import page": ("login", "200", "404", "404", "404", "404"),
    "POST upload": ("login", "302", "404", "404", "404", "404"),
    "GET template": ("login", "200", "404", "404", "404", "404"),
    "GET job": ("login", "200", "404", "404", "404", "404"),
    "GET job status": ("login", "200", "404", "404", "404", "404"),
    "POST confirm": ("login", "302", "404", "404", "404", "404"),
    "POST discard": ("login", "302", "404", "404", "404", "404"),
    "POST retry": ("login", "302", "404", "404", "404", "404"),  # refused with a message: not failed
}


@pytest.mark.django_db
def test_who_reaches_the_import_pages(office_ready: Cast, jobs: dict[str, ImportJob]) -> None:
    got: dict[str, tuple[str, ...]] = {}
    for label, (method, url, data) in requests(jobs).items():
        row = []
        for who in PEOPLE:
            client = client_for(office_ready, who)
            with transaction.atomic():
                sent = data
                if data.get("upload"):
                    sent = {"kind": "data", "file": SimpleUploadedFile("d.csv", GOOD.encode())}
                response = client.get(url) if method == "get" else client.post(url, sent)
                transaction.set_rollback(True)
            if response.status_code == 302 and "/accounts/login/" in response["Location"]:
                row.append("login")
            else:
                row.append(str(response.status_code))
        got[label] = tuple(row)
    assert got == EXPECTED


@pytest.mark.django_db
def test_an_unknown_job_or_action_is_404(office_ready: Cast, jobs: dict[str, ImportJob]) -> None:
    client = client_for(office_ready, "office")
    assert client.get("/office/data/jobs/999999/").status_code == 404
    assert client.post(f"/office/data/jobs/{jobs['checked'].pk}/explode").status_code == 404
    assert client.get("/office/data/template?set=nope&unit=460100&period=2024").status_code == 404
    assert client.get("/office/data/template?set=population&unit=HI-MZT&period=2024").status_code == 404


@pytest.mark.django_db
def test_the_menu_shows_the_page_to_the_office_only(office_ready: Cast) -> None:
    assert "/office/data/" in client_for(office_ready, "office").get("/work/").content.decode()
    for who in ("leader", "haikou"):
        assert "/office/data/" not in client_for(office_ready, who).get("/work/").content.decode()


@pytest.mark.django_db
def test_a_bad_file_lists_every_bad_row_and_writes_nothing(office_ready: Cast) -> None:
    response = upload(client_for(office_ready, "office"), BAD, name="县数据.csv")
    page = response.content.decode()
    assert response.status_code == 200
    assert "县数据.csv：2 处错误，未写入任何数据" in page
    rows = _problem_rows(page)
    assert rows[0][:3] == ["3", "value", "三十万"] and rows[0][3].startswith("不是数字")
    assert rows[1][:3] == ["4", "org_code", "999999"] and rows[1][3].startswith("单位代码不存在")
    assert ImportJob.objects.count() == 0 and not DataValue.objects.filter(period="2024").exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.csv", b"", "empty.csv: 文件为空"),
        ("wrong.csv", "单位,年份\n海口,2024\n".encode(), "wrong.csv: 缺少列 org_code, period, element, value"),
        ("photo.xlsx", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 40, "photo.xlsx: 文件内容是 PNG"),
        ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "old.xls: 是旧版 Excel"),
    ],
)
@pytest.mark.django_db
def test_a_file_that_is_not_a_data_table_is_named_with_its_problem(
    office_ready: Cast, name: str, content: bytes, message: str
) -> None:
    response = upload(client_for(office_ready, "office"), content, name=name)
    page = response.content.decode()
    assert response.status_code == 200 and message in page
    assert "上传并检查" in page  # the form is there for the next try
    assert ImportJob.objects.count() == 0


@pytest.mark.django_db
def test_a_macro_enabled_workbook_is_refused(office_ready: Cast) -> None:
    book = openpyxl.Workbook()
    out = io.BytesIO()
    book.save(out)
    import zipfile

    buffer = io.BytesIO(out.getvalue())
    with zipfile.ZipFile(buffer, "a") as archive:
        archive.writestr("xl/vbaProject.bin", b"\x00")
    page = upload(client_for(office_ready, "office"), buffer.getvalue(), name="宏.xlsm").content.decode()
    assert "宏.xlsm: 含有宏" in page


@pytest.mark.django_db
def test_a_file_over_the_limit_is_refused_before_it_is_read(office_ready: Cast, settings: Any) -> None:
    settings.IMPORT_MAX_BYTES = 1024 * 1024
    response = upload(client_for(office_ready, "office"), GOOD + "#" * (1024 * 1024), name="big.csv")
    assert response.status_code == 200 and "big.csv：文件有 1.0 MB，超过上限 1 MB" in response.content.decode()


@pytest.mark.django_db
def test_no_file_chosen(office_ready: Cast) -> None:
    response = client_for(office_ready, "office").post("/office/data/check", {"kind": "data"})
    assert response.status_code == 200 and "请选择要上传的文件" in response.content.decode()


@pytest.mark.django_db
def test_upload_check_confirm_and_follow_the_job(office_ready: Cast) -> None:
    client = client_for(office_ready, "office")
    response = upload(client, GOOD)
    job = ImportJob.objects.get()
    assert response["Location"] == f"/office/data/jobs/{job.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "检查通过" in page and "导入后将新增 2、更新 0、未变 0" in page
    assert "海口市 2024：65岁及以上人口 380,000 多于 60岁及以上人口 370,000" in page
    assert not DataValue.objects.filter(period="2024").exists()

    client.post(f"/office/data/jobs/{job.pk}/confirm")
    status = client.get(f"/office/data/jobs/{job.pk}/status").json()
    assert status == {
        "state": "queued",
        "label": "排队中",
        "progress": 0,
        "step": "排队等待",
        "finished": False,
        "stale": False,
    }
    assert "导入进度" in client.get(f"/office/data/jobs/{job.pk}/").content.decode()
    import_job_run(job_id=job.pk)  # what the thread does once the confirmation is committed
    assert client.get(f"/office/data/jobs/{job.pk}/status").json()["finished"] is True
    page = client.get(f"/office/data/jobs/{job.pk}/").content.decode()
    assert "导入完成" in page and "新增 2、更新 0、未变 0" in page and "指标已重新计算" in page
    assert DataValue.objects.filter(period="2024").count() == 2
    assert AuditEntry.objects.filter(action="data_import", actor=office_ready.office).exists()
    listing = client.get("/office/data/").content.decode()
    assert "data.csv" in listing and "已完成" in listing

    again = client.post(f"/office/data/jobs/{job.pk}/confirm", follow=True).content.decode()
    assert "当前为“已完成”，不能再确认" in again


@pytest.mark.django_db
def test_the_confirmation_starts_the_job_after_commit(
    office_ready: Cast, django_capture_on_commit_callbacks: Any, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from duban.indicators.services import jobs as job_services

    started: list[int] = []
    monkeypatch.setattr(job_services, "_start_thread", started.append)
    client = client_for(office_ready, "office")
    upload(client, GOOD)
    job = ImportJob.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/office/data/jobs/{job.pk}/confirm")
    assert started == [job.pk]
    settings.IMPORT_JOBS_RUNNER = "command"
    upload(client, GOOD)
    second = ImportJob.objects.filter(state="checked").get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/office/data/jobs/{second.pk}/confirm")
    assert started == [job.pk]  # left for `duban import-jobs --run`


@pytest.mark.django_db
def test_discard(office_ready: Cast, jobs: dict[str, ImportJob]) -> None:
    client = client_for(office_ready, "office")
    response = client.post(f"/office/data/jobs/{jobs['checked'].pk}/discard", follow=True)
    assert "已放弃导入 data.csv，未写入任何数据" in response.content.decode()
    assert ImportJob.objects.get(pk=jobs["checked"].pk).state == "discarded"


@pytest.mark.django_db
def test_the_template_downloads_and_comes_back(office_ready: Cast) -> None:
    client = client_for(office_ready, "office")
    page = client.get("/office/data/").content.decode()
    assert 'value="population"' in page and 'value="460100"' in page
    response = client.get("/office/data/template?set=population&unit=460100&period=2024")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "filename*=utf-8''" in response["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = book["填报"]
    sheet["G2"].value = 420000
    out = io.BytesIO()
    book.save(out)
    upload(client, out.getvalue(), name="海口-人口.xlsx")
    job = ImportJob.objects.get()
    assert job.check_report["created"] == 1 and job.check_report["skipped"] == 19
    bad = client.get("/office/data/template?set=population&unit=460100&period=2024Q9", follow=True)
    assert "不是有效的统计期" in bad.content.decode()


@pytest.mark.django_db
def test_english(office_ready: Cast) -> None:
    client = client_for(office_ready, "office")
    client.cookies["django_language"] = "en"
    page = client.get("/office/data/").content.decode()
    assert "Data import" in page and "Download template" in page


def _problem_rows(page: str) -> list[list[str]]:
    import re

    body = page.split('class="data problems"')[1].split("</table>")[0]
    rows = re.findall(r"<tr><td class=\"r\">(.*?)</tr>", body, re.S)
    out = []
    for row in rows:
        cells = re.findall(r"<td[^>]*>(.*?)</td>", '<td class="r">' + row, re.S)
        out.append([re.sub(r"<[^>]+>", "", c).strip() for c in cells])
    return out


@pytest.mark.django_db
def test_a_stale_job_says_so_and_can_be_run_again(
    office_ready: Cast, jobs: dict[str, ImportJob], settings: Any
) -> None:
    from datetime import timedelta

    from django.utils import timezone

    job = jobs["checked"]
    client = client_for(office_ready, "office")
    client.post(f"/office/data/jobs/{job.pk}/confirm")
    long_ago = timezone.now() - timedelta(minutes=settings.IMPORT_STALE_MINUTES + 5)
    ImportJob.objects.filter(pk=job.pk).update(state="running", heartbeat_at=long_ago, started_at=long_ago)
    assert client.get(f"/office/data/jobs/{job.pk}/status").json()["stale"] is True
    page = client.get(f"/office/data/jobs/{job.pk}/").content.decode()
    assert "导入已中断" in page and "重新导入" in page
    assert "已中断" in client.get("/office/data/").content.decode()
    client.post(f"/office/data/jobs/{job.pk}/retry")
    job.refresh_from_db()
    assert job.state == "queued" and not job.heartbeat_at
    assert AuditEntry.objects.filter(action="import_job_retry", object_id=str(job.pk)).exists()


@pytest.mark.django_db
def test_the_import_page_costs_a_fixed_number_of_queries(
    office_ready: Cast, django_assert_max_num_queries: Any
) -> None:
    client = client_for(office_ready, "office")
    for _ in range(5):
        import_job_check(kind="data", name="d.csv", content=GOOD.encode(), by=office_ready.office)
    with django_assert_max_num_queries(15):
        assert client.get("/office/data/").status_code == 200


@pytest.mark.django_db
def test_a_long_list_of_warnings_is_cut_and_counted(office_ready: Cast) -> None:
    rows = "".join(f"460100,{year},pop_60plus,{100 if year % 2 else 1000},\n" for year in range(1700, 1950))
    job = import_job_check(kind="data", name="long.csv", content=(HEADER + rows).encode(), by=office_ready.office)
    assert len(job.check_report["warnings"]) > 200
    page = client_for(office_ready, "office").get(f"/office/data/jobs/{job.pk}/").content.decode()
    assert page.count("相差超过 50%") == 200
    assert f"只列出前 200 处，共 {len(job.check_report['warnings'])} 处。" in page


@pytest.mark.django_db
def test_the_facility_template_downloads_for_the_office_only(office_ready: Cast) -> None:
    url = "/office/data/facility-template?unit=460100"
    response = client_for(office_ready, "office").get(url)
    assert response.status_code == 200 and "填报" in openpyxl.load_workbook(io.BytesIO(response.content)).sheetnames
    for who in ("leader", "minzheng", "haikou", "sanya"):
        assert client_for(office_ready, who).get(url).status_code == 404, who
    assert client_for(office_ready, "office").get("/office/data/facility-template?unit=NOPE").status_code == 404
