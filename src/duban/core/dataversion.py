"""The data version (数据版本) that caches key on: bumped by the services that change data, read by the pages.

A service that changes what a page shows calls ``data_changed`` inside its transaction; the change is seen
with the data, after the commit, by every process. A reader trusts the version it read for ``TRUST_SECONDS``,
so a page costs no extra query and a change shows on every worker at most that late.
"""

from __future__ import annotations

import time

from django.db.models import Max

from duban.core.models import DataChange

TRUST_SECONDS = 2.0
# When the version was last read, and what it was; None until it is read (a monotonic clock starts near 0
# on a machine that has just booted, so no time can stand for "never").
_read: tuple[float, str] | None = None


def data_changed(*, what: str) -> None:
    """Record that the data behind the pages changed (``what`` says which, for the record)."""
    DataChange.objects.create(what=what[:100])
    forget_data_version()


def data_version() -> str:
    """The newest change's number, as this process last read it (at most ``TRUST_SECONDS`` ago)."""
    global _read
    now = time.monotonic()
    if _read is None or now - _read[0] > TRUST_SECONDS:
        last = DataChange.objects.aggregate(last=Max("pk"))["last"]
        _read = (now, str(last or 0))
    return _read[1]


def forget_data_version() -> None:
    """Read the version afresh next time: this process has just changed the data."""
    global _read
    _read = None
