"""Whole pages kept in the cache until the data behind them changes.

The dashboard is read far more often than its data changes, and a page costs tens of milliseconds to build.
A page is stored per browser session (its CSRF token and the signed-in user are in it), language and address,
and under a version of the data, so that an import or a recomputation shows on the next request.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Max
from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language

TIMEOUT = 600
# How long one process trusts the data version it read: a change shows at most this late.
VERSION_TTL = 2.0
_version: tuple[float, str] = (0.0, "")


def data_version() -> str:
    global _version
    now = time.monotonic()
    if now - _version[0] > VERSION_TTL:
        _version = (now, _read_version())
    return _version[1]


def _read_version() -> str:
    from duban.indicators.models import IndicatorSeries, TargetBinding
    from duban.plans.models import Assignment, Plan
    from duban.reporting.models import TaskClosure

    # Every computation stamps the series it writes, so the latest stamp moves even when the row count does not.
    values = IndicatorSeries.objects.aggregate(n=Count("pk"), last=Max("computed"))
    plans = Plan.objects.aggregate(last=Max("pk"))
    stamp = int(values["last"].timestamp() * 1e6) if values["last"] else 0
    closures = TaskClosure.objects.count()
    return (
        f"{values['n']}.{stamp}.{plans['last']}.{Assignment.objects.count()}.{TargetBinding.objects.count()}.{closures}"
    )


def forget_version() -> None:
    """Read the data version afresh on the next request of this process (after a write made here)."""
    global _version
    _version = (0.0, "")


def _has_messages(request: HttpRequest) -> bool:
    storage = getattr(request, "_messages", None)
    if storage is None:
        return False
    # Looking marks them as shown; undo that, so that the page still displays them.
    used = storage.used
    pending = bool(list(storage))
    storage.used = used
    return pending


def cached_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method != "GET" or request.GET.get("format") or _has_messages(request):
            # A page carrying a one-time message ("已销号") is neither served from nor kept in the cache.
            return view(request, *args, **kwargs)
        session = request.session.session_key or ""
        raw = f"{session}|{get_language()}|{request.get_full_path()}|{data_version()}"
        key = "duban:page:" + hashlib.sha256(raw.encode()).hexdigest()
        cached = cache.get(key)
        if cached is not None:
            content, content_type = cached
            return HttpResponse(content, content_type=content_type)
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.streaming:
            cache.set(key, (response.content, response["Content-Type"]), TIMEOUT)
        return response

    return wrapper
