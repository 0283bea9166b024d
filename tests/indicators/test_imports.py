"""Data and facility imports: all or nothing, every bad row named, the same file twice changes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from duban.indicators.models import DataValue, Facility
from duban.indicators.services import DataImportError, data_import_file, elements_load_bundled, facility_import_file

DATA_HEADER = "org_code,period,element,value,source\n"
FACILITY_HEADER = (
    "facility_id,name,kind,org_code,nature,beds,nursing_beds,places,enrolled,comprehensive,has_medical,opened,closed\n"
)


@pytest.fixture
def elements(registry: None) -> None:
    elements_load_bundled()


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.django_db
class TestDataImport:
    def test_rows_are_stored_and_a_second_import_changes_nothing(self, tmp_path: Path, elements: None) -> None:
        path = write(
            tmp_path,
            "pop.csv",
            DATA_HEADER
            + '460100,2022,pop_60plus,"370,000",统计年鉴\n'
            + "460100,2022Q4,trained_care_workers,1200,\n"
            + "460200,2022-12,pop_total,1050000,\n",
        )
        first = data_import_file(path=path)
        assert (first.created, first.updated, first.unchanged) == (3, 0, 0)
        value = DataValue.objects.get(org__code="460100", element__code="pop_60plus")
        assert (value.value, value.period, str(value.period_start), str(value.period_end), value.granularity) == (
            370000.0,
            "2022",
            "2022-01-01",
            "2022-12-31",
            "year",
        )
        assert DataValue.objects.get(element__code="pop_total").period_end.isoformat() == "2022-12-31"
        second = data_import_file(path=path)
        assert (second.created, second.updated, second.unchanged) == (0, 0, 3)

    def test_a_changed_value_updates(self, tmp_path: Path, elements: None) -> None:
        data_import_file(path=write(tmp_path, "a.csv", DATA_HEADER + "460100,2022,pop_60plus,370000,\n"))
        report = data_import_file(path=write(tmp_path, "b.csv", DATA_HEADER + "460100,2022,pop_60plus,371000,\n"))
        assert report.updated == 1
        assert DataValue.objects.get().value == 371000

    def test_every_bad_row_is_named_and_nothing_is_written(self, tmp_path: Path, elements: None) -> None:
        path = write(
            tmp_path,
            "bad.csv",
            DATA_HEADER
            + "460100,2022,pop_60plus,370000,\n"  # row 2: fine
            + "999999,2022,pop_60plus,1,\n"  # row 3
            + "460100,2022,pop_unknown,1,\n"  # row 4
            + "460100,2022,pop_total,很多,\n"  # row 5
            + "460100,2022,pop_65plus,-3,\n"  # row 6
            + "460100,2022Q5,pop_total,1,\n"  # row 7
            + "460100,2022,pop_60plus,370001,\n",  # row 8: same key as row 2, another value
        )
        with pytest.raises(DataImportError) as caught:
            data_import_file(path=path)
        problems = caught.value.problems
        assert [p.split("，")[0] for p in problems] == [f"bad.csv 第{n}行" for n in (3, 4, 5, 6, 7, 8)]
        assert "org_code列：“999999” 单位代码不存在" in problems[0]
        assert "element列：“pop_unknown”" in problems[1]
        assert "value列：“很多” 不是数字" in problems[2]
        assert "不能为负数" in problems[3]
        assert "period列：“2022Q5”" in problems[4]
        assert "与第2行（370000）" in problems[5]
        assert DataValue.objects.count() == 0

    def test_the_same_row_twice_is_one_value(self, tmp_path: Path, elements: None) -> None:
        path = write(tmp_path, "twice.csv", DATA_HEADER + "460100,2022,pop_60plus,5,\n460100,2022,pop_60plus,5,\n")
        assert data_import_file(path=path).created == 1

    def test_warnings_after_import(self, tmp_path: Path, elements: None) -> None:
        path = write(
            tmp_path,
            "odd.csv",
            DATA_HEADER
            + "460100,2021,pop_60plus,300000,\n"
            + "460100,2021,pop_65plus,310000,\n"  # more people 65+ than 60+
            + "460100,2022,pop_60plus,500000,\n",  # +67 % in a year
        )
        warnings = data_import_file(path=path).warnings
        assert any("65岁及以上人口 310,000 多于 60岁及以上人口 300,000" in w for w in warnings)
        assert any("2022：500,000 与上期（2021）300,000 相差超过 50%" in w for w in warnings)


@pytest.mark.django_db
class TestFacilityImport:
    def test_rows_are_stored_with_chinese_words(self, tmp_path: Path, registry: None) -> None:
        path = write(
            tmp_path,
            "fac.csv",
            FACILITY_HEADER
            + "F1,海口市第一养老院,养老机构,460105100,公办,200,150,0,0,否,是,2019-05-01,\n"
            + "F2,秀英托育中心,托育机构,460105001,普惠性,0,0,80,60,false,false,2021-09-01,2024-06-30\n",
        )
        report = facility_import_file(path=path)
        assert report.created == 2
        home = Facility.objects.get(facility_id="F1")
        assert (home.kind, home.nature, home.beds, home.nursing_beds, home.has_medical) == (
            "elderly_institution",
            "public",
            200,
            150,
            True,
        )
        assert Facility.objects.get(facility_id="F2").closed.isoformat() == "2024-06-30"
        again = facility_import_file(path=path)
        assert (again.created, again.updated, again.unchanged) == (0, 0, 2)

    def test_reimporting_an_id_updates_it(self, tmp_path: Path, registry: None) -> None:
        row = "F1,养老院,elderly_institution,460100,public,{beds},0,0,0,false,false,2019-05-01,\n"
        facility_import_file(path=write(tmp_path, "a.csv", FACILITY_HEADER + row.format(beds=100)))
        report = facility_import_file(path=write(tmp_path, "b.csv", FACILITY_HEADER + row.format(beds=120)))
        assert report.updated == 1 and Facility.objects.get().beds == 120

    def test_every_bad_row_is_named_and_nothing_is_written(self, tmp_path: Path, registry: None) -> None:
        path = write(
            tmp_path,
            "bad.csv",
            FACILITY_HEADER
            + "F1,好养老院,elderly_institution,460100,public,100,50,0,0,false,false,2019-05-01,\n"  # 2: fine
            + "F2,甲,elderly_institution,460100,public,100,150,0,0,false,false,2019-05-01,\n"  # 3: nursing > beds
            + "F3,乙,hospital,460100,public,10,0,0,0,false,false,2019-05-01,\n"  # 4: kind
            + "F4,丙,childcare,460100,公私合营,0,0,10,5,false,false,2019-05-01,\n"  # 5: nature
            + "F5,丁,childcare,999,public,0,0,-10,5,false,false,2019-05-01,\n"  # 6: org, negative places
            + "F6,戊,childcare,HI-MZT,public,0,0,10,5,false,false,2019-05-01,\n"  # 7: a department
            + "F7,己,childcare,460100,public,0,0,10,5,maybe,false,2019-13-01,2018-01-01\n"  # 8: flag, date
            + "F8,庚,childcare,460100,public,0,0,10,5,false,false,2020-01-01,2019-01-01\n"  # 9: closes before
            + "F1,好养老院,elderly_institution,460100,public,101,50,0,0,false,false,2019-05-01,\n",  # 10: dup id
        )
        with pytest.raises(DataImportError) as caught:
            facility_import_file(path=path)
        text = "\n".join(caught.value.problems)
        for expected in (
            "第3行，nursing_beds列：“150” 护理型床位数多于床位数 100",
            "第4行，kind列：“hospital” 不是有效的机构类型",
            "第5行，nature列：“公私合营” 不是有效的性质",
            "第6行，org_code列：“999” 地区代码不存在",
            "第6行，places列：“-10” 不能为负数",
            "第7行，org_code列：“HI-MZT” 地区代码不存在",
            "第8行，comprehensive列：“maybe”",
            "第8行，opened列：“2019-13-01” 不是日期",
            "第9行，closed列：“2019-01-01” 停业日期早于开业日期",
            "第10行，facility_id列：“F1” 与第2行编号相同而内容不同",
        ):
            assert expected in text
        assert Facility.objects.count() == 0

    def test_enrolled_beyond_places_is_a_warning(self, tmp_path: Path, registry: None) -> None:
        path = write(tmp_path, "f.csv", FACILITY_HEADER + "C1,托育园,childcare,460100,public,0,0,10,12,,,2020-01-01,\n")
        report = facility_import_file(path=path)
        assert report.created == 1
        assert report.warnings == ["f.csv 第2行 托育园：在托人数多于托位数"]


@pytest.mark.django_db
def test_self_reported_beds_are_checked_against_the_registry(tmp_path: Path, elements: None) -> None:
    facility_import_file(
        path=write(
            tmp_path,
            "f.csv",
            FACILITY_HEADER + "F1,养老院,elderly_institution,460105100,public,1000,0,0,0,,,2019-01-01,\n",
        )
    )
    report = data_import_file(path=write(tmp_path, "d.csv", DATA_HEADER + "460100,2022,elderly_beds_reported,1500,\n"))
    assert report.warnings == ["海口市 2022：自报养老床位数 1,500，机构登记合计 1,000，相差超过 10%"]
