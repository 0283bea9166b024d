from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "duban.plans"
    verbose_name = "方案与任务"
    default_auto_field = "django.db.models.BigAutoField"
