"""Bad query strings on every URL give a page or a clear refusal, never a server error."""

from __future__ import annotations

import pytest

from tests.registry import test_access_matrix as matrix

# The access matrix's list of every URL pattern; its objects (all of region A) are the
# matrix_objects fixture of tests/registry/conftest.py.
pytestmark = pytest.mark.django_db

GARBAGE = (
    "?page=-1&sort=%00drop&order=sideways&from=not-a-date&to=2026-13-45&q=%27%22%3C"
    "&status=bogus&region=999999&action=nothing&user=abc&format=pdf&rows=gender&columns=x"
    "&k=-5&age_bands=none&o=99&p=zz"
    # Searches as registry.search carries them, forged (a NUL byte is refused by PostgreSQL).
    "&number=%00&family_name=zz&document=%27&object_id=%00&actor=%00"
)


@pytest.mark.parametrize("role", [r for r in matrix.ROLES if r != "anonymous"])
def test_no_url_gives_a_server_error_on_garbage_parameters(role, roles, client_for, matrix_objects):
    client = client_for(roles[role])
    client.raise_request_exception = False
    errors = []
    for key, route in matrix.all_url_patterns():
        url = matrix.concrete_url(route, matrix_objects) + GARBAGE
        status = client.get(url).status_code
        if status >= 500:
            errors.append(f"{key} {url}: {status}")
    assert not errors, "\n".join(errors)
