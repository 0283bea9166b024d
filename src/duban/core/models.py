"""数据版本: the one record of "the data behind the pages has changed" that every process can read."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DataChange(models.Model):
    """One write that changes what the pages show (an import, a recomputation, a report, a closure …).

    Rows are only ever added, so writers never wait on each other's lock; the newest key is the data version
    that page and status caches are keyed on, and it is the same for every worker and machine because it
    lives in the database.
    """

    what = models.CharField(_("变更内容"), max_length=100)
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("数据变更")
        verbose_name_plural = _("数据变更")

    def __str__(self) -> str:
        return f"{self.pk} {self.what}"
