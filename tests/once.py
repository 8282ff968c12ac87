"""A test client whose POSTs carry a one-time form token, as a browser's would.

Every form that creates a record carries a token (registry/once.py) that its page renders
for the signed-in user. Tests that post such a form directly, without first fetching the page,
use this client: it adds a fresh token for its user to a POST that has none, exactly as the
page would have. A test of the token itself passes ``once_token`` explicitly (empty, altered,
another user's, or one used before) and the client leaves it alone.
"""

from __future__ import annotations

import re
from typing import Any

from django.test import Client

from registry import once

# The pages whose form carries the token (the {% once_token %} templates and every add form of
# the admin); other POSTs (searches, filters, logins) go as they are.
ONCE_FORMS = re.compile(
    r"^/(intake/register/|intake/submit/|intake/submissions/add/|intake/triage/[0-9a-f-]{36}/|cases/[0-9a-f-]{36}/"
    r"handover/|handovers/[0-9a-f-]{36}/decide/|admin/[a-z_]+/[a-z_]+/add/|"
    r"cases/[0-9a-f-]{36}/notes/|people/[0-9a-f-]{36}/(edit|erase)/|cases/[0-9a-f-]{36}/shelter/|"
    r"placements/[0-9a-f-]{36}/(end|withdraw)/|shelters/[0-9]+/place-next/|"
    r"intake/registrations/[0-9a-f-]{36}/consent/|statistics/personal/|"
    r"cases/[0-9a-f-]{36}/(procedures/[a-z0-9_]+|referrals)/|referrals/[0-9a-f-]{36}/outcome/)"
)


class BrowserClient(Client):
    user: Any = None

    def post(self, path: str, data: Any = None, *args: Any, **kwargs: Any) -> Any:
        if (
            self.user is not None
            and isinstance(data, dict)
            and once.FIELD not in data
            and ONCE_FORMS.match(path)
        ):
            data = {**data, once.FIELD: once.new_token(self.user)}
        return super().post(path, data, *args, **kwargs)
