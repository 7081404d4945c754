"""factory_boy factories shared by every test module (registered as a pytest plugin in conftest)."""

import datetime
import itertools

import factory
import pytest

from accounts.models import Role, User
from centres import models as c

_finess_seq = itertools.count(1)


def make_finess(prefix: str = "99") -> str:
    """A fresh 9-digit FINESS with a valid Luhn key."""
    body = f"{prefix}{next(_finess_seq):06d}"
    for key in range(10):
        candidate = f"{body}{key}"
        from centres.validators import finess_check_digit_ok

        if finess_check_digit_ok(candidate):
            return candidate
    raise AssertionError("unreachable")


def region(code: str) -> c.Region:
    return c.Region.objects.get(code=code)


class EstablishmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = c.Establishment

    finess_ej = factory.LazyFunction(make_finess)
    name = factory.Sequence(lambda n: f"Centre hospitalier universitaire n°{n}")
    kind = c.Establishment.Kind.CHU
    city = "Ville"
    region = factory.LazyFunction(lambda: region("53"))
    director_name = "Mme Claire Directrice"


class HospitalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = c.Hospital

    establishment = factory.SubFactory(EstablishmentFactory)
    name = factory.Sequence(lambda n: f"Hôpital n°{n}")
    city = "Ville"


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = c.Person

    first_name = factory.Sequence(lambda n: f"Prénom{n}")
    last_name = factory.Sequence(lambda n: f"Nom{n}")
    title = "Pr"
    specialty = "Neurologie"
    email = factory.Sequence(lambda n: f"personne{n}@chu.example.fr")


class CrmrFactory(factory.django.DjangoModelFactory):
    """A CRMR with its coordinating site and a current coordinator (mandate since 2015)."""

    class Meta:
        model = c.Crmr
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Centre de référence maladies rares n°{n}")
    filiere = factory.LazyFunction(lambda: c.Filiere.objects.order_by("name").first())
    kind = c.Crmr.Kind.MONO
    coordinating_establishment = factory.SubFactory(EstablishmentFactory)
    mig_amount = 150000

    @factory.post_generation
    def coordinator(self, create, extracted, **kwargs):
        if not create:
            return
        c.CrmrSite.objects.create(crmr=self, establishment=self.coordinating_establishment, is_coordinating=True)
        person = extracted or PersonFactory()
        c.CoordinatorMandate.objects.create(
            crmr=self, person=person, establishment=self.coordinating_establishment, start=datetime.date(2015, 1, 1)
        )
        c.MigAllocation.objects.create(
            crmr=self,
            establishment=self.coordinating_establishment,
            amount=self.mig_amount,
            start=datetime.date(2015, 1, 1),
        )


class CcmrFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = c.Ccmr

    name = factory.Sequence(lambda n: f"Centre de compétences n°{n}")
    crmr = factory.SubFactory(CrmrFactory)
    establishment = factory.SubFactory(EstablishmentFactory)
    team_lead = factory.SubFactory(PersonFactory)
    created_on = datetime.date(2016, 1, 1)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Camille"
    last_name = factory.Sequence(lambda n: f"Agent{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.gouv.fr")

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or "demo")
        if create:
            self.save(update_fields=["password"])


def ars_user(code: str = "53", **kw) -> User:
    return UserFactory(username=kw.pop("username", f"ars-{code}"), role=Role.ARS, region=region(code), **kw)


def dgos_user(**kw) -> User:
    return UserFactory(username=kw.pop("username", "dgos"), role=Role.DGOS, **kw)


def gp_user(**kw) -> User:
    return UserFactory(username=kw.pop("username", "gp"), role=Role.GROUPE_PERMANENT, **kw)


def admin_user(**kw) -> User:
    return UserFactory(username=kw.pop("username", "admin"), role=Role.ADMIN, is_staff=True, is_superuser=True, **kw)


def establishment_user(establishment: c.Establishment, **kw) -> User:
    return UserFactory(
        username=kw.pop("username", f"etab-{establishment.finess_ej}"),
        role=Role.ESTABLISHMENT,
        establishment=establishment,
        **kw,
    )


def coordinator_user(crmr: c.Crmr, **kw) -> User:
    """A coordinator account bound to ``crmr`` (guardian object permission, as accounts.services does)."""
    from accounts.services import bind_coordinator

    person = kw.pop("person", None) or crmr.coordinator
    user = UserFactory(username=kw.pop("username", f"coord-{crmr.pk}"), role=Role.COORDINATOR, person=person, **kw)
    bind_coordinator(user=user, crmr=crmr)
    return user


@pytest.fixture
def chu_rennes():
    return c.Establishment.objects.get(finess_ej="350005179")
