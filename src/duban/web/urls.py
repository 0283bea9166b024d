from django.contrib.auth import views as auth_views
from django.urls import path

from duban.web.views import (
    accounts,
    closure,
    dashboard,
    dataimport,
    health,
    imports,
    inbox,
    office,
    registry,
    reports,
    shares,
    workspace,
)

app_name = "web"

urlpatterns = [
    # The dashboard
    path("", dashboard.overview, name="overview"),
    path("indicators/<slug:code>/", dashboard.indicator, name="indicator"),
    path("tasks/<int:number>/", dashboard.task, name="task"),
    path("units/<str:code>/", dashboard.unit, name="unit"),
    path("matrix/", dashboard.matrix, name="matrix"),
    path("summary/", dashboard.summary, name="summary"),
    path("search/", dashboard.search, name="search"),
    # A unit's reporting work
    path("work/", workspace.workspace, name="work"),
    path("rounds/<int:round_pk>/assignments/<int:assignment_pk>/report", workspace.report_start, name="report_start"),
    path("reports/<int:pk>/", reports.report, name="report"),
    path("reports/<int:pk>/save", reports.report_save, name="report_save"),
    path("reports/<int:pk>/evidence", reports.evidence_upload, name="evidence_upload"),
    path("reports/<int:pk>/<slug:action>", reports.report_action, name="report_action"),
    path("evidence/<int:pk>/", reports.evidence_download, name="evidence"),
    path("evidence/<int:pk>/delete", reports.evidence_delete, name="evidence_delete"),
    # The office
    path("office/", office.office, name="office"),
    path("office/rounds/add", office.round_add, name="round_add"),
    path("office/rounds/<int:round_pk>/remind/<str:unit_code>", office.office_remind, name="office_remind"),
    path("office/rounds/<int:round_pk>/remind-all", office.office_remind_all, name="office_remind_all"),
    path("tasks/<int:number>/<slug:action>", closure.task_closure, name="task_closure"),
    # The office shares province targets among the jurisdictions (目标分解)
    path("office/shares/", shares.shares, name="shares"),
    path("office/shares/<int:pk>", shares.shares_set, name="shares_set"),
    # The office starts plans from their documents (方案导入)
    path("office/imports/", imports.import_list, name="imports"),
    path("office/imports/upload", imports.import_upload, name="import_upload"),
    path("office/imports/<int:pk>/", imports.import_review, name="import_review"),
    path("office/imports/<int:pk>/save", imports.import_save, name="import_save"),
    path("office/imports/<int:pk>/import", imports.import_commit, name="import_commit"),
    path("office/imports/<int:pk>/discard", imports.import_discard, name="import_discard"),
    path("office/imports/<int:pk>/mapping.csv", imports.import_mapping, name="import_mapping"),
    # The office loads data and facilities (数据导入)
    path("office/data/", dataimport.data_import, name="data_import"),
    path("office/data/check", dataimport.data_import_check, name="data_import_check"),
    path("office/data/template", dataimport.data_template, name="data_template"),
    path("office/data/facility-template", dataimport.facility_template, name="facility_template"),
    path("office/data/jobs/<int:pk>/", dataimport.import_job, name="import_job"),
    path("office/data/jobs/<int:pk>/status", dataimport.import_job_status, name="import_job_status"),
    path("office/data/jobs/<int:pk>/<slug:action>", dataimport.import_job_action, name="import_job_action"),
    # The office's people (单位账号) and everyone's own password
    path("office/accounts/", accounts.accounts, name="accounts"),
    path("office/accounts/add", accounts.account_add, name="account_add"),
    path("office/accounts/<int:pk>/reset", accounts.account_reset, name="account_reset"),
    path("office/accounts/<int:pk>/roles", accounts.account_roles, name="account_roles"),
    path("office/accounts/<int:pk>/deactivate", accounts.account_active, {"active": False}, name="account_deactivate"),
    path("office/accounts/<int:pk>/activate", accounts.account_active, {"active": True}, name="account_activate"),
    path("office/registry/", registry.registry, name="registry"),
    path("accounts/password/", accounts.password_change, name="password"),
    # Everyone's notices
    path("inbox/", inbox.inbox, name="inbox"),
    path("inbox/read", inbox.inbox_read, name="inbox_read"),
    path("healthz", health.healthz, name="healthz"),
    path("accounts/login/", auth_views.LoginView.as_view(template_name="duban/login.html"), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
]
