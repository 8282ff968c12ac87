"""Issue 13, item 2: the case list's search finds people, through blind indexes only.

Each observation of the issue is a test here: a part of a compound or hyphenated family name
(``Okonkwo`` finds ``Okonkwo-Eze``, particles as in ``van der Berg``), a given name, a name that
sounds alike with the year of birth as an optional narrowing, a registration number or its
beginning, the case code the lists show (``B820FE4B``), ranked exact first; nothing is
decrypted to search, and the term is in no URL, no log line and no audit detail.
"""

from __future__ import annotations

import datetime
import logging
import re
from html import unescape
from io import StringIO
from urllib.parse import unquote_plus

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import override_settings

from registry import search
from registry.choices import AuditAction
from registry.crypto import Keyring, generate_key
from registry.models import AuditEvent, Case, Person, PersonSearchToken
from registry.models.search_tokens import search_tokens
from tests.factories import CaseFactory, PersonFactory, RegistrationFactory
from tests.registry.test_rotation import run

pytestmark = pytest.mark.django_db


def _case(region, family_name, given_names="Ada", *, born=1990, days_ago=0, **person):
    """A case in ``region`` of a new person with these names, opened ``days_ago``."""
    who = PersonFactory(
        family_name=family_name,
        given_names=given_names,
        date_of_birth=datetime.date(born, 6, 1),
        **person,
    )
    opened = datetime.date.today() - datetime.timedelta(days=days_ago)
    registration = RegistrationFactory(person=who, region=region, registered_on=opened)
    return CaseFactory(person=who, region=region, registration=registration, opened_on=opened)


def _search(client, term, **filters):
    """Type ``term`` into the case list's form and follow the redirect."""
    response = client.post("/cases/", {"q": term, "status": "all", **filters})
    assert response.status_code == 302
    return client.get(response["Location"])


def _found(client, term) -> list:
    """The cases a search lists, in the list's order."""
    return [case.pk for case in _search(client, term).context["page"].object_list]


@pytest.fixture
def client_a(client_for, coordinator_a):
    return client_for(coordinator_a)


# A part of the family name ---------------------------------------------------------------------


def test_a_part_of_a_hyphenated_family_name_finds_the_person(region_a, client_a):
    hyphenated = _case(region_a, "Okonkwo-Eze")
    other = _case(region_a, "Adeyemi")
    assert _found(client_a, "Okonkwo") == [hyphenated.pk]
    assert _found(client_a, "eze") == [hyphenated.pk]
    assert _found(client_a, "OKONKWO EZE") == [hyphenated.pk]
    assert _found(client_a, "Adeyemi") == [other.pk]
    # A word that is only the beginning of a part is not a part.
    assert _found(client_a, "Okon") == []


def test_a_family_name_with_particles_is_found_by_its_core_and_whole(region_a, client_a):
    vries = _case(region_a, "de Vries")
    berg = _case(region_a, "van der Berg")
    assert _found(client_a, "Vries") == [vries.pk]
    assert _found(client_a, "de Vries") == [vries.pk]
    assert _found(client_a, "Berg") == [berg.pk]
    assert _found(client_a, "van der Berg") == [berg.pk]
    assert _found(client_a, "der berg") == [berg.pk]
    # A particle alone is no name: it finds nobody rather than half the list.
    assert _found(client_a, "van") == []
    assert _found(client_a, "de") == []


def test_a_compound_name_of_several_words_is_found_by_each(region_a, client_a):
    compound = _case(region_a, "García Márquez")
    assert _found(client_a, "Garcia") == [compound.pk]
    assert _found(client_a, "MARQUEZ") == [compound.pk]


# Given names -----------------------------------------------------------------------------------


def test_any_of_the_given_names_finds_the_person(region_a, client_a):
    case = _case(region_a, "Adeyemi", "Ada Chinwe")
    _case(region_a, "Bello", "Folake")
    assert _found(client_a, "Chinwe") == [case.pk]
    assert _found(client_a, "ada") == [case.pk]
    # Given and family name typed together.
    assert _found(client_a, "Chinwe Adeyemi") == [case.pk]
    assert _found(client_a, "Chinwe Bello") == []


