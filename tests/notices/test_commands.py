"""``duban remind`` end to end through the command line, against the test database."""

from __future__ import annotations

from typing import Any

import pytest

from duban.cli import main
from duban.notices.models import Delivery, Notice, UnitChannel
from duban.orgs.models import OrgUnit
from duban.reporting.models import ReportingRound
from tests.notices.conftest import UNITS_IN_ROUND


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.django_db
def test_remind_dry_run_then_for_real_then_again(
    cast: Any, round_: ReportingRound, capsys: pytest.CaptureFixture[str], mailoutbox: list[Any]
) -> None:
    code, out, err = run(capsys, "remind", "--dry-run", "--today", "2026-10-12")
    assert code == 0, err
    assert f"演练：将新建通知 {UNITS_IN_ROUND} 条，另有 0 条投递待重试；未发送、未记录任何内容" in out
    assert "已逾期" in out and "海口市" in out and "hk@example.org" in out
    assert Notice.objects.count() == 0 and mailoutbox == []

    code, out, err = run(capsys, "remind", "--today", "2026-10-12")
    assert code == 0, err
    assert f"新建通知 {UNITS_IN_ROUND} 条，发送成功 2，失败 0（将在下次运行时重试）。" in out
    assert Notice.objects.count() == UNITS_IN_ROUND and len(mailoutbox) == 2

    code, out, err = run(capsys, "remind", "--today", "2026-10-12")
    assert code == 0, err
    assert "新建通知 0 条，发送成功 0，失败 0（将在下次运行时重试）。" in out
    assert len(mailoutbox) == 2


@pytest.mark.django_db
def test_remind_lists_failures(
    cast: Any, round_: ReportingRound, capsys: pytest.CaptureFixture[str], settings: Any
) -> None:
    settings.NOTICE_MAX_ATTEMPTS = 1
    UnitChannel.objects.create(unit=OrgUnit.objects.get(code="460100"), webhook_url="file:///nowhere")
    code, out, _ = run(capsys, "remind", "--today", "2026-10-12")
    assert code == 0
    assert "发送失败：file:///nowhere — ValueError: 推送地址必须以 http:// 或 https:// 开头" in out
    assert f"新建通知 {UNITS_IN_ROUND} 条，发送成功 2，失败 1（将在下次运行时重试）。" in out
    assert "其中 1 条已尝试 1 次仍失败，不再自动重试" in out
    assert Delivery.objects.filter(state=Delivery.State.FAILED).count() == 1


@pytest.mark.django_db
def test_remind_without_today_uses_the_calendar(cast: Any, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "remind", "--dry-run")
    assert code == 0 and "演练：将新建通知 0 条" in out


def test_remind_refuses_a_bad_date(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["remind", "--today", "2026-13-01"])
    assert exit_.value.code == 2
    assert "不是日期：2026-13-01" in capsys.readouterr().err
