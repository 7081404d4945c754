"""Issue 17, item 2: forms the DSFR way — an error summary at the top linking to each field in error, the
typed input kept, explicit empty choices instead of "---------", optional fields marked."""

import re

import pytest
from django import forms
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from core.templatetags.site_tags import form_errors
from tests.factories import CrmrFactory, coordinator_user

pytestmark = pytest.mark.django_db


class Sample(forms.Form):
    name = forms.CharField(label="Nom")
    kind = forms.ChoiceField(label="Nature", choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect)
    hospital = forms.ChoiceField(label="Hôpital", choices=[("", "---------"), ("1", "CHU")])
    note = forms.ChoiceField(label="Note", choices=[("", "---------"), ("1", "Un")], required=False)

    def clean(self):
        raise forms.ValidationError("Le dossier est incomplet.")


def test_the_summary_lists_each_error_with_a_link_to_its_field_and_the_form_errors_without_one():
    form = Sample(data={"name": "", "note": "1"})
    errors = form_errors(Context({"form": form, "unbound": Sample()}))
    assert [(e["label"], e["anchor"]) for e in errors] == [
        ("Nom", "id_name"),
        ("Nature", "id_kind_0"),  # a radio group: its first option takes the focus
        ("Hôpital", "id_hospital"),
        ("", ""),  # "Le dossier est incomplet." concerns the whole form
    ]
    assert errors[-1]["message"] == "Le dossier est incomplet."


def test_the_summary_is_rendered_with_its_links_and_is_focusable():
    request = RequestFactory().get("/")
    html = Template("{% load site_tags %}{% error_summary %}").render(
        Context({"form": Sample(data={}), "request": request})
    )
    assert 'id="error-summary" tabindex="-1"' in html
    assert "Le formulaire contient 4 erreurs" in html
    assert 'href="#id_name" data-error-field="id_name">Nom : Ce champ est obligatoire.</a>' in html


def test_no_summary_without_errors():
    html = Template("{% load site_tags %}{% error_summary %}").render(Context({"form": Sample()}))
    assert "error-summary" not in html


def test_empty_choices_say_what_to_do_instead_of_dashes():
    html = str(Sample())
    assert "---------" not in html
    assert '<option value="" selected>Sélectionner une option</option>' in html  # required select
    assert '<option value="" selected>Non renseigné</option>' in html  # optional select


def test_a_refused_form_page_shows_the_summary_keeps_the_typed_input_and_marks_optional_fields(client, chu_rennes):
    crmr = CrmrFactory(coordinating_establishment=chu_rennes)
    client.force_login(coordinator_user(crmr))
    url = reverse("crmr_procedures:ccmr_request_create")
    page = client.get(url).content.decode()
    assert "Sauf mention contraire « (facultatif) », tous les champs sont obligatoires." in page
    assert re.search(r"Équipe \(membres et fonctions\) \(facultatif\)", page)
    assert "Nature de la demande (facultatif)" not in page
    assert "---------" not in page

    response = client.post(url, {"crmr": crmr.pk, "team": "Dr Martin, Dr Le Bihan"})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="error-summary"' in page
    assert 'href="#id_kind_0"' in page  # "Nature de la demande" is missing
    assert "Dr Martin, Dr Le Bihan</textarea>" in page  # typed input kept
    assert page.index('id="error-summary"') < page.index("<h1")  # at the top of the page


def test_dsfr_rendered_forms_mark_optional_fields_in_french(client):
    from reporting.forms import LetterExportForm

    html = str(LetterExportForm())
    assert "(facultatif)" in html and "(Optional)" not in html
