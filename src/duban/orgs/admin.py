from django.contrib import admin

from duban.audit.admin import AuditedAdmin
from duban.orgs.models import Collective, CollectiveAlias, OrgAlias, OrgSuccession, OrgUnit


class OrgAliasInline(admin.TabularInline):
    model = OrgAlias
    extra = 1


class SuccessionInline(admin.TabularInline):
    model = OrgSuccession
    fk_name = "predecessor"
    extra = 0
    autocomplete_fields = ["successor"]


@admin.register(OrgUnit)
class OrgUnitAdmin(AuditedAdmin):
    list_display = ["code", "name", "short_name", "kind", "level", "parent", "valid_from", "valid_to"]
    list_filter = ["kind", "level"]
    search_fields = ["code", "name", "short_name", "aliases__name"]
    autocomplete_fields = ["parent", "stat_parent"]
    inlines = [OrgAliasInline, SuccessionInline]


@admin.register(OrgSuccession)
class OrgSuccessionAdmin(AuditedAdmin):
    list_display = ["predecessor", "successor", "effective", "kind"]
    autocomplete_fields = ["predecessor", "successor"]


class CollectiveAliasInline(admin.TabularInline):
    model = CollectiveAlias
    extra = 1


@admin.register(Collective)
class CollectiveAdmin(AuditedAdmin):
    list_display = ["term", "region"]
    filter_horizontal = ["members"]
    inlines = [CollectiveAliasInline]
