"""Whole pages kept in the cache until the data behind them changes.

The dashboard is read far more often than its data changes, and a page costs tens of milliseconds to build.
A page is stored per browser session (its CSRF token and the signed-in user are in it), language and address,
and under the data version (``duban.core.dataversion``), so that an import, a recomputation or a report
shows on the next request.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language

from duban.core.dataversion import data_version
from duban.core.dataversion import forget_data_version as forget_version  # noqa: F401

TIMEOUT = 600


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