# Sounds alike ----------------------------------------------------------------------------------


def test_a_name_that_sounds_alike_is_found_and_the_year_of_birth_narrows_it(region_a, client_a):
    born_1990 = _case(region_a, "Muhammad", born=1990)
    born_1985 = _case(region_a, "Muhammad", born=1985)
    kowalska = _case(region_a, "Kowalska", born=1990)
    assert set(_found(client_a, "Mohammed")) == {born_1990.pk, born_1985.pk}
    assert _found(client_a, "Mohammed 1990") == [born_1990.pk]
    assert _found(client_a, "Kowalski") == [kowalska.pk]
    # The year narrows every kind of match, not only the sound.
    assert _found(client_a, "Muhammad 1985") == [born_1985.pk]
    assert _found(client_a, "Muhammad 1970") == []


# Numbers and codes -----------------------------------------------------------------------------


def test_a_registration_number_or_its_beginning_finds_the_case(region_a, client_a):
    case = _case(region_a, "Adeyemi")
    number = case.registration.number  # e.g. 2026-000001
    other = _case(region_a, "Bello")
    assert _found(client_a, number) == [case.pk]
    prefix = number[:9]  # 2026-0000
    assert set(_found(client_a, prefix)) == {case.pk, other.pk}
    # The prefix is carried as it is: a number is not personal.
    posted = client_a.post("/cases/", {"q": prefix})
    assert f"number={prefix}" in posted["Location"]
    assert _found(client_a, f"{number[:4]}-9") == []


