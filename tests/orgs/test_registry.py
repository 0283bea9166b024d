"""The bundled Hainan registry, ``import-orgs``, and resolving names as of a date."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl
import pytest

from duban.core.tables import TableFileError
from duban.orgs.models import Collective, OrgAlias, OrgSuccession, OrgUnit
from duban.orgs.selectors import NameIndex, successor_of
from duban.orgs.services import RegistryError, alias_add, org_import_file, registry_load_bundled

HEADER = "code,name,parent_code,level,kind,aliases\n"


def counts() -> tuple[int, int, int, int]:
    return (
        OrgUnit.objects.count(),
        OrgAlias.objects.count(),
        OrgSuccession.objects.count(),
        Collective.objects.count(),
    )


@pytest.mark.django_db
class TestBundledRegistry:
    def test_loading_twice_changes_nothing(self) -> None:
        first = registry_load_bundled()
        before = counts()
        second = registry_load_bundled()
        assert first.created > 0
        assert (second.created, second.updated, second.aliases_added) == (0, 0, 0)
        assert counts() == before

    def test_the_nineteen_jurisdictions(self, registry: None) -> None:
        collective = Collective.objects.get(term="各市县政府")
        names = set(collective.members.values_list("name", flat=True))
        assert len(names) == 19
        assert "洋浦经济开发区" in names and "三沙市" not in names
        assert {"海口市", "三亚市", "儋州市", "琼中黎族苗族自治县"} <= names

    def test_yangpu_is_supervised_as_a_jurisdiction_and_counted_in_danzhou(self, registry: None) -> None:
        yangpu = OrgUnit.objects.get(name="洋浦经济开发区")
        assert yangpu.level == OrgUnit.Level.JURISDICTION
        assert yangpu.parent is not None and yangpu.parent.code == "460000"
        assert yangpu.stat_parent is not None and yangpu.stat_parent.code == "460400"
        assert OrgUnit.objects.get(code="460100").effective_stat_parent_id == OrgUnit.objects.get(code="460000").pk

    def test_areas_and_units(self, registry: None) -> None:
        assert OrgUnit.objects.filter(level="jurisdiction").count() == 20  # the 19 and 三沙市
        assert OrgUnit.objects.filter(level="district").count() == 8  # 海口 4, 三亚 4
        assert OrgUnit.objects.filter(level="township", area_type__in=["街道", "镇", "乡"]).count() == 216
        assert not OrgUnit.objects.filter(parent__code="460200", level="district", children__isnull=False).exists()
        assert OrgUnit.objects.get(code="HI-TSW").kind == OrgUnit.Kind.MASS_ORG
        assert OrgUnit.objects.get(code="HI-BOC").kind == OrgUnit.Kind.ENTERPRISE


@pytest.mark.django_db
class TestImportOrgs:
    def test_adds_a_new_province_from_csv(self, tmp_path: Path, registry: None) -> None:
        path = tmp_path / "yunnan.csv"
        path.write_text(
            HEADER
            + "530000,云南省,,province,area,云南\n"
            + "530100,昆明市,530000,jurisdiction,地区,昆明\n"
            + "YN-MZT,云南省民政厅,530000,,组成部门,省民政厅；民政厅\n",
            encoding="utf-8",
        )
        summary = org_import_file(path=path)
        assert (summary.created, summary.updated) == (3, 0)
        kunming = OrgUnit.objects.get(code="530100")
        assert kunming.parent is not None and kunming.parent.code == "530000"
        assert OrgUnit.objects.get(code="YN-MZT").kind == OrgUnit.Kind.DEPARTMENT
        assert set(OrgAlias.objects.filter(unit__code="YN-MZT").values_list("name", flat=True)) == {
            "省民政厅",
            "民政厅",
        }
        again = org_import_file(path=path)
        assert (again.created, again.updated, again.unchanged) == (0, 0, 3)

    def test_xlsx_updates_a_unit(self, tmp_path: Path, registry: None) -> None:
        book = openpyxl.Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.append(["code", "name", "parent_code", "level", "kind", "aliases"])
        sheet.append(["HI-TJJ", "海南省统计局", "460000", "", "直属机构", "统计局"])
        path = tmp_path / "units.xlsx"
        book.save(path)
        summary = org_import_file(path=path)
        assert summary.aliases_added == 1
        assert OrgAlias.objects.filter(unit__code="HI-TJJ", name="统计局").exists()

    @pytest.mark.parametrize(
        ("rows", "words"),
        [
            ("X1,甲单位,999999,,department,\n", ["第3行", "parent_code", "999999", "上级代码"]),
            ("X1,甲单位,,,department,\nX1,乙单位,,,department,\n", ["第4行", "与第3行重复"]),
            ("X1,甲单位,,,ministry,\n", ["第3行", "kind", "ministry"]),
            ("X1,甲地,,,area,\n", ["第3行", "level", "层级"]),
            ("X1,甲单位,,jurisdiction,department,\n", ["只有地区才有层级"]),
            ("X1,甲单位,X2,,department,\nX2,乙单位,X1,,department,\n", ["成环", "X1 → X2 → X1"]),
            (",甲单位,,,department,\n", ["code", "不能为空"]),
        ],
        ids=["unknown parent", "duplicate", "bad kind", "area without level", "level on a unit", "cycle", "no code"],
    )
    def test_bad_rows_are_all_reported_and_nothing_is_written(
        self, tmp_path: Path, registry: None, rows: str, words: list[str]
    ) -> None:
        path = tmp_path / "bad.csv"
        path.write_text(HEADER + "Y1,好单位,460000,,department,\n" + rows, encoding="utf-8")
        before = counts()
        with pytest.raises(RegistryError) as caught:
            org_import_file(path=path)
        message = str(caught.value)
        assert "bad.csv" in message
        for word in words:
            assert word in message
        assert counts() == before
        assert not OrgUnit.objects.filter(code="Y1").exists()

    def test_a_cycle_through_existing_units_is_refused(self, tmp_path: Path, registry: None) -> None:
        path = tmp_path / "loop.csv"
        path.write_text(HEADER + "460000,海南省,460100,province,area,\n", encoding="utf-8")
        with pytest.raises(RegistryError, match="成环"):
            org_import_file(path=path)
        assert OrgUnit.objects.get(code="460000").parent is None

    def test_missing_columns(self, tmp_path: Path, registry: None) -> None:
        path = tmp_path / "short.csv"
        path.write_text("code,name\nX,甲\n", encoding="utf-8")
        with pytest.raises(TableFileError, match="缺少列 parent_code, level, kind"):
            org_import_file(path=path)


@pytest.mark.django_db
class TestResolution:
    def test_renamed_unit_resolves_by_date_and_passes_its_work_on(self, registry: None) -> None:
        index = NameIndex()
        old = index.resolve("银保监会海南监管局", on=date(2021, 11, 1)).unit
        assert old is not None and old.code == "HI-CBIRC"
        assert successor_of(old, on=date(2023, 7, 19)).code == "HI-CBIRC"
        assert successor_of(old, on=date(2023, 7, 20)).code == "HI-NFRA"
        assert successor_of(old).code == "HI-NFRA"

    def test_a_name_shared_by_two_units_is_decided_by_the_date(self, registry: None) -> None:
        OrgAlias.objects.create(unit=OrgUnit.objects.get(code="HI-PBC"), name="人民银行海南")
        OrgAlias.objects.create(unit=OrgUnit.objects.get(code="HI-PBC-HK"), name="人民银行海南")
        index = NameIndex()
        before = index.resolve("人民银行海南", on=date(2022, 1, 1))
        after = index.resolve("人民银行海南", on=date(2024, 1, 1))
        undated = index.resolve("人民银行海南")
        assert before.unit is not None and before.unit.code == "HI-PBC-HK"
        assert after.unit is not None and after.unit.code == "HI-PBC"
        assert undated.unit is None and {u.code for u in undated.ambiguous} == {"HI-PBC", "HI-PBC-HK"}

    def test_province_written_once(self, registry: None) -> None:
        hainan = OrgUnit.objects.get(code="460000")
        found = NameIndex().resolve("财政厅", region=hainan)
        assert found.unit is not None and found.unit.code == "HI-CZT"
        assert NameIndex().resolve("财政厅").unit is None

    def test_unknown_name_gets_suggestions(self, registry: None) -> None:
        found = NameIndex().resolve("省卫生健康委员")
        assert found.unit is None
        assert "省卫生健康委" in found.suggestions

    def test_alias_add(self, registry: None) -> None:
        alias_add(name="省 卫健 委", code="HI-WJW")
        found = NameIndex().resolve("省卫健委")
        assert found.unit is not None and found.unit.code == "HI-WJW"
        with pytest.raises(RegistryError, match="NOPE"):
            alias_add(name="某单位", code="NOPE")
