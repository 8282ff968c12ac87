"""Benchmark of the reports app on PostgreSQL (docs/PERFORMANCE.md, section "Reports").

From one run:
1. the full statistics page over 1,000,000 registrations (goal < 1.5 s) and the number of
   decryptions while rendering it (goal 0);
2. the personal export of 100,000 registrations, streamed, against django-import-export's
   default export of the same rows (goal: >= 3x faster, peak memory < 200 MB while the
   default's grows with the rows) and against a bare loop of fetch, decrypt and csv.writer
   (goal: within 3x);
3. ``manage.py monitor_report --year 2024`` (the victim monitor, with 2023 beside it) written
   as a PDF (goal < 5 s), against the statistics' counting of the same year in the same run.

Each export runs in its own subprocess, which reports its wall time and peak RSS
(VmHWM from /proc; tracemalloc would slow the code it measures). The database is filled
once with generate_series INSERT ... SELECT (the 100,000 exported people get real
ciphertexts) and reused by later runs; ``--rebuild`` fills it again.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_reports \
        .venv/bin/python bench/reports.py [--only statistics|monitor|exports]
"""

from __future__ import annotations

import argparse
import base64
import csv
import io
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
KEYS_FILE = ROOT / "var" / "bench-reports-keys.env"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/bench_reports"
REGISTRATIONS = 1_000_000
EXPORTED = 100_000  # registrations of 2020, one person each, with real ciphertexts
PERSONS = 700_000
EXPORT_YEAR = 2020


def _keys() -> None:
    """The same keys for every run and subprocess (the stored ciphertexts need them)."""
    if not KEYS_FILE.exists():
        KEYS_FILE.parent.mkdir(exist_ok=True)

        def key() -> str:
            return base64.urlsafe_b64encode(os.urandom(32)).decode()

        KEYS_FILE.write_text(
            f"REGISTRY_ENCRYPTION_KEYS=bench:{key()}\nREGISTRY_BLIND_INDEX_KEY={key()}\n"
        )
    for line in KEYS_FILE.read_text().splitlines():
        name, _sep, value = line.partition("=")
        os.environ[name] = value


def _django() -> None:
    _keys()
    os.environ.setdefault("DATABASE_URL", DEFAULT_URL)
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings_test"
    import django

    django.setup()


def _ensure_database() -> None:
    import psycopg
    from dj_database_url import parse

    cfg = parse(os.environ.get("DATABASE_URL", DEFAULT_URL))
    admin = psycopg.connect(
        host=cfg["HOST"],
        port=cfg["PORT"] or 5432,
        user=cfg["USER"],
        dbname="postgres",
        password=cfg["PASSWORD"] or None,
        autocommit=True,
    )
    exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [cfg["NAME"]]).fetchone()
    if not exists:
        admin.execute(f'CREATE DATABASE "{cfg["NAME"]}"')
    admin.close()


