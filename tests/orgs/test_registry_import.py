"""``duban import-orgs`` with every kind of table: a province that starts from nothing (the example files in
tests/fixtures/examples/registry), renames and collectives beside the units, area types told by a name or a code,
and every bad row of every table reported with nothing written."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest

from duban.audit.models import AuditEntry
from duban.cli import main
from duban.core.tables import TableFileError, read_rows
from duban.metrics.definitions import load_definitions
from duban.orgs.models import Collective, CollectiveAlias, OrgAlias, OrgSuccession, OrgUnit
from duban.orgs.selectors import NameIndex, areas_of_kind_count, successor_of
from duban.orgs.services import RegistryError, registry_import, registry_import_files

EXAMPLE = Path(__file__).resolve().parents[1] / "fixtures" / "examples" / "registry"
FILES = [EXAMPLE / "units.csv", EXAMPLE / "renames.csv", EXAMPLE / "collectives.csv"]
TOWNSHIP_TYPES = ("街道", "镇", "乡")


def counts() -> tuple[int, ...]:
    return (
        OrgUnit.objects.count(),
        OrgAlias.objects.count(),
        OrgSuccession.objects.count(),
        Collective.objects.count(),
        CollectiveAlias.objects.count(),
    )


def members(term: str) -> set[str]:
    return set(Collective.objects.get(term=term).members.values_list("name", flat=True))


@pytest.mark.django_db
def test_a_province_starts_from_nothing() -> None:
    assert OrgUnit.objects.count() == 0
    result = registry_import_files(paths=list(FILES))
    assert (result.units.created, result.renames.created, result.collectives.created) == (20, 1, 3)
    assert result.units.inferred == 16  # every area: none of the rows gives an area_type

    types = dict(OrgUnit.objects.filter(level="township").values_list("name", "area_type"))
    assert types == {
        "新华路街道": "街道",
        "河滨街道": "街道",
        "中华北路街道": "街道",
        "城关镇": "镇",
        "南江布依族苗族乡": "乡",
        "高寨": "乡",  # the name does not say; the code's digits 7–9 (201) do
        "青龙山街道办事处": "街道",
        "红枫湖镇": "镇",
        "清镇市国营林场": "类似乡级单位",
    }
    assert OrgUnit.objects.get(code="520181").area_type == "县级市"
    assert OrgUnit.objects.get(code="520100").area_type == "地级市"

    guizhou = OrgUnit.objects.get(code="520000")
    assert areas_of_kind_count(region=guizhou, level="township", area_types=TOWNSHIP_TYPES) == 8
    assert members("各市（州）人民政府") == {"贵阳市", "遵义市"}
    assert members("各县（市、区）") == {"南明区", "云岩区", "开阳县", "清镇市"}
    assert len(members("各乡镇（街道）")) == 8 and "清镇市国营林场" not in members("各乡镇（街道）")
    index = NameIndex()
    collective = index.collective("各乡（镇、街道）")
    assert collective is not None and collective.term == "各乡镇（街道）"

    old = OrgUnit.objects.get(code="GZ-PBC-GY")
    assert successor_of(old).code == "GZ-PBC"
    step = OrgSuccession.objects.get()
    assert (str(step.effective), step.kind) == ("2023-08-18", "rename")

    entry = AuditEntry.objects.get(action="registry_import")
    assert entry.after["units"]["created"] == 20 and "collectives.csv" in entry.object_repr

    again = registry_import_files(paths=list(FILES))
    assert (again.units.created, again.units.updated, again.renames.created, again.collectives.updated) == (0, 0, 0, 0)
    assert again.units.unchanged == 20 and again.renames.unchanged == 1 and again.collectives.unchanged == 3


@pytest.mark.django_db
def test_one_workbook_with_a_sheet_per_table(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    first = book.active
    assert first is not None
    book.remove(first)
    for path, title in zip(FILES, ("单位", "更名", "集合称谓"), strict=True):
        sheet = book.create_sheet(title)
        rows = read_rows(path)
        header = list(rows[0].values)
        sheet.append(header)
        for row in rows:
            sheet.append([row.values[h] for h in header])
    workbook = tmp_path / "贵州省单位登记.xlsx"
    book.save(workbook)
    result = registry_import_files(paths=[workbook])
    assert (result.units.created, result.renames.created, result.collectives.created) == (20, 1, 3)


@pytest.mark.django_db
def test_every_bad_row_of_every_table_is_reported_and_nothing_is_written(tmp_path: Path) -> None:
    units = tmp_path / "units.csv"
    shutil.copy(FILES[0], units)
    with units.open("a", encoding="utf-8") as handle:
        handle.write("GZ-X,某单位,999999,,department,,,,,\n")
    renames = tmp_path / "renames.csv"
    renames.write_text(
        "predecessor_code,successor_code,effective,kind\n"
        "GZ-PBC-GY,GZ-PBC,2023-08-18,rename\n"
        "GZ-NOPE,GZ-PBC,2023-8-18,改名\n"
        "GZ-MZT,GZ-MZT,,\n",
        encoding="utf-8",
    )
    collectives = tmp_path / "collectives.csv"
    collectives.write_text(
        "term,region_code,member_codes,member_level\n"
        "各市（州）人民政府,520000,520100；529999,\n"
        "各乡镇,520000,,village\n"
        ",520000,520100,\n"
        "各县,590000,,\n",
        encoding="utf-8",
    )
    with pytest.raises(RegistryError) as caught:
        registry_import_files(paths=[units, renames, collectives])
    found = {(p.source, p.row, p.column, p.value) for p in caught.value.rows}
    assert found == {
        ("units.csv", 22, "parent_code", "999999"),
        ("renames.csv", 3, "predecessor_code", "GZ-NOPE"),
        ("renames.csv", 3, "effective", "2023-8-18"),
        ("renames.csv", 3, "kind", "改名"),
        ("renames.csv", 4, "successor_code", "GZ-MZT"),
        ("collectives.csv", 2, "member_codes", "529999"),
        ("collectives.csv", 3, "member_level", "village"),
        ("collectives.csv", 4, "term", ""),
        ("collectives.csv", 5, "region_code", "590000"),
        ("collectives.csv", 5, "member_codes", ""),
    }
    assert all(p.reason for p in caught.value.rows)
    assert counts() == (0, 0, 0, 0, 0) and not AuditEntry.objects.exists()


@pytest.mark.django_db
def test_a_level_with_no_area_in_the_region_undoes_the_whole_import(tmp_path: Path) -> None:
    collectives = tmp_path / "collectives.csv"
    collectives.write_text("term,region_code,member_level\n各乡镇（街道）,520300,township\n", encoding="utf-8")
    with pytest.raises(RegistryError, match="没有该层级的地区"):
        registry_import_files(paths=[FILES[0], collectives])
    assert counts() == (0, 0, 0, 0, 0)


@pytest.mark.django_db
def test_renames_that_loop_are_refused(registry: None, tmp_path: Path) -> None:
    renames = tmp_path / "loop.csv"
    renames.write_text("predecessor_code,successor_code,effective\nHI-PBC,HI-PBC-HK,2024-01-01\n", encoding="utf-8")
    with pytest.raises(RegistryError, match="更名成环：HI-PBC → HI-PBC-HK → HI-PBC"):
        registry_import_files(paths=[renames])


@pytest.mark.django_db
def test_a_table_of_unknown_headers_is_named(tmp_path: Path) -> None:
    odd = tmp_path / "名单.csv"
    odd.write_text("单位,上级\n甲,乙\n", encoding="utf-8")
    with pytest.raises(TableFileError, match=r"名单\.csv: 表头 上级, 单位 不是单位表"):
        registry_import_files(paths=[odd])


@pytest.mark.django_db
def test_township_indicators_work_on_a_register_of_names_and_levels(registry: None) -> None:
    """The Hainan townships without their area_type: the coverage indicator would count none of them; imported
    again with names and levels only, their types come back from the names and codes."""
    hainan = OrgUnit.objects.get(code="460000")
    coverage = next(i for i in load_definitions() if i.code.startswith("township"))
    assert coverage.denominator is not None
    typed = areas_of_kind_count(region=hainan, level="township", area_types=TOWNSHIP_TYPES)
    assert typed > 200
    OrgUnit.objects.filter(level="township").update(area_type="")
    assert areas_of_kind_count(region=hainan, level="township", area_types=TOWNSHIP_TYPES) == 0

    from duban.core.tables import Row

    rows = [
        Row(n, {"code": u.code, "name": u.name, "parent_code": u.parent.code, "level": "乡镇", "kind": "地区"})
        for n, u in enumerate(OrgUnit.objects.filter(level="township").select_related("parent"), start=2)
    ]
    result = registry_import(tables=[("乡镇名单.csv", rows)])
    assert result.units.updated == len(rows)
    assert areas_of_kind_count(region=hainan, level="township", area_types=TOWNSHIP_TYPES) == typed


@pytest.mark.django_db
def test_the_command_line_imports_several_files(capsys: pytest.CaptureFixture[str]) -> None:
    main(["init"])
    capsys.readouterr()
    assert main(["import-orgs", *map(str, FILES)]) == 0
    out = capsys.readouterr().out
    assert "单位与地区：新增 20" in out and "更名与合并：新增 1" in out and "集合称谓：新增 3" in out
    assert main(["import-orgs", str(FILES[1]), str(EXAMPLE / "README.md")]) == 2
    assert "不支持的格式" in capsys.readouterr().err
