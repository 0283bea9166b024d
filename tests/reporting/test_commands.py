"""``duban rounds`` and ``duban user-add`` through the command line, against the test database."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from duban.accounts.models import Membership
from duban.cli import main
from duban.metrics.periods import previous_quarter_start
from duban.reporting.models import ReportingRound


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(
    ("day", "start"),
    [
        (date(2026, 11, 30), date(2026, 7, 1)),
        (date(2026, 2, 1), date(2025, 10, 1)),
        (date(2026, 4, 1), date(2026, 1, 1)),
    ],
)
def test_the_quarter_before(day: date, start: date) -> None:
    assert previous_quarter_start(day) == start


@pytest.mark.django_db
def test_rounds_from_the_quarter_before_until(seed_plan: Any, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "rounds", "--until", "2022-05-15")
    assert code == 0, err
    assert list(ReportingRound.objects.values_list("period", "due")) == [
        ("2022Q1", date(2022, 4, 10)),
        ("2022Q2", date(2022, 7, 10)),
    ]
    assert "新建 2 个轮次" in out and "2022年第2季度" in out
    code, out, _ = run(capsys, "rounds", "--since", "2021-01-01", "--until", "2021-06-30")
    assert code == 0 and "新建 2 个轮次" in out
    assert ReportingRound.objects.count() == 4


@pytest.mark.django_db
def test_user_add(registry: None, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        capsys,
        "user-add",
        "wenchang",
        "--unit",
        "文昌市",
        "--role",
        "reporter",
        "--role",
        "approver",
        "--password",
        "a-long-password",
        "--email",
        "wc@example.org",
    )
    assert code == 0, err
    assert "已创建用户 wenchang：文昌市" in out
    user = get_user_model().objects.get(username="wenchang")
    membership = Membership.objects.get(user=user)
    assert (membership.unit.code, membership.roles, user.email) == (
        "469005",
        ["reporter", "approver"],
        "wc@example.org",
    )
    assert user.check_password("a-long-password")
    code, _, err = run(capsys, "user-add", "wenchang", "--unit", "文昌市", "--role", "reporter", "--password", "x" * 9)
    assert code == 2 and "已存在" in err
    code, _, err = run(capsys, "user-add", "nobody", "--unit", "火星市", "--role", "reporter", "--password", "x" * 9)
    assert code == 2 and "火星市" in err
    code, _, err = run(capsys, "user-add", "short", "--unit", "460100", "--role", "reporter", "--password", "x")
    assert code == 2 and "至少 8 位" in err
