"""seed_demo: the demo network and one account per role; idempotent; refused without DEMO_PASSWORD."""

import pytest
from django.core.management import CommandError, call_command

from accounts.models import Role, User
from accounts.services import coordinated_crmrs
from centres.models import Ccmr, CoordinatorMandate, CrcSepCentre, Crmr, CrmrSite, Establishment, Region

pytestmark = pytest.mark.django_db

TABLES = (User, Crmr, CrmrSite, Ccmr, CoordinatorMandate, CrcSepCentre)


def _counts():
    return {model.__name__: model.objects.count() for model in TABLES}


def test_seed_demo_creates_the_demo_accounts_of_every_role():
    call_command("seed_demo")
    assert User.objects.get(username="admin").is_superuser
    assert User.objects.get(username="dgos").role == Role.DGOS
    assert User.objects.get(username="gp").role == Role.GROUPE_PERMANENT
    for region in Region.objects.all():
        assert User.objects.get(username=f"ars-{region.code}").region == region
    for chu in Establishment.objects.filter(kind=Establishment.Kind.CHU):
        assert User.objects.get(username=f"etab-{chu.finess_ej}").establishment == chu
    ars = User.objects.get(username="ars-53")
    assert ars.check_password("demo") and ars.get_full_name() and ars.function


def test_each_demo_coordinator_account_is_bound_to_the_crmr_it_coordinates():
    call_command("seed_demo")
    coordinators = User.objects.filter(role=Role.COORDINATOR)
    assert coordinators.count() == Crmr.objects.count() >= 12
    for user in coordinators:
        crmrs = list(coordinated_crmrs(user))
        assert len(crmrs) == 1
        assert crmrs[0].coordinator == user.person


def test_seed_demo_builds_multi_site_crmr_across_regions_and_ccmr():
    call_command("seed_demo")
    multi = Crmr.objects.get(name__startswith="CRMR Sclérose latérale amyotrophique")
    assert multi.kind == Crmr.Kind.MULTI
    assert set(multi.sites.values_list("establishment__region__code", flat=True)) == {"11", "84", "75"}
    assert multi.sites.get(is_coordinating=True).establishment.finess_ej == "750712184"
    assert multi.mandates.count() == 2  # a former coordinator and the current one
    assert Ccmr.objects.count() >= 20
    assert Crmr.objects.values("filiere").distinct().count() >= 10


def test_seed_demo_leaves_the_crc_sep_quotas_untouched():
    call_command("seed_demo")
    assert CrcSepCentre.objects.count() == 0


def test_seed_demo_twice_changes_nothing(capsys):
    call_command("seed_demo")
    before = _counts()
    call_command("seed_demo")
    assert _counts() == before
    assert "rien (déjà en place)" in capsys.readouterr().out


def test_seed_demo_is_refused_without_a_demo_password(settings):
    settings.DEMO_PASSWORD = ""
    with pytest.raises(CommandError, match="DEMO_PASSWORD est vide"):
        call_command("seed_demo")
    assert not User.objects.filter(username="admin").exists()


def test_each_chu_has_its_own_president_du_directoire_and_each_ars_its_own_director():
    """Letters name the président du directoire: two CHU never share one (issue 17, item 7)."""
    call_command("seed_demo")
    directors = list(Establishment.objects.values_list("director_name", flat=True))
    ars_directors = list(Region.objects.values_list("ars_director_name", flat=True))
    assert all(directors) and len(set(directors)) == len(directors) == 32
    assert all(ars_directors) and len(set(ars_directors)) == len(ars_directors) == 18
    assert not set(directors) & set(ars_directors)
    for establishment in Establishment.objects.all():
        account = User.objects.get(username=f"etab-{establishment.finess_ej}")
        assert account.get_full_name() == establishment.director_name


def test_seed_demo_gives_the_former_shared_demo_names_their_own_name():
    from demo.seed import _former_demo_names

    chus = list(Establishment.objects.order_by("finess_ej"))
    shared = _former_demo_names(10)[0]  # the name positions 0 and 10 used to share
    for chu in (chus[0], chus[10]):
        chu.director_name = shared
        chu.save(update_fields=["director_name"])
    call_command("seed_demo")
    chus[0].refresh_from_db()
    chus[10].refresh_from_db()
    assert chus[0].director_name != chus[10].director_name
