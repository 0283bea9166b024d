"""The ``duban`` command: output formats, the demo, and the clean error for every kind of bad input."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from duban.cli import main
from duban.tools.samples import sample_table_path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_parse_json_prints_the_contract(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "parse", str(sample_table_path()), "--format", "json")
    assert code == 0, err
    document = json.loads(out)
    assert document["source"] == "hainan_yilao_yixiao_2021.txt"
    assert len(document["tasks"]) == 39
    assert document["tasks"][5]["targets"][0]["value"] == 32


def test_parse_text_is_a_readable_table(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "parse", str(sample_table_path()))
    assert code == 0
    assert "促进养老托育服务健康发展重点任务分工表" in out
    assert "牵头：省统计局" in out
    assert "范围说明：各市县政府（含洋浦经济开发区，不含三沙市）" in out


@pytest.mark.django_db
def test_demo_builds_the_demonstration_and_reuses_it(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DUBAN_SQLITE_NAME", "demo.sqlite3")  # restored after the test
    code, out, _ = run(capsys, "demo", "--no-serve")
    assert code == 0
    assert "演示数据库已就绪" in out
    assert "用户名 office" in out and "http://127.0.0.1:8000/" in out
    from duban.indicators.models import Facility, IndicatorSeries
    from duban.plans.models import Plan

    assert Plan.objects.count() == 1 and Facility.objects.filter(is_sample=True).count() > 100
    assert IndicatorSeries.objects.filter(indicator="beds_per_1000_elderly", org__code="460000").exists()
    code, out, _ = run(capsys, "demo", "--no-serve")
    assert code == 0 and Plan.objects.count() == 1


def _zip_with(path: Path, name: str) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(name, "x")
    return path


BAD_INPUTS = {
    "missing": (lambda d: d / "nowhere.txt", "文件不存在"),
    "empty": (lambda d: _write(d / "empty.txt", b""), "文件为空"),
    "blank": (lambda d: _write(d / "blank.txt", b"  \n\t\n"), "文件为空"),
    "binary": (lambda d: _write(d / "image.txt", bytes(range(256)) * 4), "二进制"),
    "unknown format": (lambda d: _write(d / "table.rtf", "{\\rtf1 省民政厅牵头}".encode()), "不支持"),
    "old office": (lambda d: _write(d / "table.doc", b"\xd0\xcf\x11\xe0" + b"\x00" * 64), ".docx"),
    "other zip": (lambda d: _zip_with(d / "archive.zip", "readme.txt"), "不支持"),
    "no tasks": (lambda d: _write(d / "notes.txt", "今天开会，讨论了工作。\n".encode()), "未找到任何任务"),
    "encoding": (lambda d: _write(d / "odd.txt", b"\x81\x20\xfe\x7f" * 40), "编码"),
    "directory": (lambda d: d, "目录"),
    "damaged docx": (lambda d: _write(d / "broken.docx", b"PK\x03\x04broken"), "损坏"),
}


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_gets_a_clean_error(case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    make, words = BAD_INPUTS[case]
    path = make(tmp_path)
    code, out, err = run(capsys, "parse", str(path), "--format", "json")
    assert code == 2
    assert out == ""
    assert err.startswith("error: ")
    assert str(path.name) in err
    assert words in err
    assert "Traceback" not in err


def test_console_script_reports_errors_without_traceback(tmp_path: Path) -> None:
    empty = tmp_path / "空.txt"
    empty.write_bytes(b"")
    result = subprocess.run(
        [sys.executable, "-m", "duban.cli", "parse", str(empty)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.startswith("error: ")
    assert "空.txt" in result.stderr
    assert "Traceback" not in result.stderr


def test_bench_parse_prints_its_figures(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "bench", "parse", "--runs", "1", "--tasks", "40")
    assert code == 0
    assert "seed (Hainan, 39 tasks)" in out
    assert "generated, 40 tasks" in out
    assert "median ms" in out


def test_parse_explain_says_how_the_document_was_read(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "parse", str(sample_table_path()), "--explain")
    assert code == 0
    assert "解析说明" in out and "一格一行的表格，表头读作 序号 | 任务 | 责任单位" in out
    code, out, err = run(capsys, "parse", str(sample_table_path()), "--format", "json", "--explain")
    assert code == 0
    assert "readings" not in json.loads(out)  # the JSON keeps its contract
    assert "解析说明" in err
