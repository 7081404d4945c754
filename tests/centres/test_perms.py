"""centres.perms on its own: every signed-in account reads the registry, administrators write (in the
admin), anonymous and deactivated accounts see nothing; ARS lists start on the officer's region."""

import pytest
from django.contrib.auth.models import AnonymousUser

from centres.perms import can_edit_in_admin, default_region, registry_access, registry_object_access
from core.perms import Access
from tests.factories import UserFactory, ars_user

from .conftest import ROLES

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", [r for r in ROLES if r != "admin"])
def test_every_role_reads_the_registry_and_none_writes(user_of, role):
    user = user_of(role)
    assert registry_access(user) == Access.READ
    assert not can_edit_in_admin(user)


def test_administrators_write_through_the_admin(user_of):
    admin = user_of("admin")
    assert registry_access(admin) == Access.WRITE
    assert can_edit_in_admin(admin)


def test_an_account_without_role_may_still_read_the_public_registry():
    assert registry_access(UserFactory(role="")) == Access.READ


def test_anonymous_and_deactivated_accounts_see_nothing(registry):
    assert registry_access(AnonymousUser()) == Access.NONE
    assert registry_access(UserFactory(is_active=False)) == Access.NONE
    assert registry_object_access(AnonymousUser(), registry["crmr"]) == Access.NONE


def test_a_missing_object_is_no_access(user_of):
    assert registry_object_access(user_of("dgos"), None) == Access.NONE


def test_only_ars_officers_get_a_default_region(user_of):
    assert default_region(ars_user("53")).code == "53"
    for role in ("dgos", "gp", "coordinator", "establishment", "admin"):
        assert default_region(user_of(role)) is None
    assert default_region(AnonymousUser()) is None
