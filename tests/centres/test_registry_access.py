"""Who sees the registry: every signed-in role reads it (public registry), anonymous visitors sign in first,
writes go through the admin only; an ARS officer's lists start on the own region."""

import pytest
from django.urls import reverse

from centres.models import Crmr
from tests.factories import CrmrFactory, EstablishmentFactory, ars_user, dgos_user, region

from .conftest import ROLES

pytestmark = pytest.mark.django_db

LIST_PAGES = [
    "centres:index",
    "centres:establishment_list",
    "centres:crcsep_list",
    "centres:crmr_list",
    "centres:ccmr_list",
    "centres:person_list",
    "centres:quotas",
    "centres:quotas_csv",
    "centres:map",
]
DETAIL_PAGES = [
    ("centres:establishment_detail", "establishment"),
    ("centres:crcsep_detail", "crcsep"),
    ("centres:crmr_detail", "crmr"),
    ("centres:ccmr_detail", "ccmr"),
    ("centres:person_detail", "person"),
]


def _all_urls(registry):
    urls = [reverse(name) for name in LIST_PAGES]
    urls += [reverse(name, args=[registry[key].pk]) for name, key in DETAIL_PAGES]
    return urls


def test_anonymous_visitors_are_sent_to_the_login_page(client, registry):
    for url in _all_urls(registry):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("accounts:login") + "?next="), url


@pytest.mark.parametrize("role", ROLES)
def test_every_role_reads_every_registry_page(client, registry, user_of, role):
    client.force_login(user_of(role))
    for url in _all_urls(registry):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize(("name", "key"), DETAIL_PAGES)
def test_an_unknown_object_is_404(client, registry, name, key):
    client.force_login(dgos_user())
    assert client.get(reverse(name, args=[999999])).status_code == 404


@pytest.mark.parametrize("role", [r for r in ROLES if r != "admin"])
def test_only_administrators_get_the_edit_in_admin_link(client, registry, user_of, role):
    client.force_login(user_of(role))
    response = client.get(registry["crmr"].get_absolute_url())
    assert "Modifier dans l'administration" not in response.content.decode()


def test_administrators_edit_through_the_admin(client, registry, user_of):
    client.force_login(user_of("admin"))
    response = client.get(registry["crmr"].get_absolute_url())
    assert reverse("admin:centres_crmr_change", args=[registry["crmr"].pk]) in response.content.decode()


@pytest.mark.parametrize("role", ["ars", "dgos", "coordinator", "establishment"])
def test_the_admin_is_closed_to_other_roles(client, registry, user_of, role):
    client.force_login(user_of(role))
    response = client.get(reverse("admin:centres_crmr_change", args=[registry["crmr"].pk]))
    assert response.status_code == 302 and "/admin/login/" in response.url


@pytest.mark.parametrize("name", ["centres:crmr_list", "centres:quotas", "centres:quotas_csv"])
def test_registry_pages_are_read_only(client, registry, name):
    client.force_login(dgos_user())
    assert client.post(reverse(name)).status_code == 405
    assert Crmr.objects.count() == 1


# --- ARS officers: lists default to the own region ---------------------------------------------------


def _names(response):
    return [obj.name for obj in response.context["page_obj"]]


def test_ars_lists_default_to_the_own_region_with_a_visible_filter(client, registry):
    elsewhere = CrmrFactory(coordinating_establishment=EstablishmentFactory(region=region("11")), name="CRMR parisien")
    client.force_login(ars_user("53"))
    response = client.get(reverse("centres:crmr_list"))
    assert _names(response) == [registry["crmr"].name]
    assert response.context["region_defaulted"]
    html = response.content.decode()
    assert "votre région est sélectionnée par défaut" in html
    assert "Région : Bretagne" in html
    assert elsewhere.name not in html


def test_ars_officer_removes_the_region_filter_to_see_the_whole_country(client, registry):
    CrmrFactory(coordinating_establishment=EstablishmentFactory(region=region("11")), name="CRMR parisien")
    client.force_login(ars_user("53"))
    response = client.get(reverse("centres:crmr_list"), {"region": ""})
    assert sorted(_names(response)) == ["CRMR Anomalies du développement Ouest", "CRMR parisien"]
    assert not response.context["region_defaulted"]


def test_ars_officer_may_choose_another_region(client, registry):
    client.force_login(ars_user("53"))
    response = client.get(reverse("centres:establishment_list"), {"region": "11"})
    assert {e.region.code for e in response.context["page_obj"]} == {"11"}


def test_national_roles_see_every_region_by_default(client, registry):
    CrmrFactory(coordinating_establishment=EstablishmentFactory(region=region("11")), name="CRMR parisien")
    client.force_login(dgos_user())
    response = client.get(reverse("centres:crmr_list"))
    assert len(_names(response)) == 2
    assert not response.context["region_defaulted"]


def test_a_multi_site_crmr_is_listed_in_each_region_of_its_sites(client, registry):
    from centres.models import CrmrSite

    aphp = EstablishmentFactory(region=region("11"))
    paris = CrmrFactory(coordinating_establishment=aphp, name="CRMR multi-sites", kind=Crmr.Kind.MULTI)
    CrmrSite.objects.create(crmr=paris, establishment=registry["establishment"])
    client.force_login(ars_user("53"))
    assert "CRMR multi-sites" in _names(client.get(reverse("centres:crmr_list")))


