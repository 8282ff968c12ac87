"""The catalogue crawl: every page of every role, rendered in Dutch and in English, shows only
strings of that language (tests/catalogue.py says how a page is read and judged).

The pages are the URL patterns of the project (tests/url_patterns.py, through the access
matrix): each pattern a role opens is rendered for that role with region A's real objects
(tests/registry/conftest.py, ``matrix_objects``), error pages included (a 403 or 404 renders
the error page in the user's language). A pattern no role can open with a GET is listed in
NOT_CRAWLED with the reason, or crawled another way in EXTRA_PAGES; a new pattern that is in
neither fails ``test_every_url_pattern_is_crawled_or_excluded``.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models
from django.test import override_settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import trans_real

from registry import reference_data
from registry.models import AuditEvent, ReportingOrganisation, User
from tests.catalogue import Checker
from tests.registry.test_access_matrix import EXPECTED, ROLES, all_url_patterns, concrete_url

pytestmark = pytest.mark.django_db

LANGUAGES = ("nl", "en")

# Patterns no role opens with a GET, and why they are not crawled.
_POST_ONLY = "POST only: a GET renders nothing (405); what it changes is shown on other pages"
NOT_CRAWLED: dict[str, str] = {
    "logout": _POST_ONLY,
    "set_language": "redirects only; the language buttons are on every page crawled",
    "two_factor:qr": "an image (the QR code), only during an enrolment",
    "registry:case_take": _POST_ONLY,
    "registry:case_note_add": _POST_ONLY,
    "registry:handover_decide": _POST_ONLY,
    "registry:handover_withdraw": _POST_ONLY,
    "registry:placement_end": _POST_ONLY,
    "registry:placement_withdraw": _POST_ONLY,
    "registry:shelter_place_next": _POST_ONLY,
    "registry:job_download": "a file download (CSV), not a page; its file is gone here (404)",
    "reports:statistics_download": _POST_ONLY,
    "reports:anonymised_download": _POST_ONLY,
    "admin:login": "redirects to the site's login, which is crawled",
    "admin:logout": _POST_ONLY,
    "admin:autocomplete": "JSON for the admin's widgets; no model uses autocomplete fields",
    "admin:reports_exportgrant_approve": _POST_ONLY,
    "admin:reports_exportgrant_refuse": _POST_ONLY,
    "admin:reports_exportgrant_revoke": _POST_ONLY,
    "admin:intake_registrationimport_process_import": _POST_ONLY,
    "admin:intake_registrationimport_import": "redirects to intake:import_upload (crawled)",
    "admin:reports_personalexport_changelist": "needs an approved grant (tests/reports)",
    "admin:reports_personalexport_add": "nobody adds a registration here (403)",
    "admin:reports_personalexport_export": "needs an approved grant (tests/reports)",
    "admin:registry_person_add": "records are created through the intake (403)",
    "admin:registry_registration_add": "records are created through the intake (403)",
    "admin:registry_case_add": "records are created through the intake (403)",
    "admin:registry_handover_add": "records are created through the intake (403)",
    "admin:intake_registrationimport_add": "records are created through the intake (403)",
    "admin:auth_group_add": "only a superuser adds a group; Django's own page",
    "admin:view_on_site": "redirects to the case page (crawled)",
    "admin/(?P<url>.*)$": "the admin's 404: the error page every role's 404 crawled shows",
    "admin:reports_personalexport_change": "needs an approved grant (403/404 without)",
    "admin:reports_personalexport_history": "needs an approved grant (403/404 without)",
}
for _model in (
    "region",
    "reportingorganisation",
    "municipality",
    "shelter",
    "user",
    "remindersent",
    "outgoingmail",
    "person",
    "registration",
    "case",
    "handover",
    "auditevent",
    "exportgrant",
    "personalexport",
    "registrationimport",
):
    _app = {"exportgrant": "reports", "personalexport": "reports"}.get(_model, "registry")
    _app = "intake" if _model == "registrationimport" else _app
    NOT_CRAWLED[f"admin:{_app}_{_model}_delete"] = "nothing is deleted (403/404)"
    NOT_CRAWLED[f"admin/{_app}/{_model}/<path:object_id>/"] = "redirects to the change page"
NOT_CRAWLED["admin:auth_group_delete"] = "nothing is deleted (403/404)"
NOT_CRAWLED["admin/auth/group/<path:object_id>/"] = "redirects to the change page"
NOT_CRAWLED["admin:registry_remindersent_add"] = "reminders are sent by the job (403)"
NOT_CRAWLED["admin:registry_outgoingmail_add"] = "mail is queued by the outbox (403)"
NOT_CRAWLED["admin:registry_auditevent_add"] = "the audit trail is written by events (403)"
NOT_CRAWLED["stay_signed_in"] = "POST only (the timeout warning's button)"
NOT_CRAWLED["registry:erasure_decide"] = _POST_ONLY
NOT_CRAWLED["reports:referrals_download"] = _POST_ONLY
NOT_CRAWLED["reports:personal_export"] = (
    "needs a personal-export grant in force, which nobody in the matrix holds (403); crawled "
    "with one in EXTRA_PAGES (the form, its errors, the password shown once)"
)
NOT_CRAWLED["registry:subject_access"] = (
    "needs the subject_access permission, given to nobody in the matrix (403); crawled in the "
    "browser crawl of tests/pages.py with the permission"
)
for _model in ("referral", "residenceprocedure"):
    NOT_CRAWLED[f"admin:registry_{_model}_add"] = "made on the case page, never in the admin (403)"
    NOT_CRAWLED[f"admin:registry_{_model}_delete"] = "kept with the case, never deleted (403)"
    NOT_CRAWLED[f"admin/registry/{_model}/<path:object_id>/"] = "redirects to the change page"


# What the staff intake's check page is sent: a complete police report (typed values are data
# to the checker, like the records' values).
TYPED = {"given_names": "Ana Maria", "family_name": "Popescu", "languages": "Romanian"}


def _valid_intake(client: Any, objects: dict[str, Any]) -> Any:
    data = {
        **TYPED,
        "registered_on": datetime.date.today().isoformat(),
        "reporter_type": "police",
        "region": str(objects["region"].pk),
        "date_of_birth": "1995-03-14",
        "gender": "female",
        "nationality": "RO",
        "exploitation_forms": ["sexual"],
        "sector": "window",
        "exploitation_country": "NL",
        "scope": "cross_border",
        "residence_status": "reflection_period",
        "file_type": "registration_shelter",
        "shelter_requested": "cosm",
        "consent_registration": "on",
        "consent_signed_by": "victim",
        "consent_care": "on",
    }
    return client.post(reverse("intake:register"), data)


def _post_empty(path: str) -> Callable[[Any, dict[str, Any]], Any]:
    return lambda client, objects: client.post(reverse(path), {})


def _with_export_grant(send: Callable[[Any], Any]) -> Callable[[Any, dict[str, Any]], Any]:
    """The personal export's page needs a grant in force, which nobody of the matrix holds:
    given here (once) to the client's user, then ``send(client)``."""

    def sent(client: Any, objects: dict[str, Any]) -> Any:
        from registry.access import may_export_personal
        from reports.models import ExportGrant

        if not may_export_personal(client.user):
            # The matrix's own request (pending, for the grants' admin pages), approved by
            # another administrator.
            from registry.choices import Role
            from tests.factories import UserFactory

            approver = UserFactory(username="crawl-approver", role=Role.ADMINISTRATOR)
            ExportGrant.objects.open().get(grantee=client.user).approve(approver)
        return send(client)

    return sent


