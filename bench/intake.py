"""Benchmark of the intake: the cost of a complete staff intake, and duplicate lookup at scale.

Run from the repository root:

    .venv/bin/python bench/intake.py            # 1,000,000 persons (about 2-4 minutes)
    BENCH_PERSONS=100000 .venv/bin/python bench/intake.py   # quicker

1. Median server time of a complete staff intake POST (form, rules, duplicate check,
   encryption, person + registration + case + audit event, routing) against a plain
   ModelForm save of the same fields into one table without encryption (the registry's field
   types, choices, the region as a foreign key and the code lists as many-to-many), all
   through the same Django stack (middleware, session, login, ATOMIC_REQUESTS), taking turns.
   Goal: at most 1.5x. The earlier, leaner baseline (code lists and region flattened into
   text, no choices) is timed too and reported beside it.
2. Duplicate lookup by blind index among BENCH_PERSONS persons against decrypting and
   comparing every person. The decrypt-all baseline is measured on a sample and extrapolated
   linearly (said so in the output). Goal: under 5 ms and at least 1,000x faster.

The database is a SQLite file under /tmp, made afresh each run. Ends with one RESULT line.
"""

from __future__ import annotations

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
DB_PATH = Path("/tmp/intake_bench.sqlite3")  # noqa: S108 - a throwaway benchmark database
os.environ["DATABASE_URL"] = f"sqlite:///{DB_PATH}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")

PERSONS = int(os.environ.get("BENCH_PERSONS", "1000000"))
POSTS = int(os.environ.get("BENCH_POSTS", "150"))
LOOKUPS = int(os.environ.get("BENCH_LOOKUPS", "300"))
DECRYPT_SAMPLE = int(os.environ.get("BENCH_DECRYPT_SAMPLE", "2000"))
BATCH = 20_000
CONSONANTS = "bdfjklmnprst"  # letters with distinct metaphone codes


def name_for(i: int, syllables: int = 6) -> str:
    """A pronounceable, unique family name per number, so phonetic keys vary as in life."""
    letters = []
    for _ in range(syllables):
        i, digit = divmod(i, len(CONSONANTS))
        letters.append(CONSONANTS[digit] + "ae"[i % 2])
    return "".join(letters).capitalize()


def setup_django() -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{DB_PATH}{suffix}").unlink(missing_ok=True)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def ms(seconds: float) -> float:
    return seconds * 1000


# 1. Intake POST against a plain ModelForm save ----------------------------------------------


