"""销号: the office closes a task that is done, or reopens it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from duban.core.errors import UserError
from duban.plans import selectors as plan_selectors
from duban.reporting import services
from duban.web import pagecache, selectors
from duban.web.views.base import SignedInRequest


@login_required
@require_POST
def task_closure(request: SignedInRequest, number: int, action: str) -> HttpResponse:
    plan = selectors.plan_current()
    task = plan_selectors.task_get(plan=plan, number=number)
    if action not in ("close", "reopen"):
        raise Http404
    try:
        reason = request.POST.get("reason", "")
        if action == "close":
            override = request.POST.get("override") == "1"
            services.task_close(task=task, by=request.user, reason=reason, override=override)
        else:
            services.task_reopen(task=task, by=request.user, reason=reason)
        pagecache.forget_version()
        what = _("已销号") if action == "close" else _("已恢复督办")
        messages.success(request, _("任务 %(n)d：%(what)s") % {"n": number, "what": what})
    except UserError as exc:
        messages.error(request, str(exc))
    return redirect("web:task", number=number)