_PERSONAL = "/statistics/personal/"

# Pages that are not a GET: (role, what to send). Forms with errors, as a user sees them.
EXTRA_PAGES: dict[str, tuple[str, Callable[[Any, dict[str, Any]], Any]]] = {
    "staff intake with errors": ("coordinator_a", _post_empty("intake:register")),
    "staff intake check page": ("coordinator_a", _valid_intake),
    "reporter form with errors": ("reporter", _post_empty("intake:submit")),
    "case edit with errors": (
        "coordinator_a",
        lambda client, objects: client.post(
            reverse("registry:case_edit", args=[objects["case"].pk]), {"status": "nonsense"}
        ),
    ),
    "personal export page": ("administrator", _with_export_grant(lambda c: c.get(_PERSONAL))),
    "personal export with errors": (
        "administrator",
        _with_export_grant(lambda c: c.post(_PERSONAL, {})),
    ),
    "personal export's password": (
        "administrator",
        _with_export_grant(
            lambda c: c.post(_PERSONAL, {"file_format": "csv", "purpose": "x" * 30})
        ),
    ),
    "audit trail with a bad filter": (
        "administrator",
        lambda client, objects: client.get(reverse("registry:audit_trail"), {"start": "x"}),
    ),
}


def crawled_roles(key: str) -> list[str]:
    """The roles whose GET of this pattern renders a page (not a redirect, not 405)."""
    return [role for role, status in zip(ROLES, EXPECTED[key], strict=True) if status != 302]


