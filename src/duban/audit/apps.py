from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "duban.audit"
    verbose_name = "操作记录"
    default_auto_field = "django.db.models.BigAutoField"
