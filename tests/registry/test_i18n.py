"""The interface ships in Dutch (the default) and English.

The catalogue test fails as soon as `makemessages` picks up a string nobody translated, so a
new English-only string cannot reach Dutch users unnoticed: `make messages` lists the missing
ones; the .po file is where they are translated.
"""

from __future__ import annotations

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.urls import reverse

from registry.choices import CaseStatus
from tests.factories import CaseFactory

PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")
NL_PO = Path(settings.BASE_DIR) / "locale" / "nl" / "LC_MESSAGES" / "django.po"


def test_every_dutch_msgid_has_a_translation_and_none_is_fuzzy():
    po = polib.pofile(str(NL_PO))
    assert len(po) > 100, "the Dutch catalogue looks empty: was makemessages run?"
    untranslated = [e.msgid for e in po if not e.obsolete and not e.translated()]
    fuzzy = [e.msgid for e in po if "fuzzy" in e.flags]
    assert untranslated == [], (
        f"translate in the .po (make messages); untranslated: {untranslated!r}"
    )
    assert fuzzy == [], f"fuzzy entries are guesses and msgfmt skips them: {fuzzy!r}"
    assert not po.metadata_is_fuzzy, "a fuzzy header drops the Dutch plural rule"


def test_dutch_translations_keep_their_placeholders():
    po = polib.pofile(str(NL_PO))
    for entry in po:
        if "python-format" not in entry.flags:
            continue
        expected = sorted(PLACEHOLDER.findall(entry.msgid))
        strings = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        for msgstr in strings:
            assert sorted(PLACEHOLDER.findall(msgstr)) == expected, entry.msgid


def test_compiled_dutch_catalogue_matches_the_po_file():
    """The .mo is tracked so no gettext is needed to run; it must not lag behind the .po."""
    po = polib.pofile(str(NL_PO))
    mo = polib.mofile(str(NL_PO.with_suffix(".mo")))
    compiled = {e.msgid: (e.msgstr, dict(e.msgstr_plural)) for e in mo}
    stale = [e.msgid for e in po if compiled.get(e.msgid) != (e.msgstr, dict(e.msgstr_plural))]
    assert stale == [], f"run manage.py compilemessages; stale in django.mo: {stale[:5]!r}"


def test_login_page_is_dutch_by_default(client, db):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert 'lang="nl"' in response.text
    assert "Inloggen bij het register" in response.text
    assert "Wachtwoord" in response.text


@pytest.mark.parametrize(
    ("accept_language", "expected", "absent"),
    [
        ("nl", ["Inloggen", "Gebruikersnaam"], "Log in to the registry"),
        ("en", ["Log in to the registry", "User name"], "Inloggen"),
    ],
)
def test_login_page_follows_accept_language(client, db, accept_language, expected, absent):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE=accept_language)
    for text in expected:
        assert text in response.text
    assert absent not in response.text


@pytest.fixture
def coordinator_case(coordinator_a, region_a):
    return CaseFactory(region=region_a, coordinator=coordinator_a, status=CaseStatus.NEW)


def _client_with_language(client_for, user, language: str):
    client = client_for(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def test_coordinator_home_and_case_list_in_dutch(client_for, coordinator_a, coordinator_case):
    client = _client_with_language(client_for, coordinator_a, "nl")

    home = client.get(reverse("home"))
    assert "Welkom, coordinator-a" in home.text
    assert "Zorgcoördinator" in home.text
    assert "Uitloggen" in home.text
    assert "Casussen" in home.text

    cases = client.get(reverse("registry:case_list"))
    assert cases.status_code == 200
    assert "1 casus" in cases.text
    assert "Einde bedenktijd" in cases.text
    assert ">nieuw</td>" in cases.text
    assert "Reflection period" not in cases.text
    assert "Log out" not in cases.text


def test_coordinator_home_and_case_list_in_english(client_for, coordinator_a, coordinator_case):
    client = _client_with_language(client_for, coordinator_a, "en")

    home = client.get(reverse("home"))
    assert "Welcome, coordinator-a" in home.text
    assert "Care coordinator" in home.text
    assert "Log out" in home.text

    cases = client.get(reverse("registry:case_list"))
    assert "1 case" in cases.text
    assert "Reflection period ends" in cases.text
    assert ">new</td>" in cases.text
    assert "Uitloggen" not in cases.text
    assert "bedenktijd" not in cases.text


def test_language_buttons_switch_the_interface(client_for, coordinator_a):
    client = client_for(coordinator_a)
    assert "Uitloggen" in client.get(reverse("home")).text

    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("home")})
    assert response.status_code == 302
    assert "Log out" in client.get(reverse("home")).text

    client.post(reverse("set_language"), {"language": "nl", "next": reverse("home")})
    assert "Uitloggen" in client.get(reverse("home")).text


def test_dutch_plural_forms_are_used(client_for, coordinator_a, region_a):
    CaseFactory.create_batch(2, region=region_a, coordinator=coordinator_a)
    client = _client_with_language(client_for, coordinator_a, "nl")
    assert "2 casussen" in client.get(reverse("registry:case_list")).text
