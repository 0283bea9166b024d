"""``duban import-data``, ``import-facilities``, ``indicators`` and ``status`` from the command line."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from duban.cli import main
from duban.indicators.models import DataValue
from tests.conftest import SEED


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def ready(db: None, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> Path:
    run(capsys, "init")
    run(capsys, "import-plan", str(SEED))
    facilities = tmp_path / "facilities.csv"
    facilities.write_text(
        "facility_id,name,kind,org_code,nature,beds,nursing_beds,opened\n"
        "H1,海口市第一养老院,养老机构,460105100,公办,3000,2000,2019-01-01\n",
        encoding="utf-8",
    )
    return facilities


@pytest.mark.django_db
def test_import_then_indicators_and_status(ready: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, err = run(capsys, "import-facilities", str(ready))
    assert code == 0, err
    assert "新增 1" in out and "指标已更新" in out
    code, out, _ = run(
        capsys,
        "indicators",
        "--indicator",
        "beds_per_1000_elderly",
        "--org",
        "海口市",
        "--period",
        "2022Q4",
        "--format",
        "json",
    )
    rows = json.loads(out)
    assert [(r["org_code"], r["period"], r["numerator"], r["denominator"]) for r in rows] == [
        ("460100", "2022Q4", 3000, 356892)
    ]
    # No share of the province's target has been set for 海口, so it is held to none.
    assert rows[0]["target"] is None
    code, out, _ = run(capsys, "status", "--period", "2022Q4", "--format", "json")
    statuses = json.loads(out)
    assert {r["task"] for r in statuses} == {6, 7, 15, 17, 19, 20, 21, 22, 26}
    # Task 19's milestone is due on 2022-12-31: still open on that day, overdue the quarter after.
    assert next(r for r in statuses if r["task"] == 19)["status"] == "open"
    code, out, _ = run(capsys, "status", "--period", "2023Q1", "--format", "json")
    assert next(r for r in json.loads(out) if r["task"] == 19)["status"] == "overdue"
    code, out, _ = run(capsys, "status")
    assert code == 0 and "目标进度" in out and "海南省" in out
    book = tmp_path / "indicators.xlsx"
    code, out, _ = run(capsys, "indicators", "--indicator", "nursing_bed_share", "--format", "xlsx", "--out", str(book))
    assert code == 0
    sheet = openpyxl.load_workbook(book)["指标"]
    assert sheet["A1"].value == "指标" and sheet["A2"].value == "nursing_bed_share"


@pytest.mark.django_db
def test_a_bad_data_file_exits_2_and_writes_nothing(
    ready: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    before = DataValue.objects.count()
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "org_code,period,element,value\n460100,2022,pop_60plus,abc\n999,2022,pop_total,1\n", encoding="utf-8"
    )
    code, out, err = run(capsys, "import-data", str(bad))
    assert code == 2 and out == ""
    assert err.startswith("error: bad.csv 第2行，value列：“abc” 不是数字")
    assert "bad.csv 第3行，org_code列：“999” 单位代码不存在" in err
    assert DataValue.objects.count() == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["indicators", "--indicator", "nope"], "指标 nope 不存在"),
        (["indicators", "--period", "2025Q7"], "不是有效的统计期"),
        (["indicators", "--org", "无此单位"], "不在登记册中"),
        (["status", "--period", "soon"], "不是有效的统计期"),
        (["import-facilities", "missing.csv"], "文件不存在"),
    ],
)
def test_mistakes(ready: Path, capsys: pytest.CaptureFixture[str], argv: list[str], words: str) -> None:
    code, _, err = run(capsys, *argv)
    assert code == 2 and err.startswith("error: ") and words in err


@pytest.mark.django_db
def test_check_only_says_what_an_import_would_do(
    ready: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    data = tmp_path / "d.csv"
    data.write_text("org_code,period,element,value\n460100,2024,pop_60plus,370000\n460100,2024,pop_65plus,\n")
    code, out, err = run(capsys, "import-data", str(data), "--check")
    assert code == 0, err
    assert "新增 1，更新 0，未变 0，留空未导入 1" in out and "未写入任何数据" in out
    assert not DataValue.objects.filter(period="2024").exists()
    macro = tmp_path / "m.xlsm"
    book = openpyxl.Workbook()
    book.save(macro)
    import zipfile

    with zipfile.ZipFile(macro, "a") as archive:
        archive.writestr("xl/vbaProject.bin", b"\x00")
    code, _, err = run(capsys, "import-data", str(macro), "--check")
    assert code == 2 and "m.xlsm: 含有宏" in err


@pytest.mark.django_db
def test_import_jobs_run_the_pending_ones(ready: Path, capsys: pytest.CaptureFixture[str], settings) -> None:  # type: ignore[no-untyped-def]
    from django.contrib.auth.models import User

    from duban.indicators.models import ImportJob
    from duban.indicators.services.jobs import import_job_check, import_job_confirm

    settings.IMPORT_JOBS_RUNNER = "command"
    office = User.objects.create_user("office")
    content = b"org_code,period,element,value\n460100,2024,pop_60plus,370000\n"
    job = import_job_confirm(job=import_job_check(kind="data", name="县.csv", content=content, by=office), by=office)
    code, out, err = run(capsys, "import-jobs")
    assert code == 0, err
    assert "县.csv" in out and "排队中" in out
    code, out, err = run(capsys, "import-jobs", "--run")
    assert code == 0, err
    assert f"导入任务 {job.pk} 县.csv：已完成" in out
    assert ImportJob.objects.get().state == "done" and DataValue.objects.filter(period="2024").count() == 1
