"""The Django admin for staff: browse and correct rows. Caseworkers use the registry pages."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Field, QuerySet
from django.forms import Field as FormField
from django.forms import ModelForm
from django.http import HttpRequest

from legalstay.web.registry.answers import TriStateField
from legalstay.web.registry.models import (
    Application,
    ApplicationEvent,
    Document,
    FamilyLink,
    Person,
    StayAbroad,
    Title,
)
from legalstay.web.registry.search import person_search_filter


class DocumentInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Document
    extra = 0
    fields = ("kind", "issuer", "number", "issued", "expires", "status")


class TitleInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Title
    extra = 0
    fields = ("kind", "ground", "valid_from", "valid_to", "decision_number")


class StayAbroadInline(admin.TabularInline):  # type: ignore[type-arg]
    model = StayAbroad
    extra = 0


class FamilyLinkInline(admin.TabularInline):  # type: ignore[type-arg]
    # Read-only: links come in pairs (both directions), which only the services keep together.
    model = FamilyLink
    fk_name = "person"
    extra = 0
    fields = ("relation", "relative")
    readonly_fields = ("relation", "relative")
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("surname_latin", "given_names_latin", "surname", "given_names", "birth_date")
    # Any value turns the search box on; get_search_results() uses the registry's own search.
    search_fields = ("surname_latin",)
    readonly_fields = ("uid", "external_id", "created_at", "updated_at")
    inlines = (DocumentInline, TitleInline, StayAbroadInline, FamilyLinkInline)
    ordering = ("surname_latin", "given_names_latin", "id")

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Person], search_term: str
    ) -> tuple[QuerySet[Person], bool]:
        if not search_term.strip():
            return queryset, False
        return queryset.filter(person_search_filter(search_term)), False

    def save_model(
        self, request: HttpRequest, obj: Person, form: ModelForm[Person], change: bool
    ) -> None:
        obj.refresh_name_keys()
        super().save_model(request, obj, form, change)


class ApplicationEventInline(admin.TabularInline):  # type: ignore[type-arg]
    model = ApplicationEvent
    extra = 0
    fields = ("kind", "date", "outcome")


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("kind", "filed", "authority", "case_number", "formally_complete")
    list_filter = ("kind", "channel", "formally_complete")
    list_select_related = ("person",)
    raw_id_fields = ("person",)
    inlines = (ApplicationEventInline,)

    def formfield_for_dbfield(
        self, db_field: Field[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> FormField | None:
        # As on the registry's form: a value the select does not post is refused, not unknown.
        if db_field.name == "formally_complete":
            kwargs["form_class"] = TriStateField
        return super().formfield_for_dbfield(db_field, request, **kwargs)


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("kind", "issuer", "number", "expires", "status")
    list_filter = ("kind", "status")
    search_fields = ("number",)
    raw_id_fields = ("person",)
