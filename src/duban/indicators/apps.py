from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "duban.indicators"
    verbose_name = "指标与数据"
    default_auto_field = "django.db.models.BigAutoField"