POPULATE_SQL = [
    "TRUNCATE registry_residenceprocedure, registry_case, "
    "registry_registration_exploitation_forms, registry_registration, registry_person, "
    "registry_handover CASCADE",
    """INSERT INTO registry_region (code, name, is_active)
       SELECT 'region-' || g, 'Region ' || g, true FROM generate_series(1, 21) g
       ON CONFLICT (code) DO NOTHING""",
    # Constants only are formatted in (no input): S608 does not apply.
    f"""INSERT INTO registry_person (id, gender, nationality, country_of_birth, year_of_birth,
           year_of_birth_estimated, is_anonymous, created_at, updated_at)
       SELECT md5(g || 'p')::uuid,
              (ARRAY['female','female','female','male','male','other','unknown'])[1 + g % 7],
              (ARRAY['NL','NL','NL','RO','BG','PL','HU','NG','UG','CN','VN','BR','UA','SY','ER',
                     'IN','MA','TR','DE',''])[1 + (g * 7) % 20],
              '', 1950 + g % 60, false, false, now(), now()
       FROM generate_series(0, {PERSONS - 1}) g""",  # noqa: S608
    f"""INSERT INTO registry_registration (id, number, registered_on, reporter_type, sector,
           exploitation_country, exploitation_municipality_id, scope, is_minor, unaccompanied_minor,
           immediate_danger, file_type, shelter_requested, consent_registration, consent_care,
           consent_signed_by, age_at_registration, status, created_at, updated_at, person_id,
           region_id, person_gender, person_nationality, residence_status)
       SELECT md5(g || 'r')::uuid,
              CASE WHEN g < {EXPORTED} THEN '{EXPORT_YEAR}-' || lpad(g::text, 6, '0')
                   ELSE (2021 + g % 5) || '-' || lpad((g / 5)::text, 6, '0') END,
              CASE WHEN g < {EXPORTED} THEN make_date({EXPORT_YEAR}, 1, 1) + (g % 365)
                   ELSE make_date(2021 + g % 5, 1, 1) + ((g::bigint * 7919) % 365)::int END,
              (ARRAY['police','kmar','labour_inspectorate','care_coordination','fairwork',
                     'lawyer','shelter','outpatient_care','youth_care','healthcare','ngo',
                     'municipality','immigration_service','coa','nidos','self_report',
                     'other'])[1 + g % 17],
              (ARRAY['window','club','home','escort','online','agriculture','domestic_work',
                     'hospitality','construction','cleaning','drugs','theft','begging',
                     'other','unknown',''])[1 + (g * 3) % 16],
              (ARRAY['NL','NL','BE','DE',''])[1 + g % 5], NULL,
              (ARRAY['domestic','cross_border','unknown'])[1 + (g * 11) % 3],
              g % 50 <> 0 AND 8 + (g * 31) % 55 < 18, false, false,
              (ARRAY['registration','registration_shelter','registration_advice'])[1 + g % 3],
              '', g % 2 = 0, g % 3 = 0, '',
              CASE WHEN g % 50 = 0 THEN NULL ELSE 8 + (g * 31) % 55 END,
              CASE WHEN g % 40 = 0 THEN 'submitted' WHEN g % 41 = 0 THEN 'merged'
                   ELSE 'accepted' END,
              now(), now(), s.person_id,
              (SELECT min(id) FROM registry_region) + g % 21,
              -- The person's gender and nationality, copied as Registration.save() does.
              p.gender, p.nationality, 'unknown'
       FROM (SELECT g, CASE WHEN g < {EXPORTED} THEN md5(g || 'p')::uuid
                            ELSE md5(({EXPORTED} + g % {PERSONS - EXPORTED}) || 'p')::uuid
                       END AS person_id
             FROM generate_series(0, {REGISTRATIONS - 1}) g) AS s
       JOIN registry_person p ON p.id = s.person_id""",  # noqa: S608
    f"""INSERT INTO registry_registration_exploitation_forms
           (registration_id, formofexploitation_id)
       SELECT md5(g || 'r')::uuid,
              (ARRAY['sexual','labour','criminal','sexual','labour','other','unknown'])[1 + g % 7]
       FROM generate_series(0, {REGISTRATIONS - 1}) g
       UNION ALL
       SELECT md5(g || 'r')::uuid, 'criminal' FROM generate_series(0, {REGISTRATIONS - 1}) g
       WHERE g % 5 = 1 AND g % 7 <> 2""",  # noqa: S608
    """INSERT INTO registry_case (id, status, closed_reason, victim_status,
           victim_status_decided_by, is_dublin, residence_status, shelter_requested,
           shelter_placed, care_received, care_location, opened_on, created_at, updated_at,
           person_id, region_id, registration_id, sub3, immediate_danger, minor)
       SELECT md5(r.id::text || 'c')::uuid, 'in_care', '', 'possible', '', false, 'unknown', '',
              (ARRAY['cosm','omm','womens_shelter','mens_shelter','none',''])[1 + i % 6],
              (ARRAY['outpatient','youth_care','social_shelter','other',''])[1 + i % 5],
              '', r.registered_on, now(), now(), r.person_id, r.region_id, r.id, i % 23 = 0,
              false, r.is_minor
       FROM (SELECT id, registered_on, person_id, region_id, is_minor,
                    row_number() OVER () AS i FROM registry_registration) r
       WHERE r.i % 3 = 0""",
    # Issue 16: a police report on half of the cases (the monitor's "police report made").
    """INSERT INTO registry_residenceprocedure (case_id, kind, status, decided_on, updated_at)
       SELECT c.id, 'police_report',
              (ARRAY['made','not_made','considering','made','exempt_threat'])[1 + i % 5],
              CASE WHEN i % 5 = 2 THEN NULL ELSE c.opened_on END, now()
       FROM (SELECT id, opened_on, row_number() OVER () AS i FROM registry_case) c
       WHERE c.i % 2 = 0""",
]


