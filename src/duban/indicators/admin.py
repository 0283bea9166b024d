from django.contrib import admin

from duban.indicators.models import DataElement, DataValue, Facility, IndicatorValue, JurisdictionTarget, TargetBinding


@admin.register(DataElement)
class DataElementAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "unit", "kind"]


@admin.register(DataValue)
class DataValueAdmin(admin.ModelAdmin):
    list_display = ["org", "element", "period", "value", "is_sample", "source"]
    list_filter = ["element", "granularity", "is_sample"]
    search_fields = ["org__name", "org__code"]
    autocomplete_fields = ["org"]


@admin.register(Facility)
class FacilityAdmin(admin.ModelAdmin):
    list_display = ["facility_id", "name", "kind", "nature", "org", "beds", "places", "opened", "closed", "is_sample"]
    list_filter = ["kind", "nature", "is_sample"]
    search_fields = ["facility_id", "name", "org__name"]
    autocomplete_fields = ["org"]


@admin.register(TargetBinding)
class TargetBindingAdmin(admin.ModelAdmin):
    list_display = ["target", "indicator"]


@admin.register(JurisdictionTarget)
class JurisdictionTargetAdmin(admin.ModelAdmin):
    list_display = ["target", "org", "value"]
    autocomplete_fields = ["org"]


@admin.register(IndicatorValue)
class IndicatorValueAdmin(admin.ModelAdmin):
    """Computed values: read only, they are rewritten by every computation."""

    list_display = ["indicator", "org", "period", "value", "numerator", "denominator", "reason"]
    list_filter = ["indicator", "reason"]
    search_fields = ["org__name", "org__code"]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False