# --- Search and filters --------------------------------------------------------------------------------


def test_crmr_search_finds_by_name_and_by_coordinator(client, registry):
    client.force_login(dgos_user())
    assert _names(client.get(reverse("centres:crmr_list"), {"q": "développement"})) == [registry["crmr"].name]
    last_name = registry["person"].last_name
    assert _names(client.get(reverse("centres:crmr_list"), {"q": last_name})) == [registry["crmr"].name]
    assert _names(client.get(reverse("centres:crmr_list"), {"q": "inexistant"})) == []


def test_establishment_search_finds_by_hospital_name(client, registry):
    client.force_login(dgos_user())
    names = _names(client.get(reverse("centres:establishment_list"), {"q": "Pitié"}))
    assert names == ["Assistance Publique - Hôpitaux de Paris"]


def test_ccmr_status_filter(client, registry):
    import datetime

    from tests.factories import CcmrFactory

    CcmrFactory(crmr=registry["crmr"], name="CCMR abrogé", abrogated_on=datetime.date(2020, 1, 1))
    client.force_login(dgos_user())
    assert _names(client.get(reverse("centres:ccmr_list"), {"status": "abrogated"})) == ["CCMR abrogé"]
    assert _names(client.get(reverse("centres:ccmr_list"), {"status": "active"})) == ["Centre de compétences de Rennes"]


def test_crcsep_filters_by_tranche_and_status(client, registry):
    client.force_login(dgos_user())
    assert len(_names(client.get(reverse("centres:crcsep_list"), {"tranche": "1", "status": "labelled"}))) == 1
    assert _names(client.get(reverse("centres:crcsep_list"), {"tranche": "2"})) == []


def test_lists_are_paginated_by_25(client, registry):
    client.force_login(dgos_user())
    response = client.get(reverse("centres:establishment_list"))
    assert response.context["page_obj"].paginator.per_page == 25
    assert response.context["page_obj"].paginator.num_pages == 2  # 32 CHU in the reference data


def test_a_bad_filter_value_shows_a_french_error_and_no_crash(client, registry):
    client.force_login(dgos_user())
    response = client.get(reverse("centres:crmr_list"), {"region": "ZZ", "page": "abc"})
    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in response.content.decode()


# --- The registry read rule (docs/decisions.md): the centres in force are published information --------

OUT_OF_REGION = "84"  # Auvergne-Rhône-Alpes: not the region of any of the ROLES' accounts


@pytest.fixture
def elsewhere():
    """The same kinds of registry objects, in a region none of the accounts belongs to."""
    from centres.models import Hospital

    from .conftest import make_crcsep

    est = EstablishmentFactory(region=region(OUT_OF_REGION), name="CHU hors région")
    Hospital.objects.create(establishment=est, name="Hôpital hors région")
    crmr = CrmrFactory(coordinating_establishment=est, name="CRMR hors région")
    from tests.factories import CcmrFactory

    ccmr = CcmrFactory(crmr=crmr, establishment=est, name="CCMR hors région")
    return {
        "establishment": est,
        "crmr": crmr,
        "ccmr": ccmr,
        "crcsep": make_crcsep(est, name="CRC SEP hors région"),
        "person": crmr.coordinator,
    }


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "key"), DETAIL_PAGES)
@pytest.mark.parametrize("where", ["in_region", "out_of_region"])
@pytest.mark.parametrize("date", ["", "2016-01-01", "2031-07-01"])
def test_every_role_reads_every_detail_in_and_out_of_region_at_any_date(
    client, registry, elsewhere, user_of, role, name, key, where, date
):
    obj = registry[key] if where == "in_region" else elsewhere[key]
    client.force_login(user_of(role))
    response = client.get(reverse(name, args=[obj.pk]), {"date": date} if date else {})
    assert response.status_code == 200
    assert str(obj.name if hasattr(obj, "name") else obj.last_name) in response.content.decode()


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("name", "label"),
    [
        ("centres:crmr_list", "CRMR hors région"),
        ("centres:ccmr_list", "CCMR hors région"),
        ("centres:crcsep_list", "CRC SEP hors région"),
    ],
)
def test_lists_show_the_whole_country_and_an_ars_starts_on_its_region(
    client, registry, elsewhere, user_of, role, name, label
):
    client.force_login(user_of(role))
    default = client.get(reverse(name)).content.decode()
    whole = client.get(reverse(name), {"region": ""}).content.decode()
    assert label in whole  # removing the "ma région" filter shows every region
    assert (label in default) is (role != "ars")  # an ARS starts on its own region


@pytest.mark.parametrize("role", ROLES)
def test_network_page_reads_the_whole_country_for_every_role(client, registry, elsewhere, user_of, role):
    client.force_login(user_of(role))
    body = client.get(reverse("centres:network"), {"section": "crmr"}).content.decode()
    assert "CRMR hors région" in body and registry["crmr"].name in body
    body = client.get(reverse("centres:network"), {"section": "crmr", "region": "53"}).content.decode()
    assert "CRMR hors région" not in body and registry["crmr"].name in body


def test_anonymous_visitors_are_sent_to_login_from_the_network_page(client):
    response = client.get(reverse("centres:network"))
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))
