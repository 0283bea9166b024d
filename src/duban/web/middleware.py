"""Chinese first: the interface speaks Chinese unless the user chose another language.

Django's LocaleMiddleware follows the browser's Accept-Language, so an English-language browser on an
office machine would get English; here only the language the user picked (the language cookie set by the
switch in the page header) changes it.

A temporary password first: someone signed in with the password the office gave them sets their own before
any page opens.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode

from duban.accounts.access import access_for


class ChineseFirstLocaleMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.available = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.available else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class PasswordChangeRequiredMiddleware:
    """Sends a person with a temporary password to the password page, whatever they asked for; signing out and
    switching language stay open (static files are served before this runs)."""

    OPEN = ("web:password", "web:logout", "set_language", "web:healthz")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        user = getattr(request, "user", None)
        forced = user is not None and user.is_authenticated and access_for(user).password_must_change
        if forced and request.path not in {reverse(name) for name in self.OPEN}:
            wanted = request.get_full_path() if request.method == "GET" else ""
            query = f"?{urlencode({'next': wanted})}" if wanted and wanted != "/" else ""
            return redirect(reverse("web:password") + query)
        return self.get_response(request)
