from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "duban.orgs"
    verbose_name = "单位与地区"
    default_auto_field = "django.db.models.BigAutoField"
