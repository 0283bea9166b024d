"""The admin: units' channels are edited (and audited); notices and deliveries are only read."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client

from duban.audit.models import AuditEntry
from duban.notices.models import Delivery, Notice, UnitChannel
from duban.notices.services import remind_run
from duban.orgs.models import OrgUnit
from duban.reporting.models import ReportingRound
from tests.notices.conftest import DUE


@pytest.mark.django_db
def test_notices_and_deliveries_are_read_only(cast: Any, round_: ReportingRound, office_admin: Client) -> None:
    remind_run(today=DUE + timedelta(days=1))
    notice = Notice.objects.get(unit__code="460100")
    delivery = Delivery.objects.get(notice=notice)

    page = office_admin.get("/admin/notices/notice/?kind__exact=overdue").content.decode()
    assert "【催报】2026年第3季度进展报告已逾期 1 天" in page and "海口" in page
    detail = office_admin.get(f"/admin/notices/notice/{notice.pk}/change/")
    assert detail.status_code == 200
    text = detail.content.decode()
    assert "hk@example.org" in text and 'name="_save"' not in text
    assert office_admin.get("/admin/notices/notice/add/").status_code == 403
    assert office_admin.get("/admin/notices/delivery/?state__exact=sent").status_code == 200
    assert office_admin.get(f"/admin/notices/delivery/{delivery.pk}/delete/").status_code == 403
    response = office_admin.post(f"/admin/notices/delivery/{delivery.pk}/change/", {"state": "pending"})
    assert response.status_code == 403
    delivery.refresh_from_db()
    assert delivery.state == Delivery.State.SENT


@pytest.mark.django_db
def test_a_units_channel_is_edited_and_audited(cast: Any, office_admin: Client) -> None:
    haikou = OrgUnit.objects.get(code="460100")
    response = office_admin.post(
        "/admin/notices/unitchannel/add/",
        {"unit": haikou.pk, "email": "dbb@haikou.gov.cn", "webhook_url": "https://msg.hainan.gov.cn/hook"},
    )
    assert response.status_code == 302
    channel = UnitChannel.objects.get(unit=haikou)
    assert (channel.email, channel.webhook_url) == ("dbb@haikou.gov.cn", "https://msg.hainan.gov.cn/hook")
    entry = AuditEntry.objects.get(action="admin_add", object_type="notices.unitchannel")
    assert entry.after["email"] == "dbb@haikou.gov.cn"
    assert "dbb@haikou.gov.cn" in office_admin.get("/admin/notices/unitchannel/").content.decode()


@pytest.mark.django_db
def test_failed_deliveries_are_sent_again_from_the_admin(
    cast: Any, round_: ReportingRound, office_admin: Client, settings: Any
) -> None:
    settings.EMAIL_BACKEND = "tests.notices.conftest.RefusingBackend"
    settings.NOTICE_MAX_ATTEMPTS = 1
    remind_run(today=DUE + timedelta(days=1))
    failed = list(Delivery.objects.filter(state=Delivery.State.FAILED).values_list("pk", flat=True))
    assert len(failed) == 2
    detail = office_admin.get(f"/admin/notices/delivery/{failed[0]}/change/").content.decode()
    assert 'name="_save"' not in detail  # the change form stays read-only
    response = office_admin.post(
        "/admin/notices/delivery/", {"action": "retry", "_selected_action": [str(pk) for pk in failed]}
    )
    assert response.status_code == 302
    assert set(Delivery.objects.values_list("state", "attempts")) == {(Delivery.State.PENDING, 0)}
    assert AuditEntry.objects.filter(action="delivery_retry").count() == 1
