from django.contrib import admin
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from duban.audit.admin import AuditedAdmin
from duban.indicators.models import (
    DataElement,
    DataValue,
    Facility,
    IndicatorSeries,
    JurisdictionTarget,
    TargetBinding,
)


@admin.register(DataElement)
class DataElementAdmin(AuditedAdmin):
    list_display = ["code", "name", "unit", "kind"]


@admin.register(DataValue)
class DataValueAdmin(AuditedAdmin):
    list_display = ["org", "element", "period", "value", "is_sample", "source"]
    list_filter = ["element", "granularity", "is_sample"]
    search_fields = ["org__name", "org__code"]
    autocomplete_fields = ["org"]


@admin.register(Facility)
class FacilityAdmin(AuditedAdmin):
    list_display = ["facility_id", "name", "kind", "nature", "org", "beds", "places", "opened", "closed", "is_sample"]
    list_filter = ["kind", "nature", "is_sample"]
    search_fields = ["facility_id", "name", "org__name"]
    autocomplete_fields = ["org"]


@admin.register(TargetBinding)
class TargetBindingAdmin(AuditedAdmin):
    list_display = ["target", "indicator"]


@admin.register(JurisdictionTarget)
class JurisdictionTargetAdmin(AuditedAdmin):
    list_display = ["target", "org", "value"]
    autocomplete_fields = ["org"]


@admin.register(IndicatorSeries)
class IndicatorSeriesAdmin(admin.ModelAdmin):
    """Computed series: read only, they are rewritten by every computation."""

    list_display = ["indicator", "org", "latest", "computed"]
    list_filter = ["indicator"]
    search_fields = ["org__name", "org__code"]
    readonly_fields = ["indicator", "org", "computed", "table"]
    exclude = ["periods", "numerators", "denominators", "values", "reasons"]

    @admin.display(description=_("最新值"))
    def latest(self, obj: IndicatorSeries) -> str:
        known = [v for v in obj.points() if v.value is not None]
        return f"{known[-1].value:.4g}（{known[-1].period}）" if known else "—"

    @admin.display(description=_("各期数值"))
    def table(self, obj: IndicatorSeries) -> str:
        return format_html_join(
            "\n",
            "<div>{}：{}（{} / {}，{}）</div>",
            (
                (
                    v.period,
                    "—" if v.value is None else f"{v.value:.4g}",
                    v.numerator,
                    v.denominator,
                    IndicatorSeries.Reason(v.reason).label,
                )
                for v in obj.points()
            ),
        )

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False
