"""Sending deliveries by e-mail and webhook, each claimed before it is sent, and starting failed ones over."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from duban.audit.services import audit_record
from duban.core.users import Actor
from duban.notices.models import Delivery, Notice
from duban.notices.selectors import deliveries_sendable
from duban.notices.services.results import SendResult
from duban.notices.services.wording import inbox_link

Kind = Notice.Kind
Audience = Notice.Audience

# Enough of an error to diagnose it without letting a web server's error page fill the table.
ERROR_CHARS = 1000


def deliveries_send(*, now: datetime | None = None, notice: Notice | None = None) -> list[SendResult]:
    """Send every delivery not yet sent (of ``notice`` only, if given), earlier failures included, until
    each has had ``NOTICE_MAX_ATTEMPTS`` tries (then the admin's "重新发送" starts it over). Each delivery is
    claimed before it is sent, so that two runs at once never send it twice; a failure is recorded on its
    delivery and never stops the others."""
    candidates = deliveries_sendable(now=now)
    if notice is not None:
        candidates = candidates.filter(notice=notice)
    results: list[SendResult] = []
    for pk, attempts in list(candidates.order_by("pk").values_list("pk", "attempts")):
        stamp = now or timezone.now()
        # Claim it first, in its own committed statement (state "sending", the attempt counted): a second run
        # that listed the same delivery finds it claimed and leaves it. No row lock is held over the network
        # call, and this works on SQLite, which has no SELECT … FOR UPDATE.
        claimed = deliveries_sendable(now=stamp).filter(pk=pk, attempts=attempts)
        if not claimed.update(state=Delivery.State.SENDING, attempts=attempts + 1, last_try_at=stamp):
            continue
        delivery = Delivery.objects.select_related("notice__unit", "notice__round").get(pk=pk)
        error = _deliver(delivery)
        if error:
            delivery.state = Delivery.State.FAILED
            delivery.last_error = error[:ERROR_CHARS]
        else:
            delivery.state = Delivery.State.SENT
            delivery.sent_at = stamp
        delivery.save(update_fields=["state", "last_error", "sent_at"])
        results.append(
            SendResult(
                delivery_id=delivery.pk,
                notice_id=delivery.notice_id,
                channel=delivery.channel,
                address=delivery.address,
                ok=not error,
                error=delivery.last_error if error else "",
                attempts=delivery.attempts,
            )
        )
    return results


def deliveries_retry(*, deliveries: QuerySet[Delivery], by: Actor) -> int:
    """Start failed deliveries over (attempts back to 0); the next run sends them. Returns how many."""
    with transaction.atomic():
        failed = list(deliveries.filter(state=Delivery.State.FAILED).values_list("pk", flat=True))
        Delivery.objects.filter(pk__in=failed).update(attempts=0, state=Delivery.State.PENDING)
        if failed:
            audit_record(
                actor=by,
                action="delivery_retry",
                object_type="notices.delivery",
                object_repr=f"{len(failed)} 条投递",
                after={"deliveries": failed},
            )
    return len(failed)


def _deliver(delivery: Delivery) -> str:
    """Send one delivery; the error as text, or "" when it went out."""
    try:
        if delivery.channel == Delivery.Channel.EMAIL:
            notice = delivery.notice
            send_mail(notice.subject, notice.body, settings.DEFAULT_FROM_EMAIL, [delivery.address], fail_silently=False)
        elif delivery.channel == Delivery.Channel.WEBHOOK:
            _post(delivery.address, webhook_payload(delivery.notice))
        else:
            return f"未知渠道 {delivery.channel}"
    except Exception as exc:
        # Whatever went wrong — a refused connection, an SMTP error, a bad address — is this delivery's
        # failure to record, not the run's.
        return f"{type(exc).__name__}: {exc}"
    return ""


def webhook_payload(notice: Notice) -> dict[str, Any]:
    """The JSON body POSTed to a webhook (docs/reminders.md describes every field)."""
    round_ = notice.round
    return {
        "id": notice.pk,
        "key": notice.key,
        "kind": notice.kind,
        "kind_zh": str(Kind(notice.kind).label),
        "audience": notice.audience,
        "audience_zh": str(Audience(notice.audience).label),
        "unit": {"code": notice.unit.code, "name": notice.unit.name},
        "round": (
            {
                "id": round_.pk,
                "title": round_.title,
                "period": round_.period,
                "due": round_.due.isoformat(),
            }
            if round_ is not None
            else None
        ),
        "report_id": notice.report_id,
        "subject": notice.subject,
        "body": notice.body,
        "created_at": timezone.localtime(notice.created_at).isoformat(),
        "link": inbox_link(),
    }


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirected POST would be repeated as a GET without its body and then look delivered; a redirect is
    therefore an error, and the address should be corrected."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def _post(url: str, payload: dict[str, Any]) -> None:
    scheme = urllib.parse.urlsplit(url).scheme.lower()
    if scheme not in ("http", "https"):
        # urllib would also open file: and ftp: addresses; a notice goes only to a web server.
        raise ValueError(f"推送地址必须以 http:// 或 https:// 开头：{url}")
    data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    request = urllib.request.Request(
        url,
        data=data,
        method="POST",
        headers={"Content-Type": "application/json; charset=utf-8", "User-Agent": "duban-notices/1"},
    )
    opener = urllib.request.build_opener(_NoRedirects)
    with opener.open(request, timeout=settings.NOTICE_WEBHOOK_TIMEOUT) as response:
        status = response.status
        if not 200 <= status < 300:
            raise urllib.error.HTTPError(url, status, f"HTTP {status}", response.headers, None)
