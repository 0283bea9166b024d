"""Import jobs: a file is checked by rehearsing its import (nothing kept), confirmed, run once by whoever claims
it, and a job whose process went away is shown as such and can be run again safely."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from duban.audit.models import AuditEntry
from duban.core.errors import UserError
from duban.core.tables import TableFileError
from duban.indicators.models import DataValue, Facility, ImportJob, IndicatorSeries
from duban.indicators.selectors import import_job_is_stale
from duban.indicators.services import DataImportError, elements_load_bundled
from duban.indicators.services import jobs as job_services
from duban.indicators.services.jobs import (
    import_job_check,
    import_job_confirm,
    import_job_discard,
    import_job_retry,
    import_job_run,
    import_jobs_recover,
    import_jobs_run_pending,
)
from duban.plans.models import Plan
from tests.conftest import Cast

HEADER = "org_code,period,element,value,source\n"
GOOD = (
    HEADER
    + "460100,2024,pop_60plus,370000,统计年鉴\n"
    + "460100,2024,pop_65plus,380000,统计年鉴\n"  # more 65+ than 60+: a warning, never a refusal
    + "460200,2024,pop_total,,\n"  # left empty: not imported
)
FACILITIES = (
    "facility_id,name,kind,org_code,nature,beds,nursing_beds,opened\n"
    "H1,海口市第一养老院,养老机构,460105100,公办,300,200,2019-01-01\n"
)


@pytest.fixture
def office(cast: Cast) -> User:
    elements_load_bundled()
    return cast.office


def checked(office: User, text: str = GOOD, *, kind: str = "data", name: str = "data.csv") -> ImportJob:
    return import_job_check(kind=kind, name=name, content=text.encode(), by=office)


@pytest.mark.django_db
class TestCheck:
    def test_a_clean_file_waits_with_what_the_import_would_do_and_nothing_is_written(self, office: User) -> None:
        job = checked(office)
        assert job.state == ImportJob.State.CHECKED and job.rows == 3 and job.created_by == office
        report = job.check_report
        assert (report["created"], report["updated"], report["unchanged"], report["skipped"]) == (2, 0, 0, 1)
        assert report["warnings"] == ["海口市 2024：65岁及以上人口 380,000 多于 60岁及以上人口 370,000"]
        assert DataValue.objects.filter(period="2024").count() == 0
        assert not AuditEntry.objects.filter(action="data_import").exists()
        assert AuditEntry.objects.filter(action="import_job_check", object_id=str(job.pk), actor=office).exists()

    def test_every_bad_row_is_listed_and_nothing_is_stored(self, office: User) -> None:
        text = (
            HEADER
            + "460100,2024,pop_60plus,370000,\n"
            + "999999,2024,pop_60plus,1,\n"
            + "460100,2024,pop_total,很多,\n"
        )
        with pytest.raises(DataImportError) as caught:
            checked(office, text, name="bad.csv")
        assert [(p.row, p.column, p.value) for p in caught.value.rows] == [
            (3, "org_code", "999999"),
            (4, "value", "很多"),
        ]
        assert caught.value.rows[1].reason.startswith("不是数字")
        assert ImportJob.objects.count() == 0 and DataValue.objects.filter(period="2024").count() == 0

    def test_wrong_headers_a_wrong_kind_and_a_big_file_are_refused_by_name(self, office: User, settings) -> None:  # type: ignore[no-untyped-def]
        with pytest.raises(
            TableFileError, match=re.escape("fac.csv: 缺少列 period, element, value（表头应含 org_code")
        ):
            checked(office, FACILITIES, name="fac.csv")
        with pytest.raises(UserError, match="请选择导入的内容"):
            checked(office, kind="plans")
        settings.IMPORT_MAX_BYTES = 100
        with pytest.raises(TableFileError, match=re.escape("data.csv: 文件有 0.0 MB，超过上限")):
            checked(office)
        assert ImportJob.objects.count() == 0

    def test_a_path_in_the_name_is_dropped(self, office: User) -> None:
        assert checked(office, name="C:\\Users\\县统计局\\data.csv").file_name == "data.csv"


@pytest.mark.django_db
class TestRun:
    def test_confirm_then_run_writes_audits_and_recomputes(self, office: User, seed_plan: Plan) -> None:
        job = import_job_confirm(job=checked(office), by=office)
        assert job.state == ImportJob.State.QUEUED and job.confirmed_by == office and job.confirmed_at
        series_before = IndicatorSeries.objects.count()
        done = import_job_run(job_id=job.pk)
        assert done is not None and done.state == ImportJob.State.DONE and done.progress == 100
        assert done.finished_at is not None and bytes(done.content) == b""
        assert (done.result["created"], done.result["skipped"]) == (2, 1)
        assert done.result["values"] > 0 and IndicatorSeries.objects.count() > series_before
        assert DataValue.objects.get(org__code="460100", element__code="pop_60plus", period="2024").value == 370000
        entry = AuditEntry.objects.get(action="data_import")
        assert entry.actor == office and entry.object_id == "data.csv"
        assert AuditEntry.objects.filter(action="import_job_confirm", actor=office).exists()

    def test_a_job_is_run_once(self, office: User) -> None:
        job = import_job_confirm(job=checked(office), by=office)
        assert import_job_run(job_id=job.pk) is not None
        assert import_job_run(job_id=job.pk) is None
        assert AuditEntry.objects.filter(action="data_import").count() == 1

    def test_a_job_is_confirmed_once_and_a_discarded_one_never(self, office: User) -> None:
        job = checked(office)
        import_job_confirm(job=job, by=office)
        with pytest.raises(UserError, match="当前为“排队中”，不能再确认"):
            import_job_confirm(job=job, by=office)
        other = import_job_discard(job=checked(office), by=office)
        assert other.state == ImportJob.State.DISCARDED and bytes(other.content) == b""
        with pytest.raises(UserError, match="当前为“已放弃”"):
            import_job_confirm(job=other, by=office)

    def test_facilities_run_through_the_same_service_and_are_audited(self, office: User) -> None:
        job = import_job_confirm(job=checked(office, FACILITIES, kind="facilities", name="fac.csv"), by=office)
        assert import_job_run(job_id=job.pk).state == ImportJob.State.DONE  # type: ignore[union-attr]
        assert Facility.objects.get(facility_id="H1").beds == 300
        entry = AuditEntry.objects.get(action="facility_import")
        assert entry.actor == office and entry.after["created"] == ["H1"]

    def test_a_file_that_no_longer_imports_fails_with_its_rows(self, office: User) -> None:
        job = import_job_confirm(job=checked(office), by=office)
        DataValue.objects.all().delete()
        from duban.indicators.models import DataElement

        DataElement.objects.filter(code="pop_65plus").delete()
        failed = import_job_run(job_id=job.pk)
        assert failed is not None and failed.state == ImportJob.State.FAILED
        assert "未写入任何数据" in failed.error and "第3行，element列：“pop_65plus”" in failed.error
        assert failed.result is None and failed.finished_at is not None

    def test_a_crash_after_the_write_keeps_the_data_and_a_retry_only_recomputes(
        self, office: User, seed_plan: Plan, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        job = import_job_confirm(job=checked(office), by=office)

        def broken(*, org_ids: set[int]) -> None:
            raise RuntimeError("disk full")

        monkeypatch.setattr(job_services, "indicators_after_import", broken)
        failed = import_job_run(job_id=job.pk)
        assert failed is not None and failed.state == ImportJob.State.FAILED
        assert "RuntimeError" in failed.error and "数据已写入，但指标未重算完成" in failed.error
        assert failed.result is not None and DataValue.objects.filter(period="2024").count() == 2
        monkeypatch.undo()
        retried = import_job_retry(job=failed, by=office)
        assert retried.state == ImportJob.State.QUEUED and retried.error == ""
        done = import_job_run(job_id=job.pk)
        assert done is not None and done.state == ImportJob.State.DONE and done.result["values"] > 0
        assert AuditEntry.objects.filter(action="data_import").count() == 1  # written once

    def test_only_a_failed_or_stale_job_is_retried(self, office: User) -> None:
        job = import_job_confirm(job=checked(office), by=office)
        with pytest.raises(UserError, match="不需要重新导入"):
            import_job_retry(job=job, by=office)


@pytest.mark.django_db
class TestStale:
    def test_a_silent_running_job_is_stale_recovered_and_safely_retried(self, office: User, settings) -> None:  # type: ignore[no-untyped-def]
        job = import_job_confirm(job=checked(office), by=office)
        long_ago = timezone.now() - timedelta(minutes=settings.IMPORT_STALE_MINUTES + 1)
        ImportJob.objects.filter(pk=job.pk).update(
            state=ImportJob.State.RUNNING, started_at=long_ago, heartbeat_at=long_ago, worker="web1:42:7"
        )
        job.refresh_from_db()
        assert import_job_is_stale(job)
        recovered = import_jobs_recover()
        assert [j.pk for j in recovered] == [job.pk]
        job.refresh_from_db()
        assert job.state == ImportJob.State.FAILED
        assert "执行进程 web1:42:7" in job.error and "未写入任何数据" in job.error
        assert import_job_run(job_id=import_job_retry(job=job, by=office).pk).state == "done"  # type: ignore[union-attr]

    def test_a_queued_job_nobody_took_is_stale_and_the_runner_takes_it(self, office: User, settings) -> None:  # type: ignore[no-untyped-def]
        job = import_job_confirm(job=checked(office), by=office)
        assert not import_job_is_stale(job)
        later = timezone.now() + timedelta(minutes=settings.IMPORT_STALE_MINUTES + 1)
        assert import_job_is_stale(job, now=later)
        ran = import_jobs_run_pending()
        assert [j.pk for j in ran] == [job.pk] and ran[0].state == ImportJob.State.DONE

    def test_a_live_job_is_not_stale(self, office: User) -> None:
        job = import_job_confirm(job=checked(office), by=office)
        ImportJob.objects.filter(pk=job.pk).update(state=ImportJob.State.RUNNING, heartbeat_at=timezone.now())
        job.refresh_from_db()
        assert not import_job_is_stale(job) and import_jobs_recover() == []


@pytest.mark.django_db
def test_the_states_are_held_by_the_database(office: User) -> None:
    from django.db import IntegrityError, transaction

    job = checked(office)
    for wrong in ({"state": "lost"}, {"progress": 101}, {"state": "done"}, {"state": "queued"}):
        with pytest.raises(IntegrityError), transaction.atomic():
            ImportJob.objects.filter(pk=job.pk).update(**wrong)


@pytest.mark.django_db
def test_a_checked_file_nobody_confirmed_is_discarded_after_the_keeping_days(office: User, settings) -> None:  # type: ignore[no-untyped-def]
    from duban.indicators.services.jobs import import_jobs_expire

    old, fresh = checked(office), checked(office)
    ImportJob.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - timedelta(days=settings.IMPORT_CHECKED_KEEP_DAYS, minutes=1)
    )
    assert import_jobs_expire() == 1
    old.refresh_from_db()
    fresh.refresh_from_db()
    assert old.state == ImportJob.State.DISCARDED and bytes(old.content) == b"" and "超过保留期限" in old.error
    assert fresh.state == ImportJob.State.CHECKED and bytes(fresh.content)
    assert AuditEntry.objects.filter(action="import_job_expire", object_id=str(old.pk), actor=None).exists()
    assert import_jobs_expire() == 0