def test_every_url_pattern_is_crawled_or_excluded():
    keys = {key for key, _route in all_url_patterns()}
    crawled = {key for key in keys & EXPECTED.keys() if 200 in EXPECTED[key]}
    forgotten = sorted(keys - crawled - NOT_CRAWLED.keys())
    assert forgotten == [], f"crawl these pages or say in NOT_CRAWLED why not: {forgotten}"
    stale = sorted(NOT_CRAWLED.keys() - keys)
    assert stale == [], f"NOT_CRAWLED names patterns that no longer exist: {stale}"
    openable = sorted(NOT_CRAWLED.keys() & crawled)
    assert openable == [], f"these open with a GET now: crawl them, out of NOT_CRAWLED: {openable}"


_TEXT_FIELDS = (models.CharField, models.TextField)


def data_values(language: str = "nl") -> list[str]:
    """Every value of a record a page may show: names, free text, user names (not codes).
    Organisations count by their name in ``language`` only: the other one is a finding."""
    values: list[str] = [*User.objects.values_list("username", flat=True), *TYPED.values()]
    with translation.override(language):
        values.extend(str(o) for o in ReportingOrganisation.objects.all())
    for model in apps.get_models():
        if model in (AuditEvent, ReportingOrganisation):  # what the crawl reads
            continue
        fields = [
            f
            for f in model._meta.concrete_fields
            if isinstance(f, _TEXT_FIELDS) and not f.choices and not f.primary_key
        ]
        if not fields:
            continue
        for obj in model._default_manager.all():
            for f in fields:
                value = getattr(obj, f.attname)
                if isinstance(value, str) and not value.isidentifier():
                    values.append(value)
    values.extend(str(obj) for obj in User.objects.all())
    return values


def other_language_labels(language: str) -> dict[str, str]:
    """Reference data's labels in the other language (organisation names): shown in
    ``language``, each is a finding."""
    other = "en" if language == "nl" else "nl"
    found = {}
    for organisation in ReportingOrganisation.objects.exclude(name_en=""):
        with translation.override(other):
            theirs = str(organisation)
        with translation.override(language):
            ours = str(organisation)
        if theirs != ours and not theirs.isupper():  # "COA" is also a reporter type's label
            found[theirs] = f"organisation name in the other language (here: {ours!r})"
    return found