def populate() -> None:
    """Fill the database in raw SQL, then give the exported people real ciphertexts."""
    from django.db import connection

    from registry.crypto import associated_data, get_keyring

    started = time.perf_counter()
    with connection.cursor() as cursor:
        # Bulk rows without the statistics tally's per-row triggers; the tally is rebuilt in
        # one pass below, as `compact_statistics --rebuild` would after such a load.
        cursor.execute("SET session_replication_role = replica")
        for statement in POPULATE_SQL:
            cursor.execute(statement)
        cursor.execute("SET session_replication_role = DEFAULT")
        print(f"  rows inserted in {time.perf_counter() - started:.1f} s", flush=True)
        keyring = get_keyring()
        buffer = io.StringIO()
        cursor.execute(
            f"SELECT md5(g || 'p')::uuid FROM generate_series(0, {EXPORTED - 1}) g"  # noqa: S608
        )
        for i, (pk,) in enumerate(cursor.fetchall()):
            values = {
                "given_names": f"Given{i}",
                "family_name": ("=cmd|" if i % 1000 == 0 else "Family") + str(i),
                "date_of_birth": f"{1960 + i % 45}-{1 + i % 12:02d}-{1 + i % 28:02d}",
                "id_document_number": f"NX{i:08d}",
            }
            tokens = [
                keyring.encrypt(value.encode(), associated_data("registry.person", name, pk))
                for name, value in values.items()
            ]
            buffer.write("\t".join([str(pk), *tokens]) + "\n")
        cursor.execute("CREATE TEMP TABLE bench_tokens (id uuid, g text, f text, d text, n text)")
        buffer.seek(0)
        with cursor.copy("COPY bench_tokens FROM STDIN") as copy:
            copy.write(buffer.read())
        cursor.execute(
            "UPDATE registry_person p SET given_names = t.g, family_name = t.f, "
            "date_of_birth = t.d, id_document_number = t.n FROM bench_tokens t WHERE p.id = t.id"
        )
        cursor.execute("DROP TABLE bench_tokens")
        tally_started = time.perf_counter()
        cursor.execute("SELECT reports_tally_rebuild()")
        print(f"  statistics tally rebuilt in {time.perf_counter() - tally_started:.1f} s")
        # As autovacuum would: statistics for the planner and the visibility map that lets
        # index-only scans skip the table.
        cursor.execute("VACUUM ANALYZE")
    print(f"  database filled in {time.perf_counter() - started:.1f} s", flush=True)


MONITOR_YEAR = 2024


def bench_monitor() -> tuple[float, float, float, float, int, int]:
    """The monitor of MONITOR_YEAR (and the year before beside it) over every registration:
    best of 3 of its counting, of ``monitor_report`` writing the PDF and writing the HTML (in
    all: counting, rendering, writing, the audit event), the statistics' counting of the same
    year as the baseline; the PDF's pages and the registrations of the year."""
    import io as _io

    from django.core.management import call_command
    from pypdf import PdfReader

    from reports.aggregates import COMMAND_LINE
    from reports.monitor import build_monitor
    from reports.periods import PublishedPeriod
    from reports.tables import build_statistics

    period = PublishedPeriod(MONITOR_YEAR).period
    statistics, counting, whole, html = [], [], [], []
    report = None
    target = Path(f"/tmp/bench-monitor-{MONITOR_YEAR}.pdf")  # noqa: S108
    page = Path(f"/tmp/bench-monitor-{MONITOR_YEAR}.html")  # noqa: S108
    for _ in range(3):
        started = time.perf_counter()
        build_statistics(COMMAND_LINE, period)
        statistics.append(time.perf_counter() - started)
        started = time.perf_counter()
        report = build_monitor(COMMAND_LINE, MONITOR_YEAR)
        counting.append(time.perf_counter() - started)
        started = time.perf_counter()
        call_command(
            "monitor_report",
            "--year",
            str(MONITOR_YEAR),
            "--output",
            str(target),
            "--language",
            "en",
            stdout=_io.StringIO(),
        )
        whole.append(time.perf_counter() - started)
        started = time.perf_counter()
        call_command(
            "monitor_report",
            "--year",
            str(MONITOR_YEAR),
            "--output",
            str(page),
            "--format",
            "html",
            stdout=_io.StringIO(),
        )
        html.append(time.perf_counter() - started)
    pages = len(PdfReader(str(target)).pages)
    page.unlink()
    return (
        min(counting),
        min(whole),
        min(html),
        min(statistics),
        pages,
        report.registrations.exact,
    )


