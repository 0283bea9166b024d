from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "duban.core"
    verbose_name = _("基础")
    default_auto_field = "django.db.models.BigAutoField"
