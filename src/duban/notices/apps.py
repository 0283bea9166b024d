from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "duban.notices"
    verbose_name = "提醒与通知"
    default_auto_field = "django.db.models.BigAutoField"
