"""单位账号: the office gives a unit's reporter or approver an account, stops and restarts accounts, resets a
password and sees who has never signed in; and everyone sets their own password (at once, the first time they
sign in with a temporary one). Only the office reaches the accounts pages: anyone else gets 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from duban.accounts import selectors, services
from duban.accounts.access import access_for
from duban.accounts.models import Role
from duban.core.errors import UserError
from duban.orgs.selectors import unit_find, unit_list
from duban.web.views.base import SignedInRequest, office_page


def _page(request: SignedInRequest, *, status: int = 200, form: dict[str, str] | None = None) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    never = request.GET.get("never") == "1"
    data = selectors.account_list_for(user=request.user, query=query, only_never_logged_in=never)
    context = {
        "data": data,
        "query": query,
        "never": never,
        "units": unit_list(),
        "unit_roles": [(r.value, r.label) for r in (Role.REPORTER, Role.APPROVER)],
        "form": form or {},
    }
    return render(request, "duban/accounts.html", context, status=status)


@office_page
def accounts(request: SignedInRequest) -> HttpResponse:
    return _page(request)


def _issued(request: SignedInRequest, user: User, password: str, *, created: bool) -> HttpResponse:
    """The temporary password, shown this once and never stored where a page could show it again."""
    response = render(
        request, "duban/account_password.html", {"account": user, "password": password, "created": created}
    )
    response["Cache-Control"] = "private, no-store"
    return response


@office_page
@require_POST
@never_cache
def account_add(request: SignedInRequest) -> HttpResponse:
    form = {key: request.POST.get(key, "").strip() for key in ("username", "full_name", "email", "unit")}
    unit = unit_find(code_or_name=form["unit"]) if form["unit"] else None
    try:
        if unit is None:
            raise UserError(
                _("找不到单位“%(unit)s”：请从列表中选择，或填写单位代码") % {"unit": form["unit"]}
                if form["unit"]
                else _("请选择单位")
            )
        user, password = services.account_create(
            username=form["username"],
            full_name=form["full_name"],
            email=form["email"],
            unit=unit,
            roles=request.POST.getlist("roles"),
            by=request.user,
        )
    except UserError as exc:
        # The page comes back with what was typed, so that one wrong field is all there is to fix.
        messages.error(request, str(exc))
        return _page(request, status=400, form={**form, "roles": ",".join(request.POST.getlist("roles"))})
    return _issued(request, user, password, created=True)


@office_page
@require_POST
@never_cache
def account_reset(request: SignedInRequest, pk: int) -> HttpResponse:
    account = selectors.account_get_for(user=request.user, pk=pk)
    try:
        password = services.account_password_reset(user=account, by=request.user)
    except UserError as exc:
        messages.error(request, str(exc))
        return redirect("web:accounts")
    return _issued(request, account, password, created=False)


@office_page
@require_POST
def account_active(request: SignedInRequest, pk: int, active: bool) -> HttpResponse:
    account = selectors.account_get_for(user=request.user, pk=pk)
    try:
        if not active:
            services.account_deactivate(user=account, by=request.user)
            messages.success(request, _("已停用账号 %(name)s") % {"name": account.get_username()})
        else:
            services.account_activate(user=account, by=request.user)
            messages.success(request, _("已启用账号 %(name)s") % {"name": account.get_username()})
    except UserError as exc:
        messages.error(request, str(exc))
    return redirect("web:accounts")


@office_page
@require_POST
def account_roles(request: SignedInRequest, pk: int) -> HttpResponse:
    account = selectors.account_get_for(user=request.user, pk=pk)
    try:
        services.account_roles_set(user=account, roles=request.POST.getlist("roles"), by=request.user)
        messages.success(request, _("已更新 %(name)s 的角色") % {"name": account.get_username()})
    except UserError as exc:
        messages.error(request, str(exc))
    return redirect("web:accounts")


@login_required
@never_cache
def password_change(request: SignedInRequest) -> HttpResponse:
    """修改密码: the person's own; the first time after a temporary password, before any other page."""
    forced = access_for(request.user).password_must_change
    target = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = ""
    if request.method == "POST":
        try:
            user = services.password_change_own(
                user=request.user,
                current_password=None if forced else request.POST.get("current", ""),
                new_password=request.POST.get("new", ""),
                repeat=request.POST.get("repeat", ""),
            )
        except UserError as exc:
            messages.error(request, str(exc))
        else:
            # The session survives its own password change; every other session of the person ends.
            update_session_auth_hash(request, user)
            messages.success(request, _("密码已更新"))
            if target:
                return redirect(target)
            return redirect("web:work" if access_for(user).unit_id else "web:overview")
    return render(request, "duban/password.html", {"forced": forced, "next": target})
