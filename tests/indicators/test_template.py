"""The data template (填报模板): what it holds and locks, and the round trip — filled in with openpyxl, and as
LibreOffice saves it — back through the import."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from duban.indicators.models import DataValue
from duban.indicators.services import data_import_file, data_import_table, elements_load_bundled
from duban.indicators.template import (
    data_template_xlsx,
    element_set_get,
    element_sets,
    template_unit_get,
)
from duban.metrics.periods import Period
from tests.fixtures.dataimport.build_libreoffice_template import LEFT_EMPTY, OUT, figure

HAIKOU_AREAS = ["460100", "460105", "460106", "460107", "460108"]
POPULATION = ["pop_total", "pop_60plus", "pop_65plus", "pop_0_3"]


@pytest.fixture
def elements(registry: None) -> None:
    elements_load_bundled()


def template(unit: str = "460100", element_set: str = "population", period: str = "2024") -> openpyxl.Workbook:
    content = data_template_xlsx(
        element_set=element_set_get(code=element_set), unit=template_unit_get(code=unit), period=Period.parse(period)
    )
    return openpyxl.load_workbook(io.BytesIO(content))


def test_every_set_names_known_elements() -> None:
    known = {line.split(",")[0] for line in Path("src/duban/indicators/data/elements.csv").read_text().splitlines()[1:]}
    assert [s.code for s in element_sets()] == ["population", "elderly_care", "childcare"]
    for element_set in element_sets():
        assert set(element_set.elements) <= known, element_set.code


@pytest.mark.django_db
class TestTemplate:
    def test_rows_for_the_unit_and_its_areas_prefilled_with_what_is_stored(self, elements: None) -> None:
        data_import_table(
            data="org_code,period,element,value,source\n460105,2024,pop_total,690000,年鉴\n".encode(), name="a.csv"
        )
        book = template()
        assert book.sheetnames == ["填报", "填写说明"]
        sheet = book["填报"]
        rows = list(sheet.iter_rows(values_only=True))
        assert rows[0] == ("org_code", "单位名称", "period", "element", "指标名称", "计量单位", "value", "source")
        keys = [(r[0], r[2], r[3]) for r in rows[1:]]
        assert keys == [(code, "2024", element) for code in HAIKOU_AREAS for element in POPULATION]
        assert rows[1][1] == "海口市" and rows[5][1] == "秀英区" and rows[1][5] == "人"
        assert rows[5][6:] == (690000, "年鉴") and rows[1][6:] == (None, None)

    def test_headers_and_keys_are_locked_values_are_validated(self, elements: None) -> None:
        sheet = template()["填报"]
        assert sheet.protection.sheet is True and sheet.freeze_panes == "A2"
        assert all(cell.protection.locked for cell in sheet[1])
        assert sheet["A2"].protection.locked and sheet["D21"].protection.locked
        assert not sheet["G2"].protection.locked and not sheet["H21"].protection.locked
        rules = {str(v.sqref): v for v in sheet.data_validations.dataValidation}
        assert rules["G2:G21"].type == "decimal" and rules["G2:G21"].operator == "greaterThanOrEqual"
        assert rules["G2:G21"].formula1 == "0" and rules["G2:G21"].showErrorMessage
        assert rules["H2:H21"].type == "textLength"

    def test_instructions_in_chinese(self, elements: None) -> None:
        text = "\n".join(str(c) for row in template()["填写说明"].iter_rows(values_only=True) for c in row if c)
        assert text.startswith("海口市　2024年　人口数据填报模板")
        assert "不掌握的数据请留空" in text and "数据导入" in text and "3岁以下婴幼儿数" in text

    def test_a_province_template_lists_its_cities_and_counties(self, elements: None) -> None:
        codes = {
            row[0] for row in template("460000", "childcare", "2025Q4")["填报"].iter_rows(min_row=2, values_only=True)
        }
        assert "460000" in codes and "460100" in codes and "469001" in codes and len(codes) >= 19

    def test_round_trip_written_by_openpyxl(self, elements: None, tmp_path: Path) -> None:
        book = template()
        sheet = book["填报"]
        for row in sheet.iter_rows(min_row=2):
            row[6].value = None if row[0].value == "460108" else figure(str(row[0].value), str(row[3].value))
        path = tmp_path / "filled.xlsx"
        book.save(path)
        report = data_import_file(path=path)
        assert (report.created, report.skipped) == (16, 4)
        stored = {(v.org.code, v.element.code): v.value for v in DataValue.objects.filter(period="2024")}
        assert stored[("460105", "pop_60plus")] == figure("460105", "pop_60plus")
        assert ("460108", "pop_total") not in stored

    def test_round_trip_saved_by_libreoffice(self, elements: None) -> None:
        assert b"LibreOffice" in _app_properties(OUT)  # the fixture is what LibreOffice wrote
        report = data_import_file(path=OUT)
        assert (report.created, report.skipped, report.warnings) == (19, 1, [])
        stored = {(v.org.code, v.element.code): (v.value, v.source) for v in DataValue.objects.filter(period="2024")}
        for code in HAIKOU_AREAS:
            for element in POPULATION:
                if (code, element) == LEFT_EMPTY:
                    assert (code, element) not in stored
                else:
                    assert stored[(code, element)] == (figure(code, element), "区统计局")
        # Downloaded again, the template shows what is now stored.
        again = template()["填报"]
        assert again["G3"].value == figure("460100", "pop_60plus")


def _app_properties(path: Path) -> bytes:
    import zipfile

    with zipfile.ZipFile(path) as archive:
        return archive.read("docProps/app.xml")


FACILITY_HEADER = "facility_id,name,kind,org_code,nature,beds,nursing_beds,places,enrolled,opened,closed\n"


@pytest.mark.django_db
class TestFacilityTemplate:
    def test_the_registry_of_the_unit_and_its_areas_comes_back_with_an_addition(
        self, registry: None, tmp_path: Path
    ) -> None:
        from duban.indicators.models import Facility
        from duban.indicators.services import facility_import_file, facility_import_table
        from duban.indicators.template import KIND_WORDS, NATURE_WORDS, facility_template_xlsx

        facility_import_table(
            data=(
                FACILITY_HEADER
                + "H1,秀英区第一养老院,elderly_institution,460105100,public,300,200,0,0,2019-01-01,\n"
                + "S1,三亚托育园,childcare,460200,inclusive,0,0,80,60,2021-09-01,\n"
            ).encode(),
            name="f.csv",
        )
        book = openpyxl.load_workbook(io.BytesIO(facility_template_xlsx(unit=template_unit_get(code="460100"))))
        assert book.sheetnames == ["填报", "填写说明", "选项"] and book["选项"].sheet_state == "hidden"
        sheet = book["填报"]
        rows = [r for r in sheet.iter_rows(min_row=2, values_only=True) if r[0]]
        assert [r[:6] for r in rows] == [("H1", "秀英区第一养老院", "养老机构", "460105100", "长流镇", "公办")]
        assert sheet.protection.sheet and sheet["A1"].protection.locked and not sheet["A2"].protection.locked
        rules = {str(v.sqref).split(":")[0]: v for v in sheet.data_validations.dataValidation}
        assert rules["C2"].type == "list" and rules["G2"].type == "whole" and rules["M2"].type == "date"
        choices = book["选项"]
        assert "460105100" in [c.value for c in choices["C"]] and "460200" not in [c.value for c in choices["C"]]

        sheet["H2"].value = 250  # nursing beds corrected
        sheet["N2"].value = date(2025, 6, 30)  # closed
        # A new facility on the first empty row, as a clerk would type it.
        new_row = ["H2", "美兰区托育中心", KIND_WORDS["childcare"], "460108", None, NATURE_WORDS["inclusive"]]
        for column, value in enumerate(new_row, start=1):
            sheet.cell(3, column, value)
        sheet.cell(3, 9, 50)
        sheet.cell(3, 13, date(2024, 3, 1))
        path = tmp_path / "facilities.xlsx"
        book.save(path)
        report = facility_import_file(path=path)
        assert (report.created, report.updated) == (1, 1)
        home = Facility.objects.get(facility_id="H1")
        assert (home.nursing_beds, home.closed) == (250, date(2025, 6, 30))
        new = Facility.objects.get(facility_id="H2")
        assert (new.kind, new.nature, new.places, new.opened) == ("childcare", "inclusive", 50, date(2024, 3, 1))

    def test_every_word_offered_is_one_the_import_reads(self, registry: None) -> None:
        from duban.indicators.models import Facility
        from duban.indicators.services import facility_import_table
        from duban.indicators.template import KIND_WORDS, NATURE_WORDS

        lines = [
            f"F{i},机构{i},{KIND_WORDS[kind]},460100,{NATURE_WORDS[nature]},0,0,0,0,2020-01-01,"
            for i, (kind, nature) in enumerate(zip(KIND_WORDS, [*NATURE_WORDS] * 3, strict=False))
        ]
        facility_import_table(data=(FACILITY_HEADER + "\n".join(lines) + "\n").encode(), name="w.csv")
        assert set(Facility.objects.values_list("kind", flat=True)) == set(KIND_WORDS) == set(Facility.Kind.values)
        assert set(NATURE_WORDS) == set(Facility.Nature.values)