def intake_fields() -> dict[str, list[str]]:
    """The intake's fields by the model they are stored on, as intake.services saves them
    (the residence status goes on the case; the estimated age becomes the registration's age)."""
    from intake.forms import PERSONAL_FORM_FIELDS
    from intake.services import PERSON_STAT_FIELDS, REGISTRATION_FIELDS

    return {
        "Registration": [*REGISTRATION_FIELDS, "exploitation_forms", "means_of_control"],
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


def plain_models_and_views():
    """Two baselines, each a one-table model in clear with a ModelForm and a view:

    - ``same``: the intake's fields as the registry defines them (types, choices, lengths, the
      region as a foreign key, the code lists as many-to-many), without encryption; this is
      "a plain ModelForm save of the same fields" of the goal;
    - ``flat``: the earlier, leaner baseline: code lists and region flattened into text and
      integer columns, no choices (nothing validated but lengths and types).
    """
    from django import forms
    from django.apps import apps
    from django.contrib.auth.decorators import login_required
    from django.db import connection, models
    from django.http import HttpResponseRedirect

    same_attrs = {"__module__": __name__}
    for model_name, names in intake_fields().items():
        model = apps.get_model("registry", model_name)
        for name in names:
            same_attrs[name] = _same_field(model._meta.get_field(name))
    same_attrs["estimated_age"] = models.PositiveSmallIntegerField(null=True, blank=True)
    same_attrs["Meta"] = type("Meta", (), {"app_label": "intake", "db_table": "bench_same"})
    SameFields = type("SameFields", (models.Model,), same_attrs)  # noqa: N806

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

    def form_for(model):  # noqa: ANN001, ANN202
        meta = type("Meta", (), {"model": model, "exclude": ["id"]})
        return type(f"{model.__name__}Form", (forms.ModelForm,), {"Meta": meta})

    with connection.schema_editor() as editor:
        editor.create_model(SameFields)
        editor.create_model(FlatIntake)

    same_form, flat_form = form_for(SameFields), form_for(FlatIntake)

    @login_required
    def same_view(request):  # noqa: ANN001, ANN202
        form = same_form(request.POST)
        if not form.is_valid():
            raise RuntimeError(f"baseline form invalid: {form.errors.as_json()}")
        obj = form.save()
        return HttpResponseRedirect(f"/done/{obj.pk}/")

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

    return same_view, flat_view


def bench_post() -> tuple[float, float, float]:
    from django.test import Client, override_settings
    from django.urls import include, path

    from registry.choices import Role
    from registry.models import Region, Registration, User

    region = Region.objects.create(code="bench", name="Bench")
    user = User.objects.create_user(
        "bench-coordinator", "c@example.org", "x", role=Role.COORDINATOR
    )
    user.regions.set([region])
    same_view, flat_view = plain_models_and_views()

    import types

    urls = types.ModuleType("bench_intake_urls")
    urls.urlpatterns = [
        path("bench/same/", same_view),
        path("bench/flat/", flat_view),
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
            "exploitation_municipality": "Amsterdam",
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
    times: dict[str, list[float]] = {"intake": [], "same": [], "flat": []}
    urls_of = {"intake": "/intake/register/", "same": "/bench/same/", "flat": "/bench/flat/"}
    with override_settings(ROOT_URLCONF="bench_intake_urls"):
        for i in range(POSTS + 10):  # the first 10 of each warm up and are not counted
            payload = data(i)
            for kind, url in urls_of.items():
                body = {**payload, "step": "save", "person_choice": "new"}
                start = time.perf_counter()
                response = client.post(url, body if kind == "intake" else payload)
                elapsed = time.perf_counter() - start
                if response.status_code != 302:
                    raise RuntimeError(f"{kind} POST failed: {response.status_code}")
                if i >= 10:
                    times[kind].append(elapsed)
                if kind == "intake":
                    # As the user's browser does (not timed): the confirmation page shows and
                    # so consumes the success message, which would otherwise pile up in the
                    # session and be encoded again by every later POST.
                    client.get(response["Location"])
    assert Registration.objects.count() == POSTS + 10
    return tuple(statistics.median(times[kind]) for kind in urls_of)  # type: ignore[return-value]


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
    wall = time.perf_counter()
    setup_django()
    intake_s, plain_s, flat_s = bench_post()
    ratio = intake_s / plain_s
    print(f"staff intake POST, median of {POSTS}: {ms(intake_s):.2f} ms")
    print(
        f"plain ModelForm save of the same fields (types, choices, foreign key, many-to-many; "
        f"no encryption), median: {ms(plain_s):.2f} ms"
    )
    print(f"ratio intake / plain: {ratio:.2f}x (goal <= 1.5x)")
    print(
        f"for comparison, the leaner flattened baseline (code lists and region as text, no "
        f"choices), median: {ms(flat_s):.2f} ms; intake / flattened: {intake_s / flat_s:.2f}x"
    )

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
        f"RESULT intake_post_ms={ms(intake_s):.2f} plain_modelform_ms={ms(plain_s):.2f} "
        f"post_ratio={ratio:.2f} flat_baseline_ms={ms(flat_s):.2f} "
        f"flat_ratio={intake_s / flat_s:.2f} persons={PERSONS} dup_lookup_ms={ms(lookup_s):.3f} "
        f"decrypt_all_extrapolated_ms={ms(decrypt_all_s):.0f} dup_speedup={speedup:.0f}"
    )


if __name__ == "__main__":
    main()
