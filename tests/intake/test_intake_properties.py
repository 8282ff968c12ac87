"""Property-based tests of the two intake forms (hypothesis): generated submissions, valid and
not, through the real views with the test client, the real database and real encryption.

For every submission: no server error (the client raises any exception a view lets escape);
a refused one writes nothing (rows counted before and after); an accepted one is read back
from the saved, decrypted records exactly as sent (the form's own normalisation aside: text
fields are stripped of surrounding blanks, as Django's CharField does).

Run cost: the examples share one database set up once per test (regions, organisation,
municipalities, users); each example is one POST. 800 staff and 1,200 reporter
submissions, 2,000 in all.
"""

from __future__ import annotations

import datetime
import os
import re
import time
from collections import Counter
from uuid import uuid4

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from registry import municipalities as municipality_list
from registry.choices import (
    ConsentSigner,
    FileType,
    Gender,
    ReporterType,
    ResidenceStatus,
    Scope,
    Shelter,
)
from registry.models import (
    AuditEvent,
    Case,
    FormOfExploitation,
    MeansOfControl,
    Municipality,
    OutgoingMail,
    Person,
    Registration,
)
from registry.registering import SECTORS_BY_FORM, SECTORS_FOR_ANY_FORM, is_anonymous

pytestmark = pytest.mark.django_db

# 2,000 submissions per run: more of the reporter's (cheaper to refuse: the staff form page
# that a refusal renders is the costly one, docs/PERFORMANCE.md).
STAFF_EXAMPLES = int(os.environ.get("INTAKE_STAFF_EXAMPLES", "800"))
REPORTER_EXAMPLES = int(os.environ.get("INTAKE_REPORTER_EXAMPLES", "1200"))


def examples(count: int) -> settings:
    return settings(
        max_examples=count,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


SAVED = re.compile(r"/intake/(?:registrations|submissions)/([0-9a-f-]{36})/")

# Mostly what a person would send, so most examples reach the save; now and then (one field in
# JUNK_ONE_IN) what a fuzzer sends instead: junk codes, NUL, too long, dates and ages that are
# not, a region that does not exist. The rules (sector and forms, municipality and country,
# consent and age) are left to refuse what does not fit.
JUNK_ONE_IN = 200
TODAY = datetime.date.today()

typed_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=40
)
names = st.sampled_from(["Ana", "Maria", "Popescu", "Nguyễn Thị", "Müller", "O'Brien", "محمد"])
junk_text = st.one_of(
    st.text(max_size=20).map(lambda t: t + "\x00"), st.text(min_size=201, max_size=260)
)
junk_date = st.one_of(st.text(max_size=12), st.dates().map(lambda d: d.strftime("%Y/%d/%m")))
junk_age = st.one_of(
    st.integers(-(10**30), -1).map(str), st.integers(121, 10**30).map(str), st.text(max_size=8)
)
tick = st.sampled_from(["", "on"])
JUNK_CODE = st.sampled_from(["bogus", "", "0"])


@st.composite
def field(draw, valid, junk=None):
    # A value inside the range: hypothesis draws the ends of a range far more often.
    if draw(st.integers(0, JUNK_ONE_IN - 1)) == JUNK_ONE_IN // 3:
        return draw(junk if junk is not None else JUNK_CODE)
    return draw(valid)


def text():
    return field(st.one_of(st.just(""), names, typed_text), junk_text)


def a_date(low=datetime.date(1906, 1, 1), high=TODAY, *, required=False):
    days = st.dates(min_value=low, max_value=high).map(datetime.date.isoformat)
    return field(days if required else st.one_of(st.just(""), days), junk_date)


def choice(values):
    return field(st.sampled_from([str(v) for v in values]))


def codes(values):
    return field(
        st.lists(st.sampled_from([str(v) for v in values]), max_size=3), st.just(["bogus"])
    )


countries = choice(["NL", "RO", "BG", "NG", "UA", "VN", "SY"])
emails = st.builds(
    "{}@{}.org".format,
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789._", min_size=1, max_size=12).filter(
        lambda t: t[0] not in "._" and t[-1] not in "._" and ".." not in t
    ),
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=12),
)


