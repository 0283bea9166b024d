"""The responsibility matrix in its three forms."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest

from duban.plans.matrix import matrix_build, matrix_csv, matrix_text, matrix_xlsx
from duban.plans.models import Plan


@pytest.mark.django_db
class TestMatrix:
    def test_columns_grouped_by_kind_with_successors(self, seed_plan: Plan) -> None:
        matrix = matrix_build(plan=seed_plan)
        groups = [c.group for c in matrix.columns]
        # Groups appear in a fixed order, each in one run.
        runs = [g for i, g in enumerate(groups) if i == 0 or groups[i - 1] != g]
        assert runs == ["省直部门", "直属机构及其他", "中央驻地方单位", "群团组织", "企业", "市县"]
        headings = [c.heading for c in matrix.columns]
        assert "银保监会海南监管局（现金融监管总局海南监管局）" in headings
        assert "人行海口中心支行（现人行海南省分行）" in headings
        assert headings[-19:][0] == "海口"  # jurisdictions by code, labelled by short name
        assert len(matrix.columns) == 37 + 19  # every unit the table names, and the 19 jurisdictions

    def test_cells(self, seed_plan: Plan) -> None:
        matrix = matrix_build(plan=seed_plan)
        by_label = {c.label: c for c in matrix.columns}
        task19 = next(t for t in matrix.tasks if t.number == 19)
        assert matrix.role(task19, by_label["省民政厅"]) == "lead"
        assert matrix.role(task19, by_label["省工业和信息化厅"]) == "responsible"
        assert matrix.role(task19, by_label["洋浦"]) == "local"
        assert matrix.role(task19, by_label["省统计局"]) == ""

    def test_filter_by_unit_and_role(self, seed_plan: Plan) -> None:
        from duban.orgs.models import OrgUnit

        stats = OrgUnit.objects.get(code="HI-TJJ")
        assert [t.number for t in matrix_build(plan=seed_plan, unit=stats).tasks] == [38]
        leads = matrix_build(plan=seed_plan, role="lead")
        assert [t.number for t in leads.tasks] == [2, 5, 6, 7, 15, 16, 17, 19, 20, 21, 22, 23, 31, 38, 39]
        assert {c.label for c in leads.columns} == {"省卫生健康委", "省发展改革委", "省民政厅", "省教育厅", "省统计局"}

    def test_xlsx(self, seed_plan: Plan) -> None:
        matrix = matrix_build(plan=seed_plan)
        book = openpyxl.load_workbook(io.BytesIO(matrix_xlsx(matrix)))
        sheet = book["责任分工矩阵"]
        assert sheet.freeze_panes == "C4"
        assert sheet["A2"].value == "序号" and sheet["B2"].value == "重点任务"
        assert sheet["C2"].value == "省直部门" and sheet["C3"].value == "省民政厅"
        assert sheet["A4"].value == 1
        assert sheet["B4"].value.startswith("制定基本养老服务清单")
        # Task 1: 省民政厅 负责, and every jurisdiction 属地.
        assert sheet["C4"].value == "负责"
        last = sheet.cell(4, 2 + len(matrix.columns)).value
        assert last == "属地"
        assert sheet.page_setup.orientation == "landscape"
        assert len(book.sheetnames) == 1 + len(matrix.columns)
        unit_sheet = book["省统计局"]
        assert unit_sheet["A4"].value == 38 and unit_sheet["C4"].value == "牵头"
        assert unit_sheet["A5"].value is None

    def test_csv(self, seed_plan: Plan) -> None:
        data = matrix_csv(matrix_build(plan=seed_plan))
        assert data.startswith("\ufeff".encode())
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
        assert rows[0][:3] == ["序号", "重点任务", "省民政厅"]
        assert rows[1][:3] == ["", "单位类别", "省直部门"]
        assert len(rows) == 2 + 39
        assert rows[2 + 5][0] == "6" and rows[2 + 5][2] == "牵头"

    def test_text(self, seed_plan: Plan) -> None:
        text = matrix_text(matrix_build(plan=seed_plan))
        assert "19. 到2022年底，全面建立特殊困难老年人居家探访制度。\n    牵头：省民政厅、省卫生健康委\n" in text
        assert "    属地：19 个市县" in text
