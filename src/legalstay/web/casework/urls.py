from django.urls import path

from legalstay.web.casework import views

app_name = "casework"

PERSON = "persons/<uuid:uid>/"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("worklists/<slug:slug>/", views.worklist, name="worklist"),
    path("worklists/<slug:slug>.csv", views.worklist_csv, name="worklist_csv"),
    path(PERSON, views.person, name="person"),
    path(f"{PERSON}assign/", views.assign, name="assign"),
    path(f"{PERSON}applications/new/", views.application_new, name="application_new"),
    path(
        f"{PERSON}applications/<int:application_pk>/steps/new/",
        views.step_new,
        name="step_new",
    ),
    path("alerts/", views.alerts, name="alerts"),
    path(
        "alerts/<int:pk>/acknowledge/",
        views.alert_action,
        {"action": "acknowledge"},
        name="alert_acknowledge",
    ),
    path(
        "alerts/<int:pk>/resolve/", views.alert_action, {"action": "resolve"}, name="alert_resolve"
    ),
]