@st.composite
def person_and_case(draw, region_pks):
    forms = draw(codes(FormOfExploitation.Code.values))
    fitting = sorted({s for f in forms for s in SECTORS_BY_FORM.get(f, ())} | SECTORS_FOR_ANY_FORM)
    country = draw(countries)
    return {
        "immediate_danger": draw(tick),
        "region": draw(
            field(st.sampled_from(region_pks), st.sampled_from(["", "x", str(uuid4())]))
        ),
        "given_names": draw(text()),
        "family_name": draw(text()),
        "date_of_birth": draw(a_date()),
        "estimated_age": draw(
            field(st.one_of(st.just(""), st.integers(0, 120).map(str)), junk_age)
        ),
        "believed_minor": draw(tick),
        "gender": draw(choice(Gender.values)),
        "nationality": draw(countries),
        "languages": draw(text()),
        "phone": draw(
            field(
                st.one_of(st.just(""), st.from_regex(r"\+?[0-9 ]{6,20}", fullmatch=True)), junk_text
            )
        ),
        "email": draw(field(st.one_of(st.just(""), emails), st.text(max_size=20))),
        "exploitation_forms": forms,
        "sector": draw(
            field(st.sampled_from(["", *fitting]), st.sampled_from(["bogus", "window"]))
        ),
        "exploitation_country": country,
        "exploitation_municipality": draw(
            field(st.sampled_from(["", "GM0363", "GM0599"] if country in ("", "NL") else [""]))
        ),
        "scope": draw(choice(Scope.values)),
        "unaccompanied_minor": draw(tick),
        "residence_status": draw(choice(ResidenceStatus.values)),
        "file_type": draw(choice(FileType.values)),
        "consent_registration": draw(tick),
        "consent_signed_by": draw(choice(ConsentSigner.values)),
        "consent_care": draw(tick),
    }


@st.composite
def reporter_submission(draw, places):
    """The reporter's form: the municipality where the person was found instead of a region
    (one of ``places``, or a name that is none), sent from the check page."""
    data = draw(person_and_case(list(places.values())))
    del data["region"]
    data["found_in_municipality"] = draw(
        field(st.sampled_from(sorted(places)), st.sampled_from(["", "Atlantis", "GM9999"]))
    )
    data["step"] = "send"
    return data


@st.composite
def staff_submission(draw, region_pks):
    data = draw(person_and_case(region_pks))
    start = draw(a_date(datetime.date(1990, 1, 1)))
    data.update(
        {
            "registered_on": draw(a_date(datetime.date(1990, 1, 1), required=True)),
            "reporter_type": draw(choice(ReporterType.values)),
            "aliases": draw(text()),
            "country_of_birth": draw(countries),
            "address": draw(text()),
            "id_document_country": draw(countries),
            "id_document_number": draw(text()),
            "exploitation_start": start,
            "exploitation_end": draw(a_date(datetime.date(1990, 1, 1))),
            "means_of_control": draw(codes(MeansOfControl.Code.values)),
            "shelter_requested": draw(field(st.sampled_from(["", *Shelter.values]))),
        }
    )
    return data


def _counts() -> tuple[int, ...]:
    return tuple(
        model.objects.count() for model in (Registration, Person, Case, AuditEvent, OutgoingMail)
    )


def _sent(data: dict, name: str) -> str:
    return data.get(name, "").strip()


