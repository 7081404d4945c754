"""The network map (issue 17, item 4): figures per region on a date, establishments placed at their city,
the shapes shipped with the application, the ARS's own region highlighted, a constant number of queries."""

import csv
import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from centres import network_map, selectors
from centres.models import Ccmr, CrmrSite, Establishment, Region
from centres.reference_data import DATA_DIR
from tests.factories import (
    CcmrFactory,
    CrmrFactory,
    EstablishmentFactory,
    HospitalFactory,
    ars_user,
    dgos_user,
    region,
)

from .conftest import make_crcsep

pytestmark = pytest.mark.django_db

RENNES = "350005179"
BREST = "290000017"


def _figures(on):
    return {r.code: r for r in selectors.network_map_regions(on)}


def test_every_region_of_the_reference_data_has_a_shape_on_the_map():
    shapes = network_map.map_shapes()
    assert set(shapes.paths) == set(Region.objects.values_list("code", flat=True))
    assert all(d.startswith("M") for d in shapes.paths.values())
    assert set(shapes.insets) == {"01", "02", "03", "04", "06"}  # Guadeloupe, Martinique, Guyane, Réunion, Mayotte


def test_the_shapes_file_is_small_and_loads_nothing_from_outside():
    text = network_map.SHAPES_FILE.read_text(encoding="utf-8")
    assert network_map.SHAPES_FILE.stat().st_size < 300_000
    assert "http" not in text.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "LGPL" in text  # the licence of the source is credited in the file itself


