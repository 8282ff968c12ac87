"""Django's ModelBackend, loading a user's regions with the user (PostgreSQL).

Every request of a signed-in user loads the user (``get_user``); every request of a
coordinator then asks for their region ids (``User.region_ids``: the access rules, the
duplicate check's compiled query). On PostgreSQL, where each statement is a round trip, the
ids come in the user's own SELECT as an array subquery; elsewhere ``region_ids`` reads them as
before. The same ids as the plain ORM's (tests/registry/test_auth_backend.py).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.contrib.postgres.expressions import ArraySubquery
from django.db import connections, router
from django.db.models import OuterRef

from registry.models import User


class RegistryBackend(ModelBackend):
    def get_user(self, user_id: Any) -> User | None:
        users = User._default_manager.all()
        if connections[router.db_for_read(User)].vendor == "postgresql":
            links = User.regions.through.objects.filter(user_id=OuterRef("pk"))
            users = users.annotate(loaded_region_ids=ArraySubquery(links.values("region_id")))
        try:
            user = users.get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
