"""Admin guardrails (issue 16, item 4): decided dossiers, issued letters, logs and registry events are
read-only in the admin; a quota cannot go below the labelled centres; a dossier's region and
establishment are not changed there; every admin change is recorded with its fields before and after."""

import pytest
from django.contrib import admin
from django.urls import reverse

from centres.models import Person, RegionalQuota, RegistryEvent
from core.admin import AuditedAdmin
from core.models import AdminChange
from labellisation.models import Application
from tests.activity_reports.factories import labelled_centre
from tests.factories import PersonFactory, admin_user, region
from tests.labellisation.factories import make_application

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    user = admin_user()
    client.force_login(user)
    client.user = user
    return client


def change_url(obj):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def test_every_model_in_the_admin_is_audited():
    unaudited = [m._meta.label for m, a in admin.site._registry.items() if not isinstance(a, AuditedAdmin)]
    assert unaudited == []


def _quota(code="53"):
    return RegionalQuota.objects.get(region=region(code), tranche__number=1)


def test_a_quota_cannot_go_below_the_labelled_centres(admin_client):
    quota = _quota()
    RegionalQuota.objects.filter(pk=quota.pk).update(quota=5)
    labelled_centre("53")
    labelled_centre("53")
    response = admin_client.post(change_url(quota), {"quota": 1})
    assert response.status_code == 200
    assert "inférieur au nombre de CRC SEP déjà labellisés" in response.content.decode()
    quota.refresh_from_db()
    assert quota.quota == 5
    assert not AdminChange.objects.exists()
    assert admin_client.post(change_url(quota), {"quota": 2}).status_code == 302  # down to the labelled: fine


def test_a_quota_change_is_recorded_with_before_and_after(admin_client):
    quota = _quota()
    old = quota.quota
    response = admin_client.post(change_url(quota), {"quota": old + 2})
    assert response.status_code == 302
    change = AdminChange.objects.get()
    assert (change.user, change.action, change.object_id) == (admin_client.user, "change", str(quota.pk))
    assert change.before["quota"] == old and change.after["quota"] == old + 2
    assert change.changed_fields == ["quota"]
    # shown in the admin's journal, with the values before and after
    page = admin_client.get(reverse("admin:core_adminchange_change", args=[change.pk])).content.decode()
    assert "quota" in page and str(old) in page and str(old + 2) in page


def test_the_region_and_tranche_of_a_quota_row_cannot_be_changed(admin_client):
    quota = _quota()
    other = region("11")
    admin_client.post(change_url(quota), {"quota": quota.quota + 1, "region": other.pk})
    quota.refresh_from_db()
    assert quota.region.code == "53"


