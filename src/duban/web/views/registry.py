"""单位登记: the office uploads the units and areas, renames and collectives of a province — the same files, and
the same import, as ``duban import-orgs``. Only the office reaches the page; anyone else gets 404."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from duban.core.errors import UserError
from duban.core.uploads import MAX_TABLE_BYTES
from duban.orgs.services import RegistryError, registry_import_upload
from duban.web.views.base import SignedInRequest, office_page


@office_page
@require_http_methods(["GET", "POST"])
def registry(request: SignedInRequest) -> HttpResponse:
    context: dict[str, object] = {"max_mb": MAX_TABLE_BYTES // 1024 // 1024}
    if request.method == "GET":
        return render(request, "duban/registry.html", context)
    uploads = request.FILES.getlist("files")
    try:
        # Refused before reading: the size the browser sent is enough to know a file is too large.
        too_large = [u.name for u in uploads if u.size is not None and u.size > MAX_TABLE_BYTES]
        if too_large:
            raise UserError(f"{'、'.join(str(n) for n in too_large)}: 超过上限 {context['max_mb']} MB (too large)")
        result = registry_import_upload(files=[(u.name or "upload", u.read()) for u in uploads], by=request.user)
    except RegistryError as exc:
        context.update(problems=exc.rows, error=None if exc.rows else str(exc))
        return render(request, "duban/registry.html", context, status=400)
    except UserError as exc:
        context.update(error=str(exc))
        return render(request, "duban/registry.html", context, status=400)
    context.update(result=result, names=[u.name for u in uploads])
    return render(request, "duban/registry.html", context)