def _has_police_reports() -> bool:
    """A database filled before issue 16 has no police reports: filled again."""
    from registry.models import ResidenceProcedure

    return ResidenceProcedure.objects.exists()


def _count_registrations() -> int:
    from registry.models import Registration

    return Registration.objects.count()


def bench_statistics() -> tuple[float, float, int, int]:
    """(first, best of 3) seconds for the full statistics page, decryptions, status."""
    from django.test import Client
    from django.urls import reverse

    from registry.choices import Role
    from registry.crypto import Keyring
    from registry.models import User
    from tests.logins import verify_second_factor

    user, _ = User.objects.get_or_create(
        username="bench-admin", defaults={"role": Role.ADMINISTRATOR, "is_staff": True}
    )
    calls = []
    real = Keyring.decrypt

    def counting(self: Keyring, token: str, aad: bytes) -> bytes:
        calls.append(1)
        return real(self, token, aad)

    Keyring.decrypt = counting  # type: ignore[method-assign]
    client = Client()
    client.force_login(user)
    # Staff reach no page before a second factor: the session has verified one.
    verify_second_factor(client, user)
    times = []
    status = 0
    for _ in range(4):
        started = time.perf_counter()
        response = client.get(reverse("reports:statistics"))
        times.append(time.perf_counter() - started)
        status = response.status_code
    Keyring.decrypt = real  # type: ignore[method-assign]
    return times[0], min(times[1:]), len(calls), status


def bench_counting() -> tuple[float, float, bool, int]:
    """(tally, live) best-of-2 seconds of the page's counting, whether both agree, and the
    tally changes not yet compacted (the baseline is the live count the page used before)."""
    from reports.aggregates import COMMAND_LINE, Period, count_registrations
    from reports.aggregates import counted_registrations as counted
    from reports.dimensions import BREAKDOWNS
    from reports.forms import DEFAULT_CROSS
    from reports.models import TallyChange

    qs = counted(COMMAND_LINE, Period())
    wanted = [*BREAKDOWNS, "year"]
    found, times = {}, {}
    for name, everything_in in [("tally", Period()), ("live", None)]:
        runs = []
        for _ in range(2):
            started = time.perf_counter()
            found[name] = count_registrations(qs, wanted, [DEFAULT_CROSS], everything_in)
            runs.append(time.perf_counter() - started)
        times[name] = min(runs)
    agree = found["tally"] == found["live"]
    return times["tally"], times["live"], agree, TallyChange.objects.count()


TALLY_TRIGGERS = {
    "registry_registration": ["reports_tally_registration", "reports_tally_registration_update"],
    "registry_registration_exploitation_forms": ["reports_tally_form"],
    "registry_case": ["reports_tally_case", "reports_tally_case_update"],
}


def bench_writes(rounds: int = 5, per_round: int = 200) -> tuple[float, float]:
    """What the tally's triggers add to writing registrations: milliseconds per registration
    (created with two forms of exploitation and a case, then accepted after triage) with the
    triggers, against the same writes with them disabled, taking turns; rolled back."""
    import datetime

    from django.db import connection, transaction

    from registry.choices import SubmissionStatus
    from registry.models import Case, FormOfExploitation, Person, Region, Registration

    region = Region.objects.order_by("pk").first()
    person = Person.objects.filter(registrations__isnull=False).first()
    forms = list(FormOfExploitation.objects.filter(code__in=["labour", "criminal"]))
    day = datetime.date(2024, 6, 1)
    best = {"on": float("inf"), "off": float("inf")}
    for _ in range(rounds):
        for mode in ("on", "off"):
            with transaction.atomic():
                if mode == "off":
                    with connection.cursor() as cursor:
                        for table, names in TALLY_TRIGGERS.items():
                            for name in names:
                                cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER {name}")
                started = time.perf_counter()
                for _ in range(per_round):
                    registration = Registration.objects.create(
                        person=person,
                        region=region,
                        registered_on=day,
                        reporter_type="police",
                        status=SubmissionStatus.SUBMITTED,
                    )
                    registration.exploitation_forms.set(forms)
                    registration.status = SubmissionStatus.ACCEPTED
                    registration.save(update_fields=["status", "updated_at"])
                    Case.objects.create(
                        person=person, registration=registration, region=region, opened_on=day
                    )
                elapsed = (time.perf_counter() - started) * 1000 / per_round
                best[mode] = min(best[mode], elapsed)
                transaction.set_rollback(True)
    return best["on"], best["off"]


