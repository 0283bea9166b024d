from django.contrib.auth import views as auth_views
from django.urls import path

from duban.web import views, work

app_name = "web"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("indicators/<slug:code>/", views.indicator, name="indicator"),
    path("tasks/<int:number>/", views.task, name="task"),
    path("units/<str:code>/", views.unit, name="unit"),
    path("matrix/", views.matrix, name="matrix"),
    path("search/", views.search, name="search"),
    path("work/", work.workspace, name="work"),
    path("rounds/<int:round_pk>/assignments/<int:assignment_pk>/report", work.report_start, name="report_start"),
    path("reports/<int:pk>/", work.report, name="report"),
    path("reports/<int:pk>/save", work.report_save, name="report_save"),
    path("reports/<int:pk>/evidence", work.evidence_upload, name="evidence_upload"),
    path("reports/<int:pk>/<slug:action>", work.report_action, name="report_action"),
    path("evidence/<int:pk>/", work.evidence_download, name="evidence"),
    path("evidence/<int:pk>/delete", work.evidence_delete, name="evidence_delete"),
    path("office/", work.office, name="office"),
    path("office/rounds/add", work.round_add, name="round_add"),
    path("office/rounds/<int:round_pk>/remind/<str:unit_code>", work.office_remind, name="office_remind"),
    path("tasks/<int:number>/<slug:action>", work.task_closure, name="task_closure"),
    path("inbox/", work.inbox, name="inbox"),
    path("inbox/read", work.inbox_read, name="inbox_read"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/login/", auth_views.LoginView.as_view(template_name="duban/login.html"), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
]
