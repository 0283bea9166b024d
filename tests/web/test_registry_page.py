"""The office's registry page (单位登记): the same import as ``duban import-orgs``, only for the office; every bad
row shown as a table with nothing written; files that are not what they claim refused by name. And the indicator
page that finds no area of its kind says so."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client

from duban.accounts.services import user_create
from duban.core.dataversion import data_changed
from duban.orgs.models import Collective, OrgSuccession, OrgUnit
from tests.web.conftest import signed_in

EXAMPLE = Path(__file__).resolve().parents[1] / "fixtures" / "examples" / "registry"
PEOPLE = ("anonymous", "office", "leader", "minzheng", "haikou", "dingan", "sanya")


def upload(*names: str) -> list[SimpleUploadedFile]:
    return [SimpleUploadedFile(name, (EXAMPLE / name).read_bytes(), content_type="text/csv") for name in names]


@pytest.fixture
def people(cast: Any) -> dict[str, Any]:
    dingan = user_create(
        username="dingan", password="pw-dingan", unit=OrgUnit.objects.get(code="469021"), roles=["reporter"]
    )
    return {
        "anonymous": None,
        "office": cast.office,
        "leader": cast.leader,
        "minzheng": cast.minzheng,
        "haikou": cast.haikou,
        "dingan": dingan,
        "sanya": cast.sanya,
    }


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["get", "post"])
def test_only_the_office_reaches_the_page(people: dict[str, Any], method: str) -> None:
    got = []
    for person in PEOPLE:
        with transaction.atomic():
            client = Client()
            if people[person] is not None:
                client.force_login(people[person])
            data = {"files": upload("units.csv")} if method == "post" else {}
            response = getattr(client, method)("/office/registry/", data)
            got.append("login" if response.status_code == 302 else str(response.status_code))
            transaction.set_rollback(True)
    assert tuple(got) == ("login", "200", "404", "404", "404", "404", "404")
    assert not OrgUnit.objects.filter(code="520000").exists()


@pytest.mark.django_db
def test_the_office_uploads_a_province(cast: Any) -> None:
    client = signed_in(cast.office)
    page = client.get("/office/accounts/").content.decode()
    assert 'href="/office/registry/"' in page
    response = client.post("/office/registry/", {"files": upload("units.csv", "renames.csv", "collectives.csv")})
    text = response.content.decode()
    assert response.status_code == 200
    assert "单位与地区：新增 20" in text and "更名与合并：新增 1" in text and "集合称谓：新增 3" in text
    assert "按名称或代码判断区划类型 16" in text
    assert OrgUnit.objects.get(code="520121201000").area_type == "乡"
    assert OrgSuccession.objects.filter(predecessor__code="GZ-PBC-GY", successor__code="GZ-PBC").exists()
    assert Collective.objects.get(term="各乡镇（街道）").members.count() == 8


@pytest.mark.django_db
def test_bad_rows_are_listed_and_nothing_is_written(cast: Any) -> None:
    bad = b"predecessor_code,successor_code,effective\nGZ-NOPE,HI-PBC,2023-13-01\n"
    response = signed_in(cast.office).post(
        "/office/registry/",
        {"files": [*upload("units.csv"), SimpleUploadedFile("更名.csv", bad, content_type="text/csv")]},
    )
    text = response.content.decode()
    assert response.status_code == 400 and "发现 2 处错误，未导入任何数据" in text
    cells = re.findall(r"<tr><td>(.*?)</td><td class=\"r\">(\d+)</td><td>(.*?)</td><td>(.*?)</td>", text)
    assert cells == [("更名.csv", "2", "predecessor_code", "GZ-NOPE"), ("更名.csv", "2", "effective", "2023-13-01")]
    assert not OrgUnit.objects.filter(code="520000").exists()


def _xlsx(extra: dict[str, bytes] | None = None, *, sheet_xml: bytes | None = None) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["code", "name", "parent_code", "level", "kind"])
    sheet.append(["X1", "甲单位", "460000", "", "department"])
    buffer = io.BytesIO()
    book.save(buffer)
    if not extra and sheet_xml is None:
        return buffer.getvalue()
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if sheet_xml is not None and item.filename == "xl/worksheets/sheet1.xml":
                data = sheet_xml
            target.writestr(item, data)
        for name, data in (extra or {}).items():
            target.writestr(name, data)
    return out.getvalue()


BOMB = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
    b"<worksheet>&lol2;</worksheet>"
)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("units.xlsx", b"code,name\n", "不是 Excel（.xlsx）文件"),
        ("units.csv", _xlsx(), "不是 CSV 文本文件"),
        ("units.xlsm", _xlsx(), "只能上传 .csv 或 .xlsx 文件"),
        ("units.xlsx", _xlsx({"xl/vbaProject.bin": b"\x00" * 64}), "含有宏"),
        ("units.xlsx", _xlsx(sheet_xml=BOMB), "XML 实体声明"),
        ("units.csv", b"  \n", "文件为空"),
        ("名单.csv", "单位,上级\n甲,乙\n".encode(), "表头 上级, 单位 不是单位表"),
    ],
    ids=["csv as xlsx", "xlsx as csv", "xlsm", "macros", "xml bomb", "empty", "unknown headers"],
)
def test_a_file_that_is_not_what_it_claims_is_refused_by_name(
    cast: Any, name: str, content: bytes, message: str
) -> None:
    before = OrgUnit.objects.count()
    response = signed_in(cast.office).post("/office/registry/", {"files": SimpleUploadedFile(name, content)})
    text = response.content.decode()
    assert response.status_code == 400 and message in text and name in text
    assert 'name="files"' in text  # the page is ready for the next try
    assert OrgUnit.objects.count() == before


@pytest.mark.django_db
def test_a_zip_bomb_is_refused(cast: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """A small file that unpacks to far more than any workbook of a registry (the limit lowered for the test,
    so that the bomb stays small too)."""
    monkeypatch.setattr("duban.core.tables.XLSX_MAX_UNPACKED", 1024 * 1024)
    bomb = _xlsx({"xl/media/huge.bin": b"\x00" * (2 * 1024 * 1024)})
    assert len(bomb) < 20_000
    response = signed_in(cast.office).post("/office/registry/", {"files": SimpleUploadedFile("units.xlsx", bomb)})
    assert response.status_code == 400 and "解压后体积异常" in response.content.decode()


@pytest.mark.django_db
def test_a_file_too_large_is_refused_before_it_is_read(cast: Any, settings: Any) -> None:
    big = SimpleUploadedFile("units.csv", b"code,name,parent_code,level,kind\n" + b"x" * (11 * 1024 * 1024))
    response = signed_in(cast.office).post("/office/registry/", {"files": big})
    assert response.status_code == 400 and "超过上限 10 MB" in response.content.decode()


@pytest.mark.django_db
def test_an_indicator_with_no_area_of_its_kind_says_so(cast: Any) -> None:
    client = signed_in(cast.office)
    assert "无从计算" not in client.get("/indicators/township_center_coverage/").content.decode()
    OrgUnit.objects.filter(level="township").update(area_type="")
    data_changed(what="townships without their type")  # the page is cached on the data version
    text = client.get("/indicators/township_center_coverage/").content.decode()
    assert "登记册中没有本地区的乡镇（街道）（区划类型：街道、镇、乡），本指标无从计算" in text
    # An indicator that counts no areas says nothing of the kind.
    assert "无从计算" not in client.get("/indicators/beds_per_1000_elderly/").content.decode()


@pytest.mark.django_db
def test_the_indicators_command_says_which_indicator_finds_no_area_of_its_kind(
    cast: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    from duban.cli import main

    assert main(["indicators", "--format", "json"]) == 0
    assert "无从计算" not in capsys.readouterr().err
    OrgUnit.objects.filter(level="township").update(area_type="")
    assert main(["indicators", "--format", "json"]) == 0
    captured = capsys.readouterr()
    assert "township_center_coverage 需要乡镇（街道）（区划类型：街道、镇、乡）" in captured.err.replace("\n", "")
    assert "beds_per_1000_elderly" not in captured.err
    assert captured.out.lstrip().startswith("[")  # the JSON on stdout stays JSON


@pytest.mark.django_db
def test_a_message_names_the_file_not_where_the_server_kept_it(cast: Any) -> None:
    odd = SimpleUploadedFile("乱码.csv", "code,name\n".encode("utf-16"))
    text = signed_in(cast.office).post("/office/registry/", {"files": odd}).content.decode()
    assert "乱码.csv" in text and "duban-orgs-" not in text
