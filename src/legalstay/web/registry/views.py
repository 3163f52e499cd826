"""Registry pages. Reads go through ``access``, writes through ``services``; forms parse input."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from legalstay.web.registry import access, services
from legalstay.web.registry.forms import (
    GROUND_SUGGESTIONS,
    ApplicationEventForm,
    ApplicationForm,
    DocumentForm,
    LegalFactsForm,
    LinkExistingForm,
    PersonForm,
    StayAbroadForm,
    TitleForm,
    changes_of,
    recorded_facts,
)
from legalstay.web.registry.models import ApplicationEvent, Person, Relation

PAGE_SIZE = 50
RELATIVE_RESULTS = 20


def _save_or_show_errors(form: forms.BaseForm, save: Callable[[], Any]) -> bool:
    """Runs a service; a rule it enforces beyond the form becomes an error on the form."""
    try:
        save()
    except ValidationError as error:
        form.add_error(None, error)
        return False
    return True


# ---------------------------------------------------------------- persons


@require_http_methods(["GET"])
def person_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    persons = access.search_persons_for_user(request.user, query)
    page = Paginator(persons, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "registry/person_list.html", {"page": page, "query": query})


@require_http_methods(["GET", "POST"])
def person_create(request: HttpRequest) -> HttpResponse:
    access.check_may_edit(request.user)
    form = PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        saved: dict[str, Person] = {}

        def save() -> None:
            saved["person"] = services.do_create_person(
                actor=request.user, fields=form.cleaned_data
            )

        if _save_or_show_errors(form, save):
            messages.success(request, _("Person registered."))
            return redirect("registry:person_detail", uid=saved["person"].uid)
    return render(request, "registry/person_form.html", {"form": form, "heading": _("New person")})


@require_http_methods(["GET"])
def person_detail(request: HttpRequest, uid: str) -> HttpResponse:
    person = access.get_person_page_for_user(request.user, uid)
    context = {"person": person, "legal_facts": recorded_facts(person)}
    return render(request, "registry/person_detail.html", context)


@require_http_methods(["GET", "POST"])
def person_edit(request: HttpRequest, uid: str) -> HttpResponse:
    access.check_may_edit(request.user)
    person = access.get_person_for_user(request.user, uid)
    form = PersonForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():

        def save() -> None:
            services.do_update_person(actor=request.user, person=person, changes=changes_of(form))

        if _save_or_show_errors(form, save):
            messages.success(request, _("Changes saved."))
            return redirect("registry:person_detail", uid=person.uid)
    context = {"form": form, "person": person, "heading": _("Edit person")}
    return render(request, "registry/person_form.html", context)


@require_http_methods(["GET", "POST"])
def person_facts(request: HttpRequest, uid: str) -> HttpResponse:
    """The facts the law asks about that no document shows (Karta Polaka, a marriage to a
    Polish citizen, …): recorded here, they decide what "cannot tell yet" left open."""
    access.check_may_edit(request.user)
    person = access.get_person_for_user(request.user, uid)
    form = LegalFactsForm(request.POST or None, person=person)
    if request.method == "POST" and form.is_valid():
        changed = False

        def save() -> None:
            nonlocal changed
            changed = services.do_update_person_facts(
                actor=request.user, person=person, update=form.update
            )

        if _save_or_show_errors(form, save):
            messages.success(
                request, _("Facts saved; status recomputed.") if changed else _("No change.")
            )
            return redirect(reverse("casework:person", kwargs={"uid": person.uid}) + "#eligibility")
    heading = _("Facts the law asks about")
    context = {"form": form, "person": person, "heading": heading}
    return render(request, "registry/person_form.html", context)


# ---------------------------------------------------------------- family


@require_http_methods(["GET"])
def family(request: HttpRequest, uid: str) -> HttpResponse:
    person = access.get_person_for_user(request.user, uid)
    members = access.household_for_user(request.user, person)
    return render(request, "registry/family.html", {"person": person, "members": members})


RELATION_HEADINGS: dict[str, Promise] = {
    Relation.PARENT: gettext_lazy("Add a parent"),
    Relation.CHILD: gettext_lazy("Add a child"),
    Relation.SPOUSE: gettext_lazy("Add a spouse"),
}


@require_http_methods(["GET", "POST"])
def relative_add(request: HttpRequest, uid: str, relation: str) -> HttpResponse:
    access.check_may_edit(request.user)
    if relation not in RELATION_HEADINGS:
        raise Http404
    person = access.get_person_for_user(request.user, uid)
    action = request.POST.get("action")
    link_form = LinkExistingForm(request.POST if action == "link" else None)
    new_form = PersonForm(
        request.POST if action == "new" else None,
        prefix="new",
        initial=_new_relative_initial(person, relation),
    )
    if _relative_saved(request, person, relation, link_form if action == "link" else new_form):
        return redirect("registry:family", uid=person.uid)
    query = request.GET.get("q", "").strip()
    candidates = (
        access.search_persons_for_user(request.user, query).exclude(pk=person.pk)[:RELATIVE_RESULTS]
        if query
        else []
    )
    context = {
        "person": person,
        "relation": relation,
        "heading": RELATION_HEADINGS[relation],
        "query": query,
        "candidates": candidates,
        "link_form": link_form,
        "new_form": new_form,
    }
    return render(request, "registry/relative_add.html", context)


def _relative_saved(
    request: HttpRequest, person: Person, relation: str, form: LinkExistingForm | PersonForm
) -> bool:
    if not form.is_bound or not form.is_valid():
        return False
    if isinstance(form, LinkExistingForm):
        return _link_existing(request, person, relation, form)
    return _create_relative(request, person, relation, form)


def _new_relative_initial(person: Person, relation: str) -> dict[str, Any]:
    # A child usually shares the parent's surname and citizenship; saves typing, easy to change.
    if relation != Relation.CHILD:
        return {}
    # The Latin surname is left to the transliteration (so it follows a change to the
    # original), unless the parent was registered in Latin letters only.
    latin = "" if person.surname else person.surname_latin
    return {"surname": person.surname, "surname_latin": latin, "citizenships": person.citizenships}


def _link_existing(
    request: HttpRequest, person: Person, relation: str, form: LinkExistingForm
) -> bool:
    try:
        relative = access.get_person_for_user(request.user, form.cleaned_data["relative"])
    except Http404:
        form.add_error("relative", _("There is no such person in the registry."))
        return False

    def save() -> None:
        services.do_link_relative(
            actor=request.user, person=person, relative=relative, relation=relation
        )

    if _save_or_show_errors(form, save):
        messages.success(request, _("Family link added."))
        return True
    return False


def _create_relative(request: HttpRequest, person: Person, relation: str, form: PersonForm) -> bool:
    def save() -> None:
        services.do_create_relative(
            actor=request.user, person=person, relation=relation, fields=form.cleaned_data
        )

    if _save_or_show_errors(form, save):
        messages.success(request, _("Person registered and linked."))
        return True
    return False


@require_http_methods(["GET", "POST"])
def relative_remove(request: HttpRequest, uid: str, relative_uid: str) -> HttpResponse:
    access.check_may_edit(request.user)
    person = access.get_person_for_user(request.user, uid)
    relative = access.get_relative_for_user(request.user, person, relative_uid)
    if request.method == "POST":
        services.do_unlink_relative(actor=request.user, person=person, relative=relative)
        messages.success(request, _("Family link removed."))
        return redirect("registry:person_detail", uid=person.uid)
    question = _("Remove the family link between %(person)s and %(relative)s?") % {
        "person": person.display_name,
        "relative": relative.display_name,
    }
    return render(request, "registry/confirm_remove.html", {"person": person, "question": question})


# ---------------------------------------------------------------- facts


@dataclass(frozen=True)
class FactPage:
    """How the create, edit and remove pages of one kind of fact differ from the others."""

    form_class: type[forms.ModelForm[Any]]
    new_heading: Promise
    edit_heading: Promise
    anchor: str
    fetch: Callable[..., models.Model]
    add: Callable[..., models.Model]
    update: Callable[..., models.Model]
    instance_name: str


FACT_PAGES = {
    "document": FactPage(
        DocumentForm,
        gettext_lazy("New document"),
        gettext_lazy("Edit document"),
        "documents",
        access.get_document_for_user,
        services.do_add_document,
        services.do_update_document,
        "document",
    ),
    "title": FactPage(
        TitleForm,
        gettext_lazy("New residence title"),
        gettext_lazy("Edit residence title"),
        "titles",
        access.get_title_for_user,
        services.do_add_title,
        services.do_update_title,
        "title",
    ),
    "application": FactPage(
        ApplicationForm,
        gettext_lazy("New application"),
        gettext_lazy("Edit application"),
        "applications",
        access.get_application_for_user,
        services.do_add_application,
        services.do_update_application,
        "application",
    ),
    "stay": FactPage(
        StayAbroadForm,
        gettext_lazy("New stay abroad"),
        gettext_lazy("Edit stay abroad"),
        "stays",
        access.get_stay_for_user,
        services.do_add_stay_abroad,
        services.do_update_stay_abroad,
        "stay",
    ),
}


def _person_page(person: Person, anchor: str) -> str:
    return reverse("registry:person_detail", kwargs={"uid": person.uid}) + f"#{anchor}"


def _fact_form_page(
    request: HttpRequest,
    person: Person,
    page: FactPage,
    form: forms.ModelForm[Any],
    heading: Promise,
) -> HttpResponse:
    context = {
        "person": person,
        "form": form,
        "heading": heading,
        "grounds": GROUND_SUGGESTIONS,
        "back": _person_page(person, page.anchor),
    }
    template = (
        "registry/document_form.html"
        if isinstance(form, DocumentForm)
        else ("registry/fact_form.html")
    )
    return render(request, template, context)


@require_http_methods(["GET", "POST"])
def fact_create(request: HttpRequest, uid: str, fact: str) -> HttpResponse:
    return _fact_form(request, uid, FACT_PAGES[fact], pk=None)


@require_http_methods(["GET", "POST"])
def fact_edit(request: HttpRequest, uid: str, fact: str, pk: int) -> HttpResponse:
    return _fact_form(request, uid, FACT_PAGES[fact], pk=pk)


def _fact_form(request: HttpRequest, uid: str, page: FactPage, pk: int | None) -> HttpResponse:
    access.check_may_edit(request.user)
    person = access.get_person_for_user(request.user, uid)
    heading = page.edit_heading if pk else page.new_heading
    instance = (
        page.fetch(request.user, person, pk) if pk else page.form_class._meta.model(person=person)
    )
    form = page.form_class(request.POST or None, instance=instance)
    if request.method == "POST" and request.POST.get("action") == "fill":
        assert isinstance(form, DocumentForm)
        return _fact_form_page(request, person, page, form.filled_from_mrz(), heading)
    if request.method == "POST" and form.is_valid():

        def save() -> None:
            if pk:
                changes = changes_of(form)
                page.update(actor=request.user, **{page.instance_name: instance}, changes=changes)
            else:
                page.add(actor=request.user, person=person, fields=form.cleaned_data)

        if _save_or_show_errors(form, save):
            messages.success(request, _("Saved."))
            return redirect(_person_page(person, page.anchor))
    return _fact_form_page(request, person, page, form, heading)


@require_http_methods(["GET", "POST"])
def fact_remove(request: HttpRequest, uid: str, fact: str, pk: int) -> HttpResponse:
    access.check_may_edit(request.user)
    person = access.get_person_for_user(request.user, uid)
    page = FACT_PAGES[fact]
    instance = page.fetch(request.user, person, pk)
    if request.method == "POST":
        services.do_remove_fact(actor=request.user, fact=instance)
        messages.success(request, _("Removed."))
        return redirect(_person_page(person, page.anchor))
    question = _("Remove this %(kind)s: %(what)s?") % {
        "kind": instance._meta.verbose_name,
        "what": str(instance),
    }
    return render(request, "registry/confirm_remove.html", {"person": person, "question": question})


# ---------------------------------------------------------------- application events


@require_http_methods(["GET", "POST"])
def event_create(request: HttpRequest, uid: str, application_pk: int) -> HttpResponse:
    return _event_form(request, uid, application_pk, event_pk=None)


@require_http_methods(["GET", "POST"])
def event_edit(request: HttpRequest, uid: str, application_pk: int, pk: int) -> HttpResponse:
    return _event_form(request, uid, application_pk, event_pk=pk)


def _event_form(
    request: HttpRequest, uid: str, application_pk: int, event_pk: int | None
) -> HttpResponse:
    access.check_may_edit(request.user)
    person = access.get_person_for_user(request.user, uid)
    application = access.get_application_for_user(request.user, person, application_pk)
    event = (
        access.get_event_for_user(request.user, application, event_pk)
        if event_pk
        else ApplicationEvent(application=application)
    )
    form = ApplicationEventForm(request.POST or None, instance=event)
    if request.method == "POST" and form.is_valid():

        def save() -> None:
            if event_pk:
                services.do_update_application_event(
                    actor=request.user, event=event, changes=changes_of(form)
                )
            else:
                services.do_add_application_event(
                    actor=request.user, application=application, fields=form.cleaned_data
                )

        if _save_or_show_errors(form, save):
            messages.success(request, _("Saved."))
            return redirect(_person_page(person, "applications"))
    heading = (
        _("Edit event")
        if event_pk
        else _("New event: %(application)s") % {"application": application.get_kind_display()}
    )
    context = {
        "person": person,
        "form": form,
        "heading": heading,
        "back": _person_page(person, "applications"),
    }
    return render(request, "registry/fact_form.html", context)


@require_http_methods(["GET", "POST"])
def event_remove(request: HttpRequest, uid: str, application_pk: int, pk: int) -> HttpResponse:
    access.check_may_edit(request.user)
    person = access.get_person_for_user(request.user, uid)
    application = access.get_application_for_user(request.user, person, application_pk)
    event = access.get_event_for_user(request.user, application, pk)
    if request.method == "POST":
        try:
            services.do_remove_fact(actor=request.user, fact=event)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Removed."))
        return redirect(_person_page(person, "applications"))
    question = _("Remove the event “%(event)s” of %(date)s?") % {
        "event": event.get_kind_display(),
        "date": event.date.isoformat() if event.date else "—",
    }
    return render(request, "registry/confirm_remove.html", {"person": person, "question": question})
