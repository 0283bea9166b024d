from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "duban.reporting"
    verbose_name = "进展报送"
    default_auto_field = "django.db.models.BigAutoField"