def test_the_case_code_the_lists_show_finds_the_case(region_a, client_a):
    case = _case(region_a, "Adeyemi")
    _case(region_a, "Bello")
    code = str(case.pk).split("-")[0].upper()
    listed = client_a.get("/cases/?status=all", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f"Case {code}" in listed  # the code as the list shows it
    for typed in (code, code.lower(), f"Case {code}", f"casus {code.lower()}"):
        assert _found(client_a, typed) == [case.pk], typed
    # The person's code (Person 67DCA62E) finds the person's case too.
    assert _found(client_a, case.person.reference) == [case.pk]
    assert _found(client_a, "00000000") == []


def test_a_case_code_is_found_through_the_primary_key_index_not_a_scan(region_a, client_a):
    low, high = search.code_range("B820FE4B")
    assert str(low) == "b820fe4b-0000-0000-0000-000000000000"
    assert str(high) == "b820fe4b-ffff-ffff-ffff-ffffffffffff"
    sql = str(search.find_cases_by_code(Case.objects.all(), ("B820FE4B",)).query)
    assert "BETWEEN" in sql and "b820fe4b" in sql.lower()


# Ranking ---------------------------------------------------------------------------------------


def test_results_are_ranked_exact_family_name_then_part_then_given_name_then_sound(
    region_a, client_a
):
    # Opened so that the list's own order (newest first) is the reverse of the ranking.
    sound = _case(region_a, "Okonkwu", "Ada", days_ago=0)
    given = _case(region_a, "Bello", "Okonkwo", days_ago=1)
    part = _case(region_a, "Okonkwo-Eze", "Ada", days_ago=2)
    exact = _case(region_a, "Okonkwo", "Ada", days_ago=3)
    _case(region_a, "Adeyemi", "Ada", days_ago=4)
    assert _found(client_a, "Okonkwo") == [exact.pk, part.pk, given.pk, sound.pk]


def test_among_equal_matches_the_lists_own_order_holds(region_a, client_a):
    older = _case(region_a, "Okonkwo", days_ago=5)
    newer = _case(region_a, "Okonkwo", days_ago=1)
    # By default the list puts urgent cases first: the older one, unassigned for more than
    # two working days, is flagged.
    assert _found(client_a, "Okonkwo") == [older.pk, newer.pk]
    for sort, expected in (("-opened", [newer.pk, older.pk]), ("opened", [older.pk, newer.pk])):
        response = client_a.post("/cases/", {"q": "Okonkwo", "status": "all", "sort": sort})
        page = client_a.get(response["Location"])
        assert [c.pk for c in page.context["page"].object_list] == expected, sort


# Scope -----------------------------------------------------------------------------------------


def test_a_search_finds_only_cases_the_user_may_see(region_a, region_b, client_for, coordinator_b):
    _case(region_a, "Okonkwo-Eze", "Chinwe")
    theirs = _case(region_b, "Okonkwo", "Chinwe")
    client = client_for(coordinator_b)
    assert _found(client, "Okonkwo") == [theirs.pk]
    assert _found(client, "Chinwe") == [theirs.pk]
    event = AuditEvent.objects.filter(action=AuditAction.SEARCH).latest("id")
    assert event.details == {"screen": "case_list", "kind": "name", "results": 1}


# Nothing decrypted, nothing left behind --------------------------------------------------------


def test_nothing_is_decrypted_to_search(region_a, client_a, monkeypatch):
    case = _case(region_a, "Okonkwo-Eze", "Chinwe")

    def refuse(self, token, aad):
        raise AssertionError("a search decrypted a value")

    monkeypatch.setattr(Keyring, "decrypt", refuse)
    for term in ("Okonkwo", "Chinwe", "Okonkwu", "Okonkwo 1990", case.registration.number):
        response = client_a.post("/cases/", {"q": term, "status": "all"})
        assert response.status_code == 302
        event = AuditEvent.objects.filter(action=AuditAction.SEARCH).latest("id")
        assert event.details["results"] == 1, term


PLANTED_FAMILY = "Qwertzuiop-Okonkwo"
PLANTED_GIVEN = "Zyxwvutsrq"


def test_the_term_is_in_no_url_no_log_line_and_no_audit_detail(region_a, client_a, caplog):
    _case(region_a, PLANTED_FAMILY, PLANTED_GIVEN)
    terms = [
        PLANTED_FAMILY,
        "Qwertzuiop",
        PLANTED_GIVEN,
        "Qwertzuiopp",  # sounds alike
        f"{PLANTED_GIVEN} Qwertzuiop 1990",
    ]
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="django.db.backends")
    # The SQL log too, with its parameters (Django logs SQL only with a debug cursor).
    connection.force_debug_cursor = True
    try:
        pages = [(term, _search(client_a, term)) for term in terms]
    finally:
        connection.force_debug_cursor = False
    for term, page in pages:
        assert page.context["page"].paginator.count == 1, term
        html = page.content.decode()
        urls = [
            page.wsgi_request.get_full_path(),
            *(unescape(u) for u in re.findall(r'(?:href|action|src)="([^"]*)"', html)),
        ]
        for word in (w for w in term.split() if not w.isdigit()):  # a year is no name
            assert not [u for u in urls if word.lower() in unquote_plus(u).lower()], term
        # The box is empty again (the list itself may show the names of the people found:
        # that is what the user may see, not the term).
        box = re.search(r'<input[^>]*name="q"[^>]*>', html).group(0)
        assert 'value=""' in box, term
    logged = "\n".join(
        f"{record.getMessage()} {record.args!r} {getattr(record, 'sql', '')}"
        for record in caplog.records
    )
    assert "registry_personsearchtoken" in logged  # the SQL was logged, and is clean
    audit = "\n".join(
        f"{e.action} {e.details} {e.object_type} {e.object_id}" for e in AuditEvent.objects.all()
    )
    for word in {w for term in terms for w in term.split() if not w.isdigit()}:
        assert word.lower() not in logged.lower(), word
        assert word.lower() not in audit.lower(), word
    searches = AuditEvent.objects.filter(action=AuditAction.SEARCH)
    assert [e.details for e in searches] == [
        {"screen": "case_list", "kind": "name", "results": 1} for _ in terms
    ]