def test_a_decided_application_is_read_only(admin_client):
    app = make_application(state=Application.State.LABELLED)
    page = admin_client.get(change_url(app))
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert admin_client.post(change_url(app), {"centre_name": "Renommé"}).status_code == 403
    delete = reverse("admin:labellisation_application_delete", args=[app.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    app.refresh_from_db()
    assert app.centre_name != "Renommé"


def test_the_region_and_establishment_of_a_dossier_are_not_editable(admin_client):
    app = make_application(state=Application.State.SUBMITTED)
    html = admin_client.get(change_url(app)).content.decode()
    for field in ("region", "establishment", "hospital", "tranche"):
        assert f'name="{field}"' not in html, field
    assert 'name="centre_name"' in html  # the rest of an undecided dossier stays editable


def test_a_labelled_centre_keeps_its_region_and_establishment(admin_client):
    centre = labelled_centre("53")
    html = admin_client.get(change_url(centre)).content.decode()
    assert 'name="region"' not in html and 'name="establishment"' not in html


@pytest.mark.parametrize("model", ["reporting.letter", "centres.registryevent", "core.adminchange"])
def test_letters_registry_events_and_logs_cannot_be_added_changed_or_deleted(admin_client, model):
    app_label, name = model.split(".")
    assert admin_client.get(reverse(f"admin:{app_label}_{name}_changelist")).status_code == 200
    assert admin_client.get(reverse(f"admin:{app_label}_{name}_add")).status_code == 403


def test_a_registry_event_is_shown_but_not_editable(admin_client):
    import datetime

    event = RegistryEvent.objects.create(
        kind=RegistryEvent.Kind.OTHER, effective_on=datetime.date(2026, 1, 1), summary="Événement"
    )
    assert admin_client.post(change_url(event), {"summary": "Réécrit"}).status_code == 403
    delete = reverse("admin:centres_registryevent_delete", args=[event.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403


def test_additions_and_deletions_are_recorded(admin_client):
    response = admin_client.post(
        reverse("admin:centres_person_add"), {"title": "Pr", "first_name": "Anne", "last_name": "Martin"}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    person = Person.objects.get(last_name="Martin")
    added = AdminChange.objects.get(action="add")
    assert added.before is None and added.after["last_name"] == "Martin" and added.object_id == str(person.pk)
    other = PersonFactory(last_name="Supprime")
    pk = other.pk
    admin_client.post(reverse("admin:centres_person_delete", args=[pk]), {"post": "yes"})
    assert not Person.objects.filter(pk=pk).exists()
    deleted = AdminChange.objects.get(action="delete")
    assert deleted.object_id == str(pk) and deleted.before["last_name"] == "Supprime" and deleted.after is None


def test_a_password_is_never_copied_into_the_journal(admin_client):
    user = admin_client.user
    admin_client.post(
        change_url(user),
        {
            "username": user.username,
            "first_name": "Nouveau",
            "last_name": user.last_name,
            "email": user.email,
            "role": user.role,
            "is_active": "on",
            "is_staff": "on",
            "is_superuser": "on",
            "notification_mode": user.notification_mode,
            "date_joined_0": "2026-01-01",
            "date_joined_1": "00:00:00",
        },
    )
    for change in AdminChange.objects.all():
        assert user.password not in str(change.before) + str(change.after)


def _form_data(html: str) -> dict:
    """The values a browser would submit from the admin's change form (inputs, selects, textareas)."""
    from html.parser import HTMLParser

    class Form(HTMLParser):
        def __init__(self):
            super().__init__()
            self.data, self.select, self.textarea = {}, None, None

        def handle_starttag(self, tag, attrs):
            a = dict(attrs)
            name = a.get("name")
            if tag == "input" and name and a.get("type") not in ("submit", "button", "file"):
                if a.get("type") in ("checkbox", "radio"):
                    if "checked" in a:
                        self.data[name] = a.get("value", "on")
                else:
                    self.data[name] = a.get("value", "")
            elif tag == "select" and name:
                self.select = name
                self.data.setdefault(name, "")
            elif tag == "option" and self.select and "selected" in a:
                self.data[self.select] = a.get("value", "")
            elif tag == "textarea" and name:
                self.textarea = name
                self.data[name] = ""

        def handle_endtag(self, tag):
            if tag == "select":
                self.select = None
            if tag == "textarea":
                self.textarea = None

        def handle_data(self, data):
            if self.textarea:
                self.data[self.textarea] += data

    parser = Form()
    parser.feed(html)
    return parser.data


def test_a_change_made_in_an_inline_is_recorded(admin_client):
    from centres.models import Hospital
    from tests.factories import EstablishmentFactory, HospitalFactory

    establishment = EstablishmentFactory(region=region("53"))
    hospital = HospitalFactory(establishment=establishment, name="Site ancien")
    data = _form_data(admin_client.get(change_url(establishment)).content.decode())
    key = next(k for k, v in data.items() if k.endswith("-name") and v == "Site ancien")
    data[key] = "Site nouveau"
    response = admin_client.post(change_url(establishment), data)
    assert response.status_code == 302, response.content.decode()[-3000:]
    assert Hospital.objects.get(pk=hospital.pk).name == "Site nouveau"
    change = AdminChange.objects.get(object_id=str(hospital.pk), content_type__model="hospital")
    assert (change.action, change.before["name"], change.after["name"]) == ("change", "Site ancien", "Site nouveau")


def test_a_password_changed_on_the_admin_password_page_is_journaled_without_the_secret(admin_client):
    target = admin_user(username="someone-else")
    url = reverse("admin:auth_user_password_change", args=[target.pk])
    secret = "Nouveau-mot-de-passe-2026!"
    response = admin_client.post(url, {"password1": secret, "password2": secret, "usable_password": "true"})
    assert response.status_code == 302
    change = AdminChange.objects.get(object_id=str(target.pk))
    assert change.user == admin_client.user and change.action == AdminChange.Action.CHANGE
    assert change.before["password"] != change.after["password"]
    assert "modifié" in change.after["password"] and secret not in str(change.after)
    target.refresh_from_db()
    assert target.check_password(secret)


def test_a_refused_password_change_is_not_journaled(admin_client):
    target = admin_user(username="someone-else")
    url = reverse("admin:auth_user_password_change", args=[target.pk])
    response = admin_client.post(url, {"password1": "a", "password2": "b", "usable_password": "true"})
    assert response.status_code == 200
    assert not AdminChange.objects.filter(object_id=str(target.pk)).exists()
