"""Benchmark of the intake: the cost of a complete staff intake, and duplicate lookup at scale.

Run from the repository root:

    .venv/bin/python bench/intake.py            # 1,000,000 persons (about 2-4 minutes)
    BENCH_PERSONS=100000 .venv/bin/python bench/intake.py   # quicker
    .venv/bin/python bench/intake.py --post-only \
        --database postgres://postgres@127.0.0.1:5432/bench_intake   # part 1 on PostgreSQL
    .venv/bin/python bench/intake.py --form-only      # part 1b only
    .venv/bin/python bench/intake.py --capacity [--database postgres://.../bench_...]  # part 3
    BENCH_CLOCK=cpu .venv/bin/python bench/intake.py --post-only   # part 1 in CPU time

1. Median server time of a complete staff intake POST (form, rules, duplicate check,
   encryption, person + registration + case + audit event, routing) against a plain
   ModelForm save of the same fields into one table without encryption, all through the same
   Django stack (middleware, session, login, ATOMIC_REQUESTS), taking turns, each posted
   form-urlencoded as the browser sends the intake form. Goal: at most 1.5x. Three baselines
   (see plain_models_and_views); the goal is judged against the strictest one that still
   saves the same fields ("same fields, same form fields"), and all three are printed.
1b. Median server time of the staff intake form GET against the review POST (the same form
   filled in, validated, checked for duplicates and shown for checking), taking turns, with
   the template includes and options of one form page. Goal: at most 1.5x. Not with
   ``--post-only``. Beside it a "Next" of the server's steps (issue 15: the same form
   validated and shown at step 3) against the review POST; goal: at most 1.5x.
2. Duplicate lookup by blind index among BENCH_PERSONS persons against decrypting and
   comparing every person. The decrypt-all baseline is measured on a sample and extrapolated
   linearly (said so in the output). Goal: under 5 ms and at least 1,000x faster.

3. ``--capacity`` only: routing's ``pick_coordinator`` (a region with three coordinators) and
   the help desk's list (its query, 100 rows read) at 1,000 and at BENCH_CAPACITY_PERSONS
   (100,000) persons, each with a case (40% open), filled in bulk into the same database one
   after the other; prints the list's query plan. Goal: the larger at most 1.5x the smaller.

The database is a SQLite file under /tmp, made afresh each run, or with ``--database`` a
PostgreSQL database whose name starts with ``bench_``, dropped and made afresh (with
``--post-only``, ``--form-only`` or ``--capacity``; part 2 fills SQLite directly). Ends with
one RESULT line.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import os
import random
import sqlite3
import statistics
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# A throwaway benchmark database; BENCH_SQLITE names another file (for runs side by side).
DB_PATH = Path(os.environ.get("BENCH_SQLITE", "/tmp/intake_bench.sqlite3"))  # noqa: S108
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")

PERSONS = int(os.environ.get("BENCH_PERSONS", "1000000"))
POSTS = int(os.environ.get("BENCH_POSTS", "150"))
FORM_RUNS = int(os.environ.get("BENCH_FORM_RUNS", "60"))
LOOKUPS = int(os.environ.get("BENCH_LOOKUPS", "300"))
DECRYPT_SAMPLE = int(os.environ.get("BENCH_DECRYPT_SAMPLE", "2000"))
BATCH = 20_000
# The POST timings' clock: wall time (the goal's), or with BENCH_CLOCK=cpu this process's CPU
# time, which other processes on a busy machine barely move (no disk waits, no run queue).
CLOCK = time.process_time if os.environ.get("BENCH_CLOCK") == "cpu" else time.perf_counter
CONSONANTS = "bdfjklmnprst"  # letters with distinct metaphone codes


def name_for(i: int, syllables: int = 6) -> str:
    """A pronounceable, unique family name per number, so phonetic keys vary as in life."""
    letters = []
    for _ in range(syllables):
        i, digit = divmod(i, len(CONSONANTS))
        letters.append(CONSONANTS[digit] + "ae"[i % 2])
    return "".join(letters).capitalize()


def setup_django(database: str | None, sqlite_path: Path = DB_PATH) -> None:
    """Django on a fresh database: ``sqlite_path`` made afresh, or ``database`` (PostgreSQL)
    dropped and made afresh; migrated. bench/matching.py uses it too."""
    if database is None:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{sqlite_path}{suffix}").unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{sqlite_path}"
    else:
        fresh_postgres(database)
        os.environ["DATABASE_URL"] = database
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def fresh_postgres(url: str) -> None:
    """Drop and create the bench's own PostgreSQL database (its name must start with bench_)."""
    import psycopg
    from dj_database_url import parse

    cfg = parse(url)
    if cfg["ENGINE"] != "django.db.backends.postgresql" or not cfg["NAME"].startswith("bench_"):
        raise SystemExit("--database: a postgres:// URL of a database named bench_...")
    admin = psycopg.connect(
        host=cfg["HOST"],
        port=cfg["PORT"] or 5432,
        user=cfg["USER"],
        password=cfg["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    )
    admin.execute(f'DROP DATABASE IF EXISTS "{cfg["NAME"]}"')
    admin.execute(f'CREATE DATABASE "{cfg["NAME"]}"')
    admin.close()


def ms(seconds: float) -> float:
    return seconds * 1000


# 1. Intake POST against a plain ModelForm save ----------------------------------------------


def intake_fields() -> dict[str, list[str]]:
    """The intake's fields by the model they are stored on, as registry.registering records
    them (the residence status goes on the case; the estimated age becomes the registration's
    age)."""
    from intake.forms import PERSONAL_FORM_FIELDS, StaffRegistrationForm
    from registry.registering import PERSON_STAT_FIELDS, REGISTRATION_FIELDS

    # The staff form's: the municipality where a reporter found the person is the reporter's.
    staff = StaffRegistrationForm.base_fields
    return {
        "Registration": [
            *(name for name in REGISTRATION_FIELDS if name in staff),
            "exploitation_forms",
            "means_of_control",
        ],
        "Person": [*PERSONAL_FORM_FIELDS, *PERSON_STAT_FIELDS],
        "Case": ["residence_status"],
    }


def _same_field(field):  # noqa: ANN001, ANN202
    """The registry's field as a plain Django field: same type, choices, length and relation;
    an encrypted field becomes the clear field of its type (e-mail and document country keep
    the validation the intake form gives them)."""
    from django.db import models
    from django_countries.fields import CountryField

    from registry.fields import EncryptedDateField, EncryptedTextField

    name = field.name
    if name == "email":
        return models.EmailField(max_length=254, blank=True)
    if name == "id_document_country":
        return CountryField(blank=True)
    if isinstance(field, EncryptedDateField):
        return models.DateField(null=True, blank=True)
    if isinstance(field, EncryptedTextField):
        return models.TextField(blank=True)
    if getattr(field, "encrypted", False):
        return models.CharField(max_length=field.max_length, blank=True)
    if field.many_to_many:
        return models.ManyToManyField(field.related_model, blank=True, related_name="+")
    if field.is_relation:
        return models.ForeignKey(
            field.related_model,
            on_delete=models.PROTECT,
            related_name="+",
            null=field.null,
            blank=field.blank,
        )
    _name, _path, args, kwargs = field.deconstruct()
    return type(field)(*args, **kwargs)


def _without_choices(field):  # noqa: ANN001, ANN202
    """The same model field with its choice list left to the form (see ``fair`` below)."""
    from django.db import models

    if not getattr(field, "choices", None) or field.is_relation:
        return field
    _name, _path, args, kwargs = field.deconstruct()
    kwargs.pop("choices", None)
    if type(field).__module__.startswith("django_countries"):
        return models.CharField(max_length=2, blank=kwargs.get("blank", False))
    return type(field)(*args, **kwargs)


def plain_models_and_views():
    """Three baselines, each a one-table model in clear with a stock ModelForm and a view that
    calls ``form.save()``; none encrypts, checks duplicates, numbers, routes or audits:

    - ``fair`` ("same fields, same form fields"): the intake's fields as the registry defines
      them (types, lengths, the region as a foreign key, the code lists as many-to-many rows),
      validated by the very form fields the intake's form uses (``StaffRegistrationForm``),
      so both sides pay the same validation and the difference is what the goal is about:
      encryption and the intake's own work. The strictest baseline that still saves the
      same fields; the goal is judged against it.
    - ``stock``: the same model with the registry's choice lists on the model fields and the
      form fields Django makes from them. Django checks a choice by scanning its list, in
      the form and again in the model (four country fields of 250 choices), so this
      baseline is slower than the intake; printed for comparison only.
    - ``flat``: the bench's first baseline: code lists and region flattened into text and
      integer columns, no choices, no relation rows. It does not save the same fields (the
      code lists are one text column, not rows, and the region is not checked); printed
      for comparison only.
    """
    from django import forms
    from django.apps import apps
    from django.contrib.auth.decorators import login_required
    from django.db import connection, models
    from django.http import HttpResponseRedirect

    from intake.forms import StaffRegistrationForm

    same_fields = {}
    for model_name, names in intake_fields().items():
        model = apps.get_model("registry", model_name)
        for name in names:
            same_fields[name] = _same_field(model._meta.get_field(name))
    same_fields["estimated_age"] = models.PositiveSmallIntegerField(null=True, blank=True)

    def model_of(name: str, table: str, fields: dict):  # noqa: ANN202
        meta = type("Meta", (), {"app_label": "intake", "db_table": table})
        return type(name, (models.Model,), {"__module__": __name__, **fields, "Meta": meta})

    StockFields = model_of("StockFields", "bench_same", same_fields)  # noqa: N806
    FairFields = model_of(  # noqa: N806
        "FairFields",
        "bench_fair",
        {name: _without_choices(field.clone()) for name, field in same_fields.items()},
    )
    intake_form_fields = StaffRegistrationForm.base_fields
    missing = set(same_fields) - set(intake_form_fields)
    if missing:
        raise RuntimeError(f"the intake form has no field for {sorted(missing)}")

    class FlatIntake(models.Model):
        immediate_danger = models.BooleanField(default=False)
        registered_on = models.DateField()
        reporter_type = models.CharField(max_length=32)
        region_id = models.IntegerField()
        given_names = models.CharField(max_length=200, blank=True)
        family_name = models.CharField(max_length=200, blank=True)
        aliases = models.TextField(blank=True)
        date_of_birth = models.DateField(null=True, blank=True)
        estimated_age = models.IntegerField(null=True, blank=True)
        gender = models.CharField(max_length=10)
        nationality = models.CharField(max_length=2, blank=True)
        country_of_birth = models.CharField(max_length=2, blank=True)
        languages = models.CharField(max_length=200, blank=True)
        phone = models.CharField(max_length=50, blank=True)
        email = models.EmailField(blank=True)
        address = models.TextField(blank=True)
        id_document_country = models.CharField(max_length=2, blank=True)
        id_document_number = models.CharField(max_length=100, blank=True)
        exploitation_forms = models.CharField(max_length=200, blank=True)
        sector = models.CharField(max_length=20, blank=True)
        exploitation_country = models.CharField(max_length=2, blank=True)
        exploitation_municipality = models.CharField(max_length=100, blank=True)
        scope = models.CharField(max_length=20)
        means_of_control = models.CharField(max_length=400, blank=True)
        unaccompanied_minor = models.BooleanField(default=False)
        residence_status = models.CharField(max_length=24)
        file_type = models.CharField(max_length=24)
        shelter_requested = models.CharField(max_length=20, blank=True)
        consent_registration = models.BooleanField(default=False)
        consent_signed_by = models.CharField(max_length=10, blank=True)
        consent_care = models.BooleanField(default=False)

        class Meta:
            app_label = "intake"
            db_table = "bench_plain_intake"

        def __str__(self) -> str:
            return str(self.pk)

    def form_for(model, declared=None):  # noqa: ANN001, ANN202
        meta = type("Meta", (), {"model": model, "exclude": ["id"]})
        attrs = {**(declared or {}), "Meta": meta}
        return type(f"{model.__name__}Form", (forms.ModelForm,), attrs)

    with connection.schema_editor() as editor:
        editor.create_model(FairFields)
        editor.create_model(StockFields)
        editor.create_model(FlatIntake)

    fair_form = form_for(FairFields, {name: intake_form_fields[name] for name in same_fields})
    stock_form, flat_form = form_for(StockFields), form_for(FlatIntake)

    def saving(form_class):  # noqa: ANN001, ANN202
        @login_required
        def view(request):  # noqa: ANN001, ANN202
            form = form_class(request.POST)
            if not form.is_valid():
                raise RuntimeError(f"baseline form invalid: {form.errors.as_json()}")
            obj = form.save()
            return HttpResponseRedirect(f"/done/{obj.pk}/")

        return view

    @login_required
    def flat_view(request):  # noqa: ANN001, ANN202
        data = request.POST.copy()
        data["region_id"] = data.get("region")
        for name in ("exploitation_forms", "means_of_control"):
            data[name] = ";".join(request.POST.getlist(name))
        form = flat_form(data)
        if not form.is_valid():
            raise RuntimeError(f"baseline form invalid: {form.errors.as_json()}")
        obj = form.save()
        return HttpResponseRedirect(f"/done/{obj.pk}/")

    views = Baselines({"fair": saving(fair_form), "stock": saving(stock_form), "flat": flat_view})
    views.models = {"fair": FairFields, "stock": StockFields, "flat": FlatIntake}
    return views


class Baselines(dict):
    """The baselines' views by name; ``models`` holds the model each one saves."""

    models: dict


def bench_post() -> tuple[dict[str, float], dict[str, int]]:
    """Median seconds of each kind of POST, and the SQL statements each one runs."""
    from urllib.parse import urlencode

    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext
    from django.urls import include, path

    from registry import once
    from registry.choices import Role
    from registry.models import Region, Registration, User
    from tests.logins import verify_second_factor

    region = Region.objects.create(code="bench", name="Bench")
    user = User.objects.create_user(
        "bench-coordinator", "c@example.org", "x", role=Role.COORDINATOR
    )
    user.regions.set([region])
    views = plain_models_and_views()

    import types

    urls = types.ModuleType("bench_intake_urls")
    urls.urlpatterns = [
        *(path(f"bench/{kind}/", view) for kind, view in views.items()),
        path("", include("config.urls")),
    ]
    sys.modules["bench_intake_urls"] = urls

    def data(i: int) -> dict:
        return {
            "immediate_danger": "on" if i % 10 == 0 else "",
            "registered_on": datetime.date.today().isoformat(),
            "reporter_type": "police",
            "region": str(region.pk),
            "given_names": name_for(i + 7_000_000, 3),
            "family_name": name_for(i + 5_000_000),
            "aliases": "",
            "date_of_birth": f"19{60 + i % 40}-0{1 + i % 9}-1{i % 9}",
            "gender": "female",
            "nationality": "RO",
            "country_of_birth": "RO",
            "languages": "Romanian",
            "phone": f"+40 700 {i:06d}",
            "email": f"p{i}@example.org",
            "address": f"Street {i}",
            "id_document_country": "RO",
            "id_document_number": f"RX{i:08d}",
            "exploitation_forms": ["sexual"],
            "sector": "window",
            "exploitation_country": "NL",
            "exploitation_municipality": "GM0363",  # Amsterdam (a code from the CBS list)
            "scope": "cross_border",
            "means_of_control": ["debt_bondage", "threats"],
            "residence_status": "reflection_period",
            "file_type": "registration",
            "shelter_requested": "",
            "consent_registration": "on",
            "consent_signed_by": "victim",
            "consent_care": "on",
        }

    client = Client()
    client.force_login(user)

    # Staff reach no page before a second factor: the session has verified one.

    verify_second_factor(client, user)
    urls_of = {"intake": "/intake/register/", **{kind: f"/bench/{kind}/" for kind in views}}
    times: dict[str, list[float]] = {kind: [] for kind in urls_of}
    statements: dict[str, int] = {}
    with override_settings(ROOT_URLCONF="bench_intake_urls"):
        for i in range(POSTS + 10):  # the first 10 of each warm up and are not counted
            payload = data(i)
            for kind, url in urls_of.items():
                # The one-time token the check page gives the form (registry/once.py).
                token = {once.FIELD: once.new_token(user)}
                fields = {**payload, "step": "save", "person_choice": "new", **token}
                # As the browser sends the form (no enctype, so not multipart).
                body = urlencode(fields if kind == "intake" else payload, doseq=True)
                # Counted on the last warm-up, when one-time lookups are cached.
                counting = CaptureQueriesContext(connection) if i == 9 else None
                timed: list[tuple[float, str]] = []

                def timing(execute, sql, params, many, context, timed=timed):  # noqa: ANN001
                    began = time.perf_counter()
                    try:
                        return execute(sql, params, many, context)
                    finally:
                        timed.append((time.perf_counter() - began, sql))

                with (
                    contextlib.nullcontext() if counting is None else counting,
                    connection.execute_wrapper(timing)
                    if counting is not None and os.environ.get("BENCH_SHOW_SQL")
                    else contextlib.nullcontext(),
                ):
                    start = CLOCK()
                    response = client.post(
                        url, body, content_type="application/x-www-form-urlencoded"
                    )
                    elapsed = CLOCK() - start
                if counting is not None:
                    statements[kind] = len(counting.captured_queries)
                    if os.environ.get("BENCH_SHOW_SQL") in (
                        "all",
                        kind if kind == "intake" else "1",
                    ):
                        for seconds, sql in timed:
                            print(f"    {seconds * 1000:6.3f} ms", sql[:140])
                    if os.environ.get("BENCH_SHOW_SQL"):
                        spent = sum(seconds for seconds, _sql in timed) * 1000
                        print(f"  {kind}: {statements[kind]} statements, {spent:.2f} ms in them")
                if response.status_code != 302:
                    raise RuntimeError(f"{kind} POST failed: {response.status_code}")
                if i >= 10:
                    times[kind].append(elapsed)
                if kind == "intake":
                    # As the user's browser does (not timed): the confirmation page shows and
                    # so consumes the success message, which would otherwise pile up in the
                    # session and be encoded again by every later POST.
                    client.get(response["Location"])
    # Every request saved everything: the registrations, and each baseline its rows and, for
    # the same-fields ones, their code-list rows (one form and two means of control each).
    assert Registration.objects.count() == POSTS + 10
    for kind, model in views.models.items():
        assert model.objects.count() == POSTS + 10, kind
        if kind != "flat":
            codes = model.exploitation_forms.through.objects.count()
            means = model.means_of_control.through.objects.count()
            assert (codes, means) == (POSTS + 10, 2 * (POSTS + 10)), kind
    return {kind: statistics.median(runs) for kind, runs in times.items()}, statements


# 1b. The intake form page against the review POST --------------------------------------------


def bench_form_page() -> dict[str, float]:
    """Median seconds of the staff intake form GET and of the review POST (the same form
    filled in, validated, checked for duplicates and summarised), taking turns, with the
    number of template includes of one form page."""
    from urllib.parse import urlencode

    from django.template.loader_tags import IncludeNode
    from django.test import Client

    from registry.choices import Role
    from registry.models import Region, User
    from tests.logins import verify_second_factor

    region = Region.objects.create(code="bench-form", name="Bench form")
    user = User.objects.create_user("bench-form", "f@example.org", "x", role=Role.COORDINATOR)
    user.regions.set([region])
    client = Client()
    client.force_login(user)
    verify_second_factor(client, user)
    payload = {
        "registered_on": datetime.date.today().isoformat(),
        "reporter_type": "police",
        "region": str(region.pk),
        "given_names": "Ana",
        "family_name": "Benchform",
        "date_of_birth": "1990-01-02",
        "gender": "female",
        "nationality": "RO",
        "country_of_birth": "RO",
        "id_document_country": "RO",
        "exploitation_forms": ["sexual"],
        "sector": "window",
        "exploitation_country": "NL",
        "scope": "cross_border",
        "residence_status": "reflection_period",
        "file_type": "registration",
        "consent_registration": "on",
        "consent_signed_by": "victim",
        "step": "review",
    }
    body = urlencode(payload, doseq=True)
    # A "Next" of the server's steps (issue 15): the same form, checked up to step 3 and shown
    # at step 3 (a bound form rendered afresh).
    step_body = urlencode({**payload, "step": "3", "reached": "2"}, doseq=True)
    times: dict[str, list[float]] = {"form_get": [], "review_post": [], "step_post": []}
    for i in range(FORM_RUNS + 5):  # the first 5 warm up
        for kind in times:
            start = time.perf_counter()
            if kind == "form_get":
                response = client.get("/intake/register/")
            else:
                response = client.post(
                    "/intake/register/",
                    step_body if kind == "step_post" else body,
                    content_type="application/x-www-form-urlencoded",
                )
            elapsed = time.perf_counter() - start
            if response.status_code != 200:
                raise RuntimeError(f"{kind} failed: {response.status_code}")
            if kind == "review_post" and b'name="step" value="save"' not in response.content:
                raise RuntimeError("the review POST did not reach the check page")
            if kind == "step_post" and b'id="step-3-heading" tabindex="-1" autofocus' not in (
                response.content
            ):
                raise RuntimeError("the step POST did not show step 3")
            if i >= 5:
                times[kind].append(elapsed)
    includes = 0
    render = IncludeNode.render

    def counting(node, context):  # noqa: ANN001, ANN202
        nonlocal includes
        includes += 1
        return render(node, context)

    IncludeNode.render = counting
    try:
        page = client.get("/intake/register/").content
    finally:
        IncludeNode.render = render
    result = {kind: statistics.median(runs) for kind, runs in times.items()}
    result["includes"] = includes
    result["options"] = page.count(b"<option")
    return result


def report_form_page() -> str:
    form = bench_form_page()
    ratio = form["form_get"] / form["review_post"]
    print(
        f"staff intake form GET, median of {FORM_RUNS}: {ms(form['form_get']):.2f} ms "
        f"({form['includes']} template includes, {form['options']} options)"
    )
    print(f"review POST (check page), median of {FORM_RUNS}: {ms(form['review_post']):.2f} ms")
    print(f"ratio form GET / review POST: {ratio:.2f}x (goal <= 1.5x)")
    step_ratio = form["step_post"] / form["review_post"]
    print(f"step POST (Next to step 3), median of {FORM_RUNS}: {ms(form['step_post']):.2f} ms")
    print(f"ratio step POST / review POST: {step_ratio:.2f}x (goal <= 1.5x)")
    return (
        f"form_get_ms={ms(form['form_get']):.2f} review_post_ms={ms(form['review_post']):.2f} "
        f"form_ratio={ratio:.2f} form_goal_met={'yes' if ratio <= 1.5 else 'no'} "
        f"form_includes={form['includes']} step_post_ms={ms(form['step_post']):.2f} "
        f"step_ratio={step_ratio:.2f} step_goal_met={'yes' if step_ratio <= 1.5 else 'no'}"
    )


# 3. Routing and the help-desk list from 1,000 to 100,000 persons ------------------------------

CAPACITY_SIZES = (1_000, int(os.environ.get("BENCH_CAPACITY_PERSONS", "100000")))
CAPACITY_REGIONS = 20  # the last 3 have no coordinator: the help desk coordinates them
CAPACITY_RUNS = int(os.environ.get("BENCH_CAPACITY_RUNS", "200"))


def fill_cases(start: int, stop: int, regions: list, coordinators: dict) -> None:
    """Persons ``start``..``stop`` (statistical fields only), each with one case in region
    ``i % 20``: 40% open (a tenth of those unassigned), 60% closed, opened over three years,
    a third with a reflection period. Inserted in bulk (Case.save() skipped), so the open-case
    counts are recounted after, as ``manage.py recount_open_cases`` does."""
    from registry.choices import CaseStatus
    from registry.models import Case, OpenCaseCount, Person

    rng = random.Random(start)
    today = datetime.date.today()
    for first in range(start, stop, 5000):
        people, cases = [], []
        for i in range(first, min(first + 5000, stop)):
            person = Person(gender="female", nationality="RO", year_of_birth=1990)
            people.append(person)
            region = regions[i % len(regions)]
            open_ = rng.random() < 0.4
            status = rng.choice([CaseStatus.NEW, CaseStatus.IN_CARE, CaseStatus.REOPENED])
            mine = coordinators.get(region.pk) or []
            opened = today - datetime.timedelta(days=rng.randrange(1, 1100))
            reflection = opened if rng.random() < 0.33 else None
            cases.append(
                Case(
                    person=person,
                    region=region,
                    coordinator=rng.choice(mine) if mine and rng.random() < 0.9 else None,
                    status=status if open_ else CaseStatus.CLOSED,
                    closed_reason="" if open_ else "other",
                    opened_on=opened,
                    reflection_start=reflection,
                    reflection_end=reflection + datetime.timedelta(days=90) if reflection else None,
                )
            )
        Person.objects.bulk_create(people)
        Case.objects.bulk_create(cases)
    OpenCaseCount.objects.recount()


def bench_capacity() -> dict[int, dict[str, float]]:
    """Median seconds of pick_coordinator (a region with three coordinators) and of the
    help desk's list (the query of registry.views.helpdesk, 100 rows read) at each size."""
    from django.db import connection
    from django.db.models import Q

    from intake.routing import pick_coordinator
    from registry.choices import Role
    from registry.models import Case, Region, User

    regions = [
        Region.objects.create(code=f"cap-{r}", name=f"Capacity {r}")
        for r in range(CAPACITY_REGIONS)
    ]
    coordinators: dict[int, list] = {}
    for region in regions[:-3]:
        for c in range(3):
            user = User.objects.create_user(
                f"cap-{region.pk}-{c}", f"c{region.pk}{c}@example.org", "x", role=Role.COORDINATOR
            )
            user.regions.set([region])
            coordinators.setdefault(region.pk, []).append(user)
    helpdesk = User.objects.create_user("cap-helpdesk", "h@example.org", "x", role=Role.HELPDESK)

    def helpdesk_list() -> list:
        uncovered = Region.objects.without_active_coordinator().filter(is_active=True)
        return list(
            Case.objects.for_user(helpdesk)
            .filter(Q(region__in=uncovered.values("pk")) | Q(coordinator__isnull=True))
            .select_related("region", "registration")
            .open_by_deadline()[:100]
        )

    results: dict[int, dict[str, float]] = {}
    filled = 0
    for size in CAPACITY_SIZES:
        started = time.perf_counter()
        fill_cases(filled, size, regions, coordinators)
        filled = size
        with connection.cursor() as cursor:
            # As a registry that has run a while is: statistics made, PostgreSQL's visibility
            # map set (a bulk insert leaves it to autovacuum, which would run mid-measurement).
            cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
        print(f"filled {size:,} persons and cases in {time.perf_counter() - started:.0f} s")
        timings: dict[str, list[float]] = {"pick": [], "list": [], "round_trip": []}
        region = regions[0]
        for i in range(CAPACITY_RUNS + 10):
            start = time.perf_counter()
            chosen = pick_coordinator(region)
            picked = time.perf_counter() - start
            start = time.perf_counter()
            rows = helpdesk_list()
            listed = time.perf_counter() - start
            assert chosen is not None and rows
            # The machine's state at this size: one empty round trip to the database.
            start = time.perf_counter()
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
            round_trip = time.perf_counter() - start
            if i >= 10:
                timings["round_trip"].append(round_trip)
                timings["pick"].append(picked)
                timings["list"].append(listed)
        results[size] = {kind: statistics.median(runs) for kind, runs in timings.items()}
    with connection.cursor() as cursor:
        sql, params = (
            Case.objects.for_user(helpdesk)
            .filter(
                Q(region__in=Region.objects.without_active_coordinator().values("pk"))
                | Q(coordinator__isnull=True)
            )
            .open_by_deadline()[:100]
            .query.sql_with_params()
        )
        explain = "EXPLAIN " if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN "
        cursor.execute(explain + sql, params)
        print("help-desk list plan at the larger size:")
        for line in cursor.fetchall():
            print("   ", " ".join(str(part) for part in line))
    return results


def report_capacity() -> str:
    results = bench_capacity()
    small, large = CAPACITY_SIZES
    parts = []
    for kind, what in (
        ("pick", "pick_coordinator"),
        ("list", "help-desk list"),
        ("round_trip", "reference: SELECT 1"),
    ):
        ratio = results[large][kind] / results[small][kind]
        print(
            f"{what}: {ms(results[small][kind]):.3f} ms at {small:,} persons, "
            f"{ms(results[large][kind]):.3f} ms at {large:,}; ratio {ratio:.2f}x"
            + ("" if kind == "round_trip" else " (goal <= 1.5x)")
        )
        parts.append(
            f"{kind}_small_ms={ms(results[small][kind]):.3f} "
            f"{kind}_large_ms={ms(results[large][kind]):.3f} {kind}_ratio={ratio:.2f}"
        )
    return " ".join(parts)


# 2. Duplicate lookup at scale ----------------------------------------------------------------


def fill_persons(n: int) -> list[tuple[str, str, datetime.date, int]]:
    """Insert ``n`` persons carrying only clear fields and blind indexes (raw SQL, fast)."""
    from registry.models.people import family_name_index, name_dob_index, phonetic_index

    rng = random.Random(7)
    conn = sqlite3.connect(DB_PATH)
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("PRAGMA journal_mode=MEMORY")
    now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M:%S")
    sql = (
        "INSERT INTO registry_person (id, gender, nationality, country_of_birth, year_of_birth,"
        " year_of_birth_estimated, is_anonymous, bi_family_name, bi_name_dob, bi_document,"
        " bi_phonetic, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)"
    )
    probes: list[tuple[str, str, datetime.date, int]] = []
    rows = []
    for i in range(n):
        family = name_for(i)
        given = name_for(i % 5000, 3)
        dob = datetime.date(1950 + i % 55, 1 + i % 12, 1 + i % 28)
        rows.append(
            (
                uuid.uuid4().hex,
                "female",
                "RO",
                "",
                dob.year,
                False,
                False,
                family_name_index(family),
                name_dob_index(family, given, dob),
                None,
                phonetic_index(family, dob.year),
                now,
                now,
            )
        )
        if rng.random() < LOOKUPS / max(n, 1):
            probes.append((family, given, dob, dob.year))
        if len(rows) >= BATCH:
            conn.executemany(sql, rows)
            rows = []
    if rows:
        conn.executemany(sql, rows)
    conn.commit()
    conn.execute("ANALYZE")
    conn.close()
    return probes


def bench_lookup(probes: list[tuple[str, str, datetime.date, int]]) -> tuple[float, int]:
    from intake.matching import find_matches, indexes_for
    from registry.choices import Role
    from registry.models import User

    admin = User.objects.create_user("bench-admin", "a@example.org", "x", role=Role.ADMINISTRATOR)
    times, found = [], 0
    for family, given, dob, _year in probes:
        ix = indexes_for(family_name=family, given_names=given, date_of_birth=dob)
        start = time.perf_counter()
        matches = find_matches(admin, ix)
        times.append(time.perf_counter() - start)
        found += bool(matches)
    return statistics.median(times), found


def bench_decrypt_all(sample: int) -> float:
    """Seconds per person to decrypt names and date of birth and compare them."""
    from registry.crypto import normalise
    from registry.models import Person

    people = [
        Person(
            given_names=f"Given {i}",
            family_name=f"Sample{i:06d}",
            date_of_birth=datetime.date(1980, 1, 1 + i % 28),
            gender="female",
        )
        for i in range(sample)
    ]
    for person in people:
        person.save()
    wanted = (normalise("Sample000001"), normalise("Given 1"), datetime.date(1980, 1, 2))
    ids = [p.pk for p in people]
    start = time.perf_counter()
    hits = 0
    for person in Person.objects.filter(pk__in=ids).iterator(chunk_size=2000):
        if (
            normalise(person.family_name or ""),
            normalise(person.given_names or ""),
            person.date_of_birth,
        ) == wanted:
            hits += 1
    elapsed = time.perf_counter() - start
    assert hits == 1
    return elapsed / sample


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--post-only", action="store_true", help="part 1 only")
    parser.add_argument(
        "--capacity",
        action="store_true",
        help="pick_coordinator and the help-desk list at 1,000 and 100,000 persons only",
    )
    parser.add_argument(
        "--form-only", action="store_true", help="the form GET against the review POST only"
    )
    parser.add_argument(
        "--database", help="postgres://.../bench_... (with --post-only); default SQLite"
    )
    args = parser.parse_args()
    if args.database and not (args.post_only or args.capacity or args.form_only):
        parser.error("--database needs --post-only: part 2 fills a SQLite file directly")
    wall = time.perf_counter()
    setup_django(args.database)
    from django.db import connection

    print(f"database: {connection.vendor}")
    if args.capacity:
        print(f"bench wall time: {time.perf_counter() - wall:.0f} s")
        print(f"RESULT database={connection.vendor} {report_capacity()}")
        return
    form_result = "" if args.post_only else report_form_page()
    if args.form_only:
        print(f"RESULT database={connection.vendor} {form_result}")
        return
    medians, statements = bench_post()
    intake_s = medians["intake"]
    ratio = intake_s / medians["fair"]

    def line(kind: str, what: str) -> None:
        print(
            f"{what}: median {ms(medians[kind]):.2f} ms, {statements[kind]} SQL statements; "
            f"intake / this: {intake_s / medians[kind]:.2f}x"
        )

    print(
        f"staff intake POST, median of {POSTS}: {ms(intake_s):.2f} ms, "
        f"{statements['intake']} SQL statements"
    )
    line("fair", "plain ModelForm save of the same fields with the intake's form fields (goal)")
    line("stock", "stock ModelForm of the same fields, choices scanned by Django (comparison)")
    line("flat", "flattened one-table save, code lists as text (comparison)")
    print(f"ratio intake / plain ModelForm of the same fields: {ratio:.2f}x (goal <= 1.5x)")
    post_result = (
        f"intake_post_ms={ms(intake_s):.2f} plain_modelform_ms={ms(medians['fair']):.2f} "
        f"post_ratio={ratio:.2f} goal_met={'yes' if ratio <= 1.5 else 'no'} "
        f"stock_modelform_ms={ms(medians['stock']):.2f} "
        f"stock_ratio={intake_s / medians['stock']:.2f} "
        f"flat_baseline_ms={ms(medians['flat']):.2f} flat_ratio={intake_s / medians['flat']:.2f} "
        f"{form_result}"
    )
    if args.post_only:
        print(f"bench wall time: {time.perf_counter() - wall:.0f} s")
        print(f"RESULT database={connection.vendor} {post_result}")
        return

    started = time.perf_counter()
    probes = fill_persons(PERSONS)
    took = time.perf_counter() - started
    print(f"inserted {PERSONS:,} persons (blind indexes only) in {took:.0f} s")
    lookup_s, found = bench_lookup(probes)
    print(
        f"duplicate lookup by blind index among {PERSONS:,} persons, median of {len(probes)}: "
        f"{ms(lookup_s):.3f} ms ({found}/{len(probes)} probes found their person)"
    )
    per_person = bench_decrypt_all(DECRYPT_SAMPLE)
    decrypt_all_s = per_person * PERSONS
    speedup = decrypt_all_s / lookup_s
    print(
        f"decrypt-and-compare baseline: {per_person * 1e6:.1f} us per person, measured on a "
        f"sample of {DECRYPT_SAMPLE:,} and extrapolated linearly to {PERSONS:,} persons: "
        f"{decrypt_all_s:.1f} s"
    )
    print(f"speed-up of the blind-index lookup: {speedup:,.0f}x (goal >= 1,000x, < 5 ms)")
    print(f"bench wall time: {time.perf_counter() - wall:.0f} s")
    print(
        f"RESULT database={connection.vendor} {post_result} "
        f"persons={PERSONS} dup_lookup_ms={ms(lookup_s):.3f} "
        f"decrypt_all_extrapolated_ms={ms(decrypt_all_s):.0f} dup_speedup={speedup:.0f}"
    )


if __name__ == "__main__":
    main()