def test_every_establishment_of_the_reference_data_has_its_city_coordinates():
    """Every CHU or CHR that can host a CRMR site, a CCMR or a CRC SEP is placed from the data file."""
    with open(DATA_DIR / "chu.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert rows
    for row in rows:
        establishment = Establishment.objects.get(finess_ej=row["finess_ej"])
        assert establishment.latitude is not None and establishment.longitude is not None, row["name"]
        assert -90 <= establishment.latitude <= 90 and -180 <= establishment.longitude <= 180


def test_every_establishment_hosting_part_of_the_demo_network_is_placed(client):
    from django.core.management import call_command

    call_command("seed_demo")
    hosting = selectors.network_map_establishments(datetime.date.today())
    assert len(hosting) > 10
    assert [e.name for e in hosting if e.latitude is None or e.longitude is None] == []


@pytest.mark.parametrize(
    ("code", "lat", "lon"),
    [
        ("53", 48.1173, -1.6778),  # Rennes
        ("44", 48.5734, 7.7521),  # Strasbourg
        ("93", 43.7102, 7.2620),  # Nice
        ("04", -20.8821, 55.4507),  # Saint-Denis de La Réunion, in its inset
        ("02", 14.6161, -61.0588),  # Fort-de-France, in its inset
        ("01", 16.2411, -61.5331),  # Pointe-à-Pitre, in its inset
    ],
)
def test_a_city_is_placed_inside_its_region_shape(code, lat, lon):
    x, y = network_map.place(lat, lon, code)
    xs, ys = _outline(network_map.map_shapes().paths[code])
    assert min(xs) <= x <= max(xs) and min(ys) <= y <= max(ys)


def _outline(d):
    """Absolute points of a path written as "Mx y l dx dy … z" (what the build tool writes)."""
    xs, ys = [], []
    for part in re.findall(r"M([^l]+)l([^z]*)z", d):
        x, y = (float(v) for v in part[0].split())
        xs.append(x), ys.append(y)
        deltas = [float(v) for v in part[1].split()]
        for dx, dy in zip(deltas[::2], deltas[1::2], strict=True):
            x, y = x + dx, y + dy
            xs.append(x), ys.append(y)
    return xs, ys


def test_figures_per_region_follow_the_date(chu_rennes):
    brest = Establishment.objects.get(finess_ej=BREST)
    make_crcsep(chu_rennes)  # labelled 1 September 2016
    make_crcsep(brest, name="CRC SEP de Brest", withdrawn_on=datetime.date(2020, 1, 1))
    crmr = CrmrFactory(coordinating_establishment=chu_rennes)  # coordinating site since the beginning
    CrmrSite.objects.create(crmr=crmr, establishment=brest, start=datetime.date(2018, 1, 1))
    CcmrFactory(crmr=crmr, establishment=brest, created_on=datetime.date(2017, 3, 1))
    CcmrFactory(crmr=crmr, establishment=chu_rennes, created_on=None)  # decided, not yet created

    before = _figures(datetime.date(2016, 6, 1))["53"]
    assert (before.labelled, before.quota, before.ccmr) == (0, 1, 0)
    assert before.quota_state == "open"

    in_2019 = _figures(datetime.date(2019, 1, 1))["53"]
    assert (in_2019.labelled, in_2019.crmr_sites, in_2019.ccmr) == (2, 2, 1)
    assert in_2019.quota_state == "reached"  # Bretagne: 1 in tranche 1, 0 in tranche 2 (Annexe 2)

    in_2021 = _figures(datetime.date(2021, 1, 1))["53"]
    assert in_2021.labelled == 1  # Brest's centre withdrawn on 1 January 2020


def test_regions_absent_from_annexe_2_have_no_quota():
    figures = _figures(datetime.date(2026, 1, 1))
    assert figures["94"].quota == 0 and figures["94"].quota_state == "none"  # Corse
    assert figures["06"].quota == 0  # Mayotte
    assert figures["11"].quota == 3  # Île-de-France: 3 in tranche 1, 0 in tranche 2
    assert sum(r.quota for r in figures.values()) == 23  # 2016 instruction: 23 CRC SEP in all


def test_the_page_shows_each_region_as_a_link_to_its_registry_at_the_date(client, chu_rennes):
    make_crcsep(chu_rennes)
    client.force_login(dgos_user())
    response = client.get(reverse("centres:map"), {"date": "2017-01-01"})
    assert response.status_code == 200
    html = response.content.decode()
    registry = reverse("centres:network") + "?region=53&amp;date=2017-01-01"
    assert f'<a href="{registry}" class="app-map__region app-map__region--reached"' in html
    assert 'aria-label="Bretagne : 1 CRC SEP labellisé(s) sur un quota de 1' in html
    row = re.search(r'<tr data-region="53">.*?</tr>', html, re.S).group(0)
    assert '1<span class="fr-sr-only"> CRC SEP labellisé(s) : Bretagne</span></a> / 1' in row
    assert "Votre région" not in html
    assert "pygal_maps_fr" in html  # the source of the shapes is credited on the page


def test_establishments_are_placed_with_their_counts(client, chu_rennes):
    crmr = CrmrFactory(coordinating_establishment=chu_rennes)
    CcmrFactory(crmr=crmr, establishment=chu_rennes)
    client.force_login(dgos_user())
    response = client.get(reverse("centres:map"))
    markers = {m["establishment"].name: m for m in response.context["markers"]}
    rennes = markers["CHU de Rennes"]
    assert (rennes["establishment"].crmr_sites, rennes["establishment"].ccmr) == (1, 1)
    assert (rennes["x"], rennes["y"]) == network_map.place(chu_rennes.latitude, chu_rennes.longitude, "53")


def test_an_establishment_without_coordinates_is_counted_and_named_but_not_placed(client):
    nowhere = EstablishmentFactory(region=region("06"), name="Centre hospitalier de Mayotte")
    CrmrFactory(coordinating_establishment=nowhere)
    client.force_login(dgos_user())
    response = client.get(reverse("centres:map"))
    assert [e.name for e in response.context["unplaced"]] == ["Centre hospitalier de Mayotte"]
    assert "Centre hospitalier de Mayotte" not in [m["establishment"].name for m in response.context["markers"]]
    assert "Sans coordonnées" in response.content.decode()


def test_an_ars_officer_sees_the_own_region_highlighted(client):
    client.force_login(ars_user("53"))
    html = client.get(reverse("centres:map")).content.decode()
    own = re.findall(r'class="app-map__region [^"]*app-map__region--own"[^>]*data-region="(\d+)"', html)
    assert own == ["53"]
    assert 'aria-label="Bretagne (votre région)' in html
    row = re.search(r'<tr data-region="53">.*?</tr>', html, re.S).group(0)
    assert "Votre région" in row
    assert "Contour épais : votre région (Bretagne)" in html


def test_the_network_page_links_to_the_map(client):
    client.force_login(dgos_user())
    html = client.get(reverse("centres:network"), {"date": "2017-01-01"}).content.decode()
    assert f'href="{reverse("centres:map")}?date=2017-01-01"' in html


def _make_network(n):
    mayotte = region("06")
    for i in range(n):
        establishment = EstablishmentFactory(region=mayotte, latitude=-12.78, longitude=45.23)
        HospitalFactory(establishment=establishment)
        crmr = CrmrFactory(coordinating_establishment=establishment)
        CcmrFactory(crmr=crmr, establishment=EstablishmentFactory(region=mayotte), created_on=datetime.date(2016, 1, 1))
        make_crcsep(establishment, name=f"CRC SEP n° {i}")


def test_the_map_costs_the_same_queries_at_3_and_30_establishments(client, django_assert_num_queries):
    client.force_login(ars_user("53"))
    url, params = reverse("centres:map"), {"date": "2031-01-01"}
    _make_network(3)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
    at_three = len(ctx.captured_queries)
    assert at_three <= 6
    assert len(response.context["markers"]) >= 3
    _make_network(27)
    with django_assert_num_queries(at_three):
        response = client.get(url, params)
    assert response.context["regions"][0]["figures"].name  # the page rendered its table
    assert (
        sum(r["figures"].ccmr for r in response.context["regions"])
        == Ccmr.objects.active_on(datetime.date(2031, 1, 1)).count()
    )