def _client(client_for: Any, user: Any, language: str) -> Any:
    client = client_for(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
    return client


def _is_page(response: Any) -> bool:
    return response.status_code not in (301, 302, 405) and response.get(
        "Content-Type", ""
    ).startswith("text/html")


def crawl(language: str, roles: dict[str, Any], client_for: Any, objects: dict[str, Any]):
    """(pages rendered, findings) of every page of every role in ``language``."""
    checker = Checker(language, data_values(language), other_language_labels(language))
    # The organisations' admin shows both names on purpose: the columns and fields to edit.
    both_names = Checker(language, [*data_values("nl"), *data_values("en")])
    clients = {role: _client(client_for, roles[role], language) for role in ROLES}
    findings = []
    pages = 0
    for key, route in all_url_patterns():
        if key in NOT_CRAWLED or key not in EXPECTED:
            continue
        url = concrete_url(route, objects)
        for role in crawled_roles(key):
            response = clients[role].get(url)
            if _is_page(response):
                pages += 1
                judge = both_names if "reportingorganisation" in key else checker
                findings.extend(judge.check(f"{role} {url}", response.text))
    for name, (role, send) in EXTRA_PAGES.items():
        response = send(clients[role], objects)
        assert _is_page(response), f"{name}: {response.status_code}"
        assert name != "staff intake check page" or 'value="save"' in response.text
        pages += 1
        findings.extend(checker.check(f"{role} {name}", response.text))
    return pages, findings


def _report(findings: list[Any]) -> str:
    where: dict[tuple[str, str], list[str]] = {}
    for f in findings:
        where.setdefault((f.segment, f.why), []).append(f.url)
    lines = [
        f"{segment!r} ({why}) on {len(urls)} pages, e.g. {urls[0]}"
        for (segment, why), urls in sorted(where.items())
    ]
    return f"{len(lines)} strings not in the page's language:\n" + "\n".join(lines)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_of_every_role_is_in_one_language(language, roles, client_for, matrix_objects):
    reference_data.load()  # the regions and organisations of VOCABULARY.md, as in production
    pages, findings = crawl(language, roles, client_for, matrix_objects)
    assert pages > 150, f"only {pages} pages rendered: is the crawl still reaching them?"
    assert findings == [], _report(findings)


# --- The crawl's checker finds what it must (testing the test) -------------------------------

HOME = Path(settings.BASE_DIR) / "templates" / "home.html"


def _home_with(extra: str) -> dict[str, Any]:
    """TEMPLATES with home.html served from memory, ``extra`` added before its last block end."""
    source = HOME.read_text()
    cut = source.rindex("{% endblock")
    patched = source[:cut] + extra + source[cut:]
    options = {k: v for k, v in settings.TEMPLATES[0]["OPTIONS"].items() if k != "loaders"}
    options["loaders"] = [
        ("django.template.loaders.locmem.Loader", {"home.html": patched}),
        "django.template.loaders.filesystem.Loader",
        "django.template.loaders.app_directories.Loader",
    ]
    return {**settings.TEMPLATES[0], "APP_DIRS": False, "OPTIONS": options}


def _findings(client: Any, language: str, url: str = "/") -> list[str]:
    response = client.get(url)
    assert response.status_code == 200
    checker = Checker(language, data_values(language), other_language_labels(language))
    return [f.segment for f in checker.check(url, response.text)]


def test_the_crawl_finds_a_template_string_nobody_translated(client_for, coordinator_a):
    client = _client(client_for, coordinator_a, "nl")
    assert _findings(client, "nl") == []

    extra = '{% load i18n %}<p>{% translate "Archive this case for a while" %}</p>'
    with override_settings(TEMPLATES=[_home_with(extra)]):
        found = _findings(client, "nl")

    assert found == ["Archive this case for a while"]


def test_the_crawl_finds_a_msgid_whose_dutch_is_missing(client_for, coordinator_a):
    """A string in the catalogue whose translation is lost (an empty msgstr, a stale .mo) is
    rendered as its msgid; "Log out" has no English-only word, so the msgid check finds it."""
    client = _client(client_for, coordinator_a, "nl")
    catalogue = trans_real.translation("nl")._catalog
    dutch = catalogue["Log out"]
    catalogue["Log out"] = "Log out"
    try:
        found = _findings(client, "nl")
    finally:
        catalogue["Log out"] = dutch
    assert found == ["Log out"]


def test_the_crawl_finds_dutch_left_on_an_english_page(client_for, coordinator_a):
    client = _client(client_for, coordinator_a, "en")
    assert _findings(client, "en") == []

    with override_settings(TEMPLATES=[_home_with("<p>Nog geen casussen in deze regio.</p>")]):
        found = _findings(client, "en")

    assert found == ["Nog geen casussen in deze regio."]


def test_a_planted_name_or_note_is_not_taken_for_a_string():
    note = "Planted case note: the safe house at Lindelaan"
    page = f"<p>{note}</p><p>Quillonetta Zwartekoppenstraat</p>"
    assert Checker("nl", [note, "Quillonetta", "Zwartekoppenstraat"]).check("/", page) == []
    assert [f.segment for f in Checker("nl").check("/", page)] == [note]


def test_dates_and_empty_choices_are_checked():
    page = "<td>2026-12-03</td><td>3-12-2026</td><td>3 december 2026</td><option>---------</option>"
    found = [f.why for f in Checker("nl").check("/", page)]
    assert found == [
        "a date in another format: 2026-12-03",
        "a date in another format: 3-12-2026",
        "an empty choice without a label (Kies…)",
    ]


def test_no_python_string_hides_a_template_tag_from_makemessages():
    """makemessages reads Python for gettext calls only: a {% translate %} inside a Python
    string never reaches the catalogue (the anonymity warning was English on Dutch forms)."""
    root = Path(settings.BASE_DIR)
    hidden = [
        str(path.relative_to(root))
        for app in ("config", "registry", "intake", "reports")
        for path in (root / app).rglob("*.py")
        if "{% translate" in path.read_text() or "{% blocktranslate" in path.read_text()
    ]
    assert hidden == []


def test_an_id_with_letters_is_no_word_of_either_language():
    """A UUID's hex ("…-6582db50de2e") holds "de": random ids made the crawl fail now and then."""
    from tests.catalogue import _words

    assert _words("cases: 2038477a-6fca-4da8-807d-6582db50de2e; people: 1") == {"cases", "people"}
    assert "de" in _words("de casus")
