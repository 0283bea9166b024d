"""A person's notices: reminders, overdue warnings and returned reports."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from duban.notices.selectors import notice_list_for_user, notice_read_ids
from duban.notices.services import notice_mark_all_read
from duban.web.views.base import SignedInRequest


@login_required
def inbox(request: SignedInRequest) -> HttpResponse:
    notices = list(notice_list_for_user(user=request.user)[:200])
    read = notice_read_ids(user=request.user, notices=notices)
    return render(request, "duban/inbox.html", {"notices": notices, "read": read})


@login_required
@require_POST
def inbox_read(request: SignedInRequest) -> HttpResponse:
    notice_mark_all_read(user=request.user)
    return redirect("web:inbox")