def _assert_read_back(registration: Registration, data: dict, reporter_type: str) -> None:
    person = registration.person
    anonymous = is_anonymous(reporter_type, data["consent_registration"] == "on")
    personal = ["given_names", "family_name", "phone", "email", "languages"]
    personal += [n for n in ("aliases", "address", "id_document_number") if n in data]
    for name in personal:
        stored = getattr(person, name) or ""
        assert stored == ("" if anonymous else _sent(data, name)), name
    if data["date_of_birth"] and not anonymous:
        assert person.date_of_birth is not None
    if not anonymous and re.fullmatch(r"\d{4}-\d\d-\d\d", data["date_of_birth"]):
        assert person.date_of_birth.isoformat() == data["date_of_birth"]
    assert person.gender == data["gender"]
    assert (person.nationality or "") == data["nationality"]
    if "found_in_municipality" in data:
        # The reporter names a municipality; the region is its region. The file type and the
        # residence status are not asked: recorded as the defaults the help desk completes.
        found = registration.found_in_municipality
        assert (
            municipality_list.match_key(found.name)
            == municipality_list.match_key(data["found_in_municipality"])
            or found.code == data["found_in_municipality"].strip().upper()
        )
        assert registration.region_id == found.region_id
        assert registration.file_type == "registration"
        assert registration.residence_status == "unknown"
    else:
        assert str(registration.region_id) == data["region"]
        assert registration.file_type == data["file_type"]
    assert registration.immediate_danger == (data["immediate_danger"] == "on")
    assert sorted(registration.exploitation_forms.values_list("code", flat=True)) == sorted(
        set(data["exploitation_forms"])
    )
    assert registration.sector == data["sector"]
    assert registration.consent_care == (data["consent_care"] == "on")
    if "registered_on" in data and re.fullmatch(r"\d{4}-\d\d-\d\d", data["registered_on"]):
        assert registration.registered_on.isoformat() == data["registered_on"]
    if "means_of_control" in data:
        assert sorted(registration.means_of_control.values_list("code", flat=True)) == sorted(
            set(data["means_of_control"])
        )


def _post_and_check(client, url: str, data: dict, reporter_type, outcomes: Counter) -> None:
    before = _counts()
    started = time.perf_counter()
    response = client.post(url, data)
    assert response.status_code in (200, 302), response.status_code
    kind = "saved" if response.status_code == 302 else "refused"
    outcomes[kind] += 1
    outcomes[f"{kind} seconds"] += time.perf_counter() - started
    if response.status_code == 200:
        if os.environ.get("INTAKE_WHY"):
            form = response.context["form"]
            outcomes.update(
                f"why {name} {form.errors[name][0][:40]} {data.get(name)!r:.20}"
                for name in form.errors
            )
        assert _counts() == before, "a refused submission wrote something"
        return
    found = SAVED.search(response["Location"])
    assert found, response["Location"]
    registration = Registration.objects.select_related("person").get(pk=found.group(1))
    assert _counts()[0] == before[0] + 1
    _assert_read_back(registration, data, reporter_type(data))


def _assert_both_ways_taken(outcomes: Counter) -> None:
    """The generator reaches the save most of the time and the refusals too."""
    print(dict(outcomes))
    assert outcomes["saved"] >= outcomes["refused"] > 0


@pytest.fixture
def regions(region_a, region_b, region_c, municipalities, coordinator_a, coordinator_b):
    return [str(region_a.pk), str(region_b.pk), str(region_c.pk)]


@pytest.fixture
def places(regions, municipalities):
    """Municipalities a reporter may name, by name or code, each in one of the test regions."""
    for code, region in zip(("GM0363", "GM0599", "GM0344"), regions, strict=True):
        Municipality.objects.filter(code=code).update(region_id=region)
    return {"Amsterdam": regions[0], "rotterdam": regions[1], "GM0344": regions[2]}


def test_generated_staff_submissions_are_saved_as_sent_or_refused_whole(
    client_for, helpdesk, regions
):
    client = client_for(helpdesk)
    outcomes: Counter = Counter()

    @examples(STAFF_EXAMPLES)
    @given(data=staff_submission(regions))
    def submit(data):
        _post_and_check(
            client,
            "/intake/register/",
            {**data, "step": "save", "person_choice": "new"},
            lambda d: d.get("reporter_type", ""),
            outcomes,
        )

    submit()
    _assert_both_ways_taken(outcomes)


def test_generated_reporter_submissions_are_saved_as_sent_or_refused_whole(
    client_for, reporter, places
):
    client = client_for(reporter)
    reporter_type = reporter.organisation.reporter_type
    outcomes: Counter = Counter()

    @examples(REPORTER_EXAMPLES)
    @given(data=reporter_submission(places))
    def submit(data):
        _post_and_check(client, "/intake/submit/", data, lambda d: reporter_type, outcomes)

    submit()
    _assert_both_ways_taken(outcomes)