def _export_queryset(rows: int):  # noqa: ANN202
    import datetime

    from registry.models import Registration

    start = datetime.date(EXPORT_YEAR, 1, 1)
    qs = Registration.objects.filter(
        registered_on__gte=start, registered_on__lte=datetime.date(EXPORT_YEAR, 12, 31)
    )
    if rows < EXPORTED:
        last = Registration.objects.filter(number=f"{EXPORT_YEAR}-{rows - 1:06d}").get()
        qs = qs.filter(number__lte=last.number)
    return qs


def _peak_rss_mb() -> float:
    """This process's peak RSS (VmHWM). ru_maxrss would carry the parent's peak over exec."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(kind: str, rows: int, output: str) -> None:
    """Runs in a subprocess: one export, then prints its time and peak RSS as JSON."""
    _django()
    from registry.crypto import associated_data, get_keyring
    from reports.columns import PERSONAL_EXPORT_COLUMNS, personal_rows
    from reports.resources import PersonalExportResource
    from reports.writers import write_csv

    qs = _export_queryset(rows)
    base_rss = _peak_rss_mb()
    started = time.perf_counter()
    with open(output, "wb") as target:
        if kind == "streamed":
            written = write_csv(target, PERSONAL_EXPORT_COLUMNS, personal_rows(qs)).rows
        elif kind == "default":
            dataset = PersonalExportResource().export(
                qs.select_related("person", "region").prefetch_related("exploitation_forms")
            )
            target.write(dataset.csv.encode("utf-8"))
            written = len(dataset)
        else:  # bare: fetch, decrypt, csv.writer; no forms, no neutralisation
            keyring = get_keyring()
            text = io.TextIOWrapper(target, encoding="utf-8", newline="")
            writer = csv.writer(text)
            written = 0
            names = ["given_names", "family_name", "date_of_birth", "id_document_number"]
            for row in qs.values_list(
                "number", "registered_on", "person_id", *(f"person__{n}" for n in names)
            ).iterator(chunk_size=2000):
                pk = row[2]
                opened = [
                    keyring.decrypt(token, associated_data("registry.person", name, pk)).decode()
                    for name, token in zip(names, row[3:], strict=True)
                ]
                writer.writerow([row[0], row[1].isoformat(), *opened])
                written += 1
            text.flush()
            text.detach()
    seconds = time.perf_counter() - started
    peak = _peak_rss_mb()
    print(json.dumps({"seconds": seconds, "peak_mb": peak, "base_mb": base_rss, "rows": written}))


def run_child(kind: str, rows: int) -> dict:
    output = f"/tmp/bench-reports-{kind}-{rows}.csv"  # noqa: S108
    result = subprocess.run(
        [sys.executable, __file__, "--child", kind, "--rows", str(rows), "--output", output],
        capture_output=True,
        text=True,
        check=True,
        env=os.environ.copy(),
    )
    os.unlink(output)
    return json.loads(result.stdout.strip().splitlines()[-1])


def bench_exports() -> str:
    """The exports, each in a subprocess; returns their part of the RESULT line."""
    # Warm-up, not reported: the first export after a pause reads the rows from disk (this
    # machine reclaims idle page cache), which would count against whichever runs first.
    run_child("bare", EXPORTED)
    results = {}
    for kind, rows in [
        ("streamed", EXPORTED // 4),
        ("streamed", EXPORTED),
        ("default", EXPORTED // 4),
        ("default", EXPORTED),
        ("bare", EXPORTED),
    ]:
        results[(kind, rows)] = found = run_child(kind, rows)
        print(
            f"{kind:>8} export of {found['rows']:>7,} rows: {found['seconds']:7.2f} s, "
            f"peak RSS {found['peak_mb']:6.1f} MB (after start-up {found['base_mb']:.1f} MB)",
            flush=True,
        )
    streamed, default, bare = (results[(k, EXPORTED)] for k in ("streamed", "default", "bare"))
    speedup = default["seconds"] / streamed["seconds"]
    vs_bare = streamed["seconds"] / bare["seconds"]
    growth_default = default["peak_mb"] - results[("default", EXPORTED // 4)]["peak_mb"]
    growth_streamed = streamed["peak_mb"] - results[("streamed", EXPORTED // 4)]["peak_mb"]
    print(
        f"streamed vs default: {speedup:.1f}x faster; peak {streamed['peak_mb']:.0f} MB vs "
        f"{default['peak_mb']:.0f} MB; from 25k to 100k rows the default grew "
        f"{growth_default:.0f} MB, the streamed {growth_streamed:.0f} MB"
    )
    print(f"streamed vs bare loop: {vs_bare:.2f}x the time of fetch+decrypt+csv.writer")
    return (
        f"export_s={streamed['seconds']:.2f} default_s={default['seconds']:.2f} "
        f"speedup={speedup:.1f} export_peak_mb={streamed['peak_mb']:.0f} "
        f"default_peak_mb={default['peak_mb']:.0f} default_growth_mb={growth_default:.0f} "
        f"streamed_growth_mb={growth_streamed:.0f} bare_s={bare['seconds']:.2f} "
        f"vs_bare={vs_bare:.2f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rebuild", action="store_true", help="fill the database again")
    parser.add_argument(
        "--only",
        choices=["statistics", "monitor", "exports"],
        help="run one part only (the exports take about 9 minutes)",
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--rows", type=int, default=EXPORTED, help=argparse.SUPPRESS)
    parser.add_argument("--output", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.rows, args.output)
        return

    _keys()
    os.environ.setdefault("DATABASE_URL", DEFAULT_URL)
    _ensure_database()
    _django()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    if args.rebuild or _count_registrations() != REGISTRATIONS or not _has_police_reports():
        print(f"filling the database with {REGISTRATIONS:,} registrations ...", flush=True)
        populate()

    parts = []
    if args.only in (None, "statistics"):
        first, best, decryptions, status = bench_statistics()
        print(
            f"statistics page over {REGISTRATIONS:,} registrations: first {first:.3f} s, "
            f"best of 3 warm {best:.3f} s (HTTP {status}), decryptions {decryptions}",
            flush=True,
        )
        tally_s, live_s, agree, pending = bench_counting()
        print(
            f"counting behind the page: from the tally {tally_s:.3f} s, live over every "
            f"registration {live_s:.3f} s ({live_s / tally_s:.1f}x); same figures: "
            f"{'yes' if agree else 'NO'}; tally changes not yet compacted: {pending:,}",
            flush=True,
        )
        with_triggers, without = bench_writes()
        print(
            f"writing a registration (two forms, accepted, a case), best of 5 rounds of 200: "
            f"{with_triggers:.2f} ms with the tally's triggers, {without:.2f} ms without "
            f"({with_triggers / without:.2f}x)",
            flush=True,
        )
        parts.append(
            f"statistics_s={best:.3f} statistics_first_s={first:.3f} decryptions={decryptions} "
            f"counting_tally_s={tally_s:.3f} counting_live_s={live_s:.3f} "
            f"counting_speedup={live_s / tally_s:.1f} same_figures={agree} "
            f"write_ms={with_triggers:.2f} write_without_tally_ms={without:.2f} "
            f"write_ratio={with_triggers / without:.2f}"
        )
    if args.only in (None, "monitor"):
        counting, whole, html, baseline, pages, registrations = bench_monitor()
        print(
            f"monitor_report --year {MONITOR_YEAR} ({registrations:,} registrations in the year, "
            f"{REGISTRATIONS:,} in all): counting {counting:.3f} s, the PDF written in all "
            f"{whole:.3f} s ({pages} pages), the HTML in all {html:.3f} s; the statistics' "
            f"counting of the same year {baseline:.3f} s (counting {counting / baseline:.1f}x, "
            f"the PDF in all {whole / baseline:.1f}x the statistics)",
            flush=True,
        )
        parts.append(
            f"monitor_counting_s={counting:.3f} monitor_pdf_s={whole:.3f} "
            f"monitor_html_s={html:.3f} "
            f"monitor_baseline_statistics_s={baseline:.3f} "
            f"monitor_ratio={whole / baseline:.1f} monitor_pages={pages}"
        )
    if args.only not in ("statistics", "monitor"):
        parts.append(bench_exports())
    print("RESULT " + " ".join(parts))


if __name__ == "__main__":
    main()
