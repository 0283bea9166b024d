from django.contrib.auth import views as auth_views
from django.urls import path

from duban.web import views

app_name = "web"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("indicators/<slug:code>/", views.indicator, name="indicator"),
    path("tasks/<int:number>/", views.task, name="task"),
    path("units/<str:code>/", views.unit, name="unit"),
    path("matrix/", views.matrix, name="matrix"),
    path("search/", views.search, name="search"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/login/", auth_views.LoginView.as_view(template_name="duban/login.html"), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
]
