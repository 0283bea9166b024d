"""The database commands end to end through ``duban``: init, import-plan, assignments, matrix."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from duban.cli import main
from duban.plans.models import Plan
from tests.conftest import SEED


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.django_db
def test_init_then_import_then_outputs(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, _ = run(capsys, "init")
    assert code == 0 and "登记册已就绪" in out
    code, out, _ = run(capsys, "init")
    assert "新增 0，更新 0" in out

    code, out, err = run(capsys, "import-plan", str(SEED), "--format", "json")
    assert code == 0, err
    summary = json.loads(out)
    assert summary["tasks"] == 39 and summary["targets"] == 12 and summary["assignments"] == 902
    assert summary["by_role"] == {"lead": 16, "responsible": 164, "support": 0, "local": 722}
    assert summary["unresolved"] == []

    code, out, _ = run(capsys, "import-plan", str(SEED))
    assert "未改变" in out and Plan.objects.count() == 1

    code, out, _ = run(capsys, "assignments", "--unit", "省统计局", "--format", "json")
    rows = json.loads(out)
    assert rows == [
        {
            "task": 38,
            "unit_code": "HI-TJJ",
            "unit_name": "海南省统计局",
            "name_as_written": "省统计局",
            "role": "lead",
            "successor_code": None,
            "successor_name": None,
        }
    ]
    code, out, _ = run(capsys, "assignments", "--unit", "HI-CBIRC", "--format", "json")
    assert {r["successor_code"] for r in json.loads(out)} == {"HI-NFRA"}

    out_file = tmp_path / "matrix.xlsx"
    code, out, _ = run(capsys, "matrix", "--format", "xlsx", "--out", str(out_file))
    assert code == 0 and "39 项任务" in out
    assert openpyxl.load_workbook(out_file)["责任分工矩阵"]["A4"].value == 1


@pytest.mark.django_db
def test_unresolved_names_exit_2_with_the_way_out(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    run(capsys, "init")
    plan = tmp_path / "plan.txt"
    plan.write_text("序号|重点任务|责任单位\n1|建设设施。|省养老办牵头。\n2|培训。|省民政厅负责。\n", encoding="utf-8")
    code, out, err = run(capsys, "import-plan", str(plan))
    assert code == 2 and out == ""
    assert err.startswith("error: plan.txt: 1 个单位名称无法识别")
    assert "duban add-alias" in err
    assert Plan.objects.count() == 0
    code, _, _ = run(capsys, "add-alias", "省养老办", "HI-MZT")
    assert code == 0
    code, _, err = run(capsys, "import-plan", str(plan))
    assert code == 0, err


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["import-orgs", "nowhere.csv"], "文件不存在"),
        (["matrix", "--plan", "999"], "方案 999 不存在"),
        (["assignments", "--unit", "不存在的单位"], "不在登记册中"),
        (["import-plan", "plan.txt", "--revises", "42"], "方案 42 不存在"),
        (["import-plan", "plan.txt", "--map", "nomap.csv"], "文件不存在"),
    ],
)
def test_mistakes_get_a_clean_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, argv: list[str], words: str
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "plan.txt").write_text("序号|重点任务|责任单位\n1|建设。|省民政厅负责。\n", encoding="utf-8")
    run(capsys, "init")
    run(capsys, "import-plan", str(SEED))
    code, _, err = run(capsys, *argv)
    assert code == 2
    assert err.startswith("error: ") and words in err
    assert "Traceback" not in err


@pytest.mark.django_db
def test_before_init_the_commands_say_so(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    from django.db import connection

    monkeypatch.setattr(connection.introspection, "table_names", lambda *args, **kwargs: [])
    code, _, err = run(capsys, "matrix")
    assert code == 2 and "duban init" in err
