"""A signed-in user's regions come with the user on PostgreSQL (registry/auth_backends.py):
the same ids as the plain ORM's, and no second query on a coordinator's request."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from registry.auth_backends import RegistryBackend
from registry.choices import Role
from registry.models import User
from tests.factories import RegionFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_regions_loaded_with_the_user_are_those_of_the_orm():
    regions = [RegionFactory(), RegionFactory(), RegionFactory()]
    coordinator = UserFactory(role=Role.COORDINATOR, regions=regions[:2])
    lone = UserFactory(role=Role.COORDINATOR, regions=[])
    for user in (coordinator, lone):
        loaded = RegistryBackend().get_user(user.pk)
        with CaptureQueriesContext(connection) as queries:
            ids = loaded.region_ids
        plain = set(User.regions.through.objects.filter(user=user).values_list("region", flat=True))
        assert ids == plain
        assert len(queries) == (0 if connection.vendor == "postgresql" else 1)


def test_an_unknown_or_inactive_user_is_none():
    inactive = UserFactory(is_active=False)
    assert RegistryBackend().get_user(inactive.pk) is None
    assert RegistryBackend().get_user(10**9) is None


def test_a_coordinators_request_reads_the_link_table_only_where_it_must(client_for, coordinator_a):
    client = client_for(coordinator_a)
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/cases/").status_code == 200
    # A query of its own on the link table (the user's SELECT carries it as a subquery).
    links = [q["sql"] for q in queries if q["sql"].startswith('SELECT "registry_user_regions"')]
    if connection.vendor == "postgresql":
        assert not links