def test_a_forged_or_stale_name_search_in_a_url_finds_nothing(region_a, client_a):
    _case(region_a, "Okonkwo")
    with override_settings(REGISTRY_BLIND_INDEX_KEY=generate_key()):
        stale = search.name_values("Okonkwo")
    for query in (
        "&".join(f"name={value}" for value in stale),
        "name=w.zz",
        "name=Okonkwo",
        "name=",
        "code=Okonkwo",
        "code=b820fe4",
    ):
        response = client_a.get(f"/cases/?status=all&{query}")
        assert response.status_code == 200, query
        assert list(response.context["page"].object_list) == [], query


# The rows behind it ----------------------------------------------------------------------------


def _tokens(person) -> set:
    return set(PersonSearchToken.objects.filter(person=person).values_list("kind", "digest"))


def test_a_changed_name_changes_what_finds_the_person(region_a, client_a):
    case = _case(region_a, "Okonkwo-Eze", "Chinwe")
    person = Person.objects.get(pk=case.person_id)
    person.family_name = "Adeyemi"
    person.save()
    assert _tokens(person) == set(search_tokens("Adeyemi", "Chinwe"))
    assert _found(client_a, "Okonkwo") == []
    assert _found(client_a, "Adeyemi") == [case.pk]
    assert _found(client_a, "Chinwe") == [case.pk]
    # A save that changes no name leaves the rows as they are.
    person = Person.objects.get(pk=case.person_id)
    person.phone = "+31 6 1234 5678"
    before = set(PersonSearchToken.objects.filter(person=person).values_list("pk", flat=True))
    person.save()
    after = set(PersonSearchToken.objects.filter(person=person).values_list("pk", flat=True))
    assert before == after


def test_an_anonymous_person_has_no_search_rows(region_a):
    person = PersonFactory(family_name="Okonkwo", given_names="Chinwe")
    assert _tokens(person)
    person.is_anonymous = True
    person.save()
    assert _tokens(person) == set()


def test_key_rotation_keeps_the_search_working(region_a, client_a):
    old, new = generate_key(), generate_key()
    with override_settings(REGISTRY_ENCRYPTION_KEYS=f"old:{old}"):
        case = _case(region_a, "Okonkwo-Eze", "Chinwe")
    before = _tokens(case.person)
    with override_settings(REGISTRY_ENCRYPTION_KEYS=f"new:{new},old:{old}"):
        run("rotate_keys")  # queued, run by the worker's code, followed to its end
    with override_settings(REGISTRY_ENCRYPTION_KEYS=f"new:{new}"):
        assert _tokens(case.person) == before
        for term in ("Okonkwo", "Eze", "Chinwe", "Okonkwu"):
            assert _found(client_a, term) == [case.pk], term


def test_after_a_new_index_key_the_command_works_the_search_rows_out_again(region_a, client_a):
    case = _case(region_a, "Okonkwo-Eze", "Chinwe")
    with override_settings(REGISTRY_BLIND_INDEX_KEY=generate_key()):
        assert _found(client_a, "Eze") == []  # rows made under the old key
        out = StringIO()
        call_command("refresh_search_tokens", "--batch-size", "1", stdout=out)
        assert "for 3 person(s)" not in out.getvalue()
        assert "Search indexes worked out again for 1 person(s)." in out.getvalue()
        assert _found(client_a, "Eze") == [case.pk]
        assert _found(client_a, "Chinwe") == [case.pk]


@pytest.mark.django_db(transaction=True)
def test_the_migration_fills_the_search_rows_of_every_person(region_a):
    people = [
        PersonFactory(family_name=f"Okonkwo-Eze{n}", given_names="Ada Chinwe") for n in range(3)
    ]
    anonymous = PersonFactory(is_anonymous=True)
    expected = {p.pk: _tokens(p) for p in people}
    assert all(expected.values())
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    executor.migrate([("registry", "0017_background_jobs")])
    try:
        with connection.cursor() as cursor:
            tables = connection.introspection.table_names(cursor)
        assert "registry_personsearchtoken" not in tables
    finally:
        MigrationExecutor(connection).migrate(latest)
    assert {p.pk: _tokens(p) for p in people} == expected
    assert _tokens(anonymous) == set()
