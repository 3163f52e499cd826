from django.urls import URLPattern, path

from legalstay.web.registry import views

app_name = "registry"

PERSON = "persons/<uuid:uid>/"


def fact_urls(fact: str, segment: str) -> list[URLPattern]:
    """New, edit and remove pages of one kind of fact (documents, titles …)."""
    kind = {"fact": fact}
    return [
        path(f"{PERSON}{segment}/new/", views.fact_create, kind, name=f"{fact}_create"),
        path(f"{PERSON}{segment}/<int:pk>/edit/", views.fact_edit, kind, name=f"{fact}_edit"),
        path(f"{PERSON}{segment}/<int:pk>/remove/", views.fact_remove, kind, name=f"{fact}_remove"),
    ]


urlpatterns = [
    path("", views.person_list, name="person_list"),
    path("persons/new/", views.person_create, name="person_create"),
    path(PERSON, views.person_detail, name="person_detail"),
    path(f"{PERSON}edit/", views.person_edit, name="person_edit"),
    path(f"{PERSON}facts/", views.person_facts, name="person_facts"),
    path(f"{PERSON}family/", views.family, name="family"),
    path(f"{PERSON}family/add/<str:relation>/", views.relative_add, name="relative_add"),
    path(
        f"{PERSON}family/<uuid:relative_uid>/remove/",
        views.relative_remove,
        name="relative_remove",
    ),
    *fact_urls("document", "documents"),
    *fact_urls("title", "titles"),
    *fact_urls("application", "applications"),
    *fact_urls("stay", "stays-abroad"),
    path(
        f"{PERSON}applications/<int:application_pk>/events/new/",
        views.event_create,
        name="event_create",
    ),
    path(
        f"{PERSON}applications/<int:application_pk>/events/<int:pk>/edit/",
        views.event_edit,
        name="event_edit",
    ),
    path(
        f"{PERSON}applications/<int:application_pk>/events/<int:pk>/remove/",
        views.event_remove,
        name="event_remove",
    ),
]
