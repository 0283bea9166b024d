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

    # Every computation stamps the series it writes, so the latest stamp moves even when the row count does not.
    values = IndicatorSeries.objects.aggregate(n=Count("pk"), last=Max("computed"))
    plans = Plan.objects.aggregate(last=Max("pk"))
    return (
        f"{values['n']}.{values['last']}.{plans['last']}.{Assignment.objects.count()}.{TargetBinding.objects.count()}"
    )


def cached_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method != "GET" or request.GET.get("format"):
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
