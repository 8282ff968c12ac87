"""Residence procedures on the case (issue 14, item 3): recorded by whoever holds the case,
their rules, their audit (field names only) and their reminders, each on its day and once."""

from __future__ import annotations

import datetime
import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone, translation

from registry import care
from registry.choices import AuditAction, ProcedureKind, ProcedureStatus, Role
from registry.models import AuditEvent, OutgoingMail, ReminderSent, ResidenceProcedure
from tests.catalogue import english_date
from tests.factories import CaseFactory, UserFactory
from tests.registry.conftest import PLANTED

pytestmark = pytest.mark.django_db

D = datetime.date
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def _url(case, kind: str) -> str:
    return f"/cases/{case.pk}/procedures/{kind}/"


def _granted_b8(case, applied: D, decided: D, expires: D) -> ResidenceProcedure:
    return ResidenceProcedure.objects.create(
        case=case,
        kind=ProcedureKind.B8_PERMIT,
        status=ProcedureStatus.GRANTED,
        started_on=applied,
        decided_on=decided,
        expires_on=expires,
    )


def _run(day: D) -> str:
    out = io.StringIO()
    call_command("send_reminders", "--date", day.isoformat(), stdout=out)
    return out.getvalue()


def _sent(kind: str) -> list[tuple]:
    return list(
        ReminderSent.objects.filter(kind=kind).values_list("case_id", "recipient_id", "due")
    )


# --- recording ---------------------------------------------------------------------------------


def test_coordinator_records_a_b8_application_and_decision(
    casework_world, client_for, coordinator_a
):
    case = casework_world.case_a
    client = client_for(coordinator_a)
    page = client.get(case.get_absolute_url(), **EN).content.decode()
    assert 'id="procedures"' in page and _url(case, "b8_permit") in page
    today = timezone.localdate()
    applied = today - datetime.timedelta(days=60)
    response = client.post(
        _url(case, "b8_permit"),
        {"status": "applied", "started_on": applied.isoformat()},
        **EN,
    )
    assert response.status_code == 302 and response["Location"].endswith("#procedures")
    response = client.post(
        _url(case, "b8_permit"),
        {
            "status": "granted",
            "started_on": applied.isoformat(),
            "decided_on": today.isoformat(),
            "expires_on": (today + datetime.timedelta(days=365)).isoformat(),
        },
        **EN,
    )
    assert response.status_code == 302
    procedure = ResidenceProcedure.objects.get(case=case)
    assert (procedure.status, procedure.decided_on) == ("granted", today)
    assert procedure.updated_by == coordinator_a
    page = client.get(case.get_absolute_url(), **EN).content.decode()
    assert "granted" in page and english_date(today + datetime.timedelta(days=365)) in page


def test_police_report_exempt_on_threat_grounds_with_its_date(
    casework_world, client_for, coordinator_a
):
    case = casework_world.case_a
    day = timezone.localdate() - datetime.timedelta(days=3)
    response = client_for(coordinator_a).post(
        _url(case, "police_report"), {"status": "exempt_threat", "decided_on": day.isoformat()}
    )
    assert response.status_code == 302
    assert ResidenceProcedure.objects.get(case=case, kind="police_report").decided_on == day


@pytest.mark.parametrize(
    ("kind", "data", "field_message"),
    [
        (
            "b8_permit",
            {
                "status": "granted",
                "started_on": "2026-03-10",
                "decided_on": "2026-02-01",
                "expires_on": "2027-02-01",
            },
            "The decision cannot come before the application.",
        ),
        (
            "b8_permit",
            {
                "status": "refused",
                "started_on": "2026-01-10",
                "decided_on": "2026-02-01",
                "expires_on": "2027-02-01",
            },
            "An expiry date only applies to a granted permit or allowance.",
        ),
        (
            "b8_permit",
            {"status": "granted", "started_on": "2026-01-10", "decided_on": "2026-02-01"},
            "Give the date the B8 permit expires.",
        ),
        ("b8_permit", {"status": "applied"}, "Give the date of the application."),
        (
            "rva_allowance",
            {"status": "applied", "started_on": "2026-01-10", "decided_on": "2026-02-01"},
            "A date of decision only applies once the application is decided.",
        ),
        ("police_report", {"status": "made"}, "Give the date the report was made"),
        (
            "police_report",
            {"status": "granted", "decided_on": "2026-02-01"},
            "Select a valid choice",
        ),
        (
            "benefits",
            {"status": "applied", "started_on": "2999-01-01"},
            "This date is in the future",
        ),
    ],
)
def test_invariants_are_refused_with_a_clear_message_and_nothing_typed_lost(
    casework_world, client_for, coordinator_a, kind, data, field_message
):
    case = casework_world.case_a
    response = client_for(coordinator_a).post(_url(case, kind), data, **EN)
    html = response.content.decode()
    assert response.status_code == 400
    assert field_message in html
    for name, value in data.items():
        if name == "status":  # a status of another kind is no choice to keep
            assert f'<option value="{value}" selected' in html or field_message.startswith("Select")
        else:
            assert f'value="{value}"' in html
    assert not ResidenceProcedure.objects.exists()
    assert not AuditEvent.objects.filter(object_type="registry.residenceprocedure").exists()


def test_a_status_of_another_kind_is_refused_by_the_model_too(casework_world):
    procedure = ResidenceProcedure(
        case=casework_world.case_a, kind=ProcedureKind.POLICE_REPORT, status="granted"
    )
    with translation.override("en"), pytest.raises(ValidationError) as raised:
        procedure.full_clean()
    assert "A police report can be:" in str(raised.value.message_dict["status"])


def test_the_database_refuses_an_expiry_on_a_refusal(casework_world):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        ResidenceProcedure.objects.create(
            case=casework_world.case_a,
            kind="b8_permit",
            status="refused",
            started_on=D(2026, 1, 1),
            decided_on=D(2026, 2, 1),
            expires_on=D(2027, 2, 1),
        )


def test_audit_holds_field_names_and_the_kind_never_a_date_or_personal_value(
    casework_world, client_for, coordinator_a
):
    case = casework_world.case_a
    client = client_for(coordinator_a)
    client.post(_url(case, "b8_permit"), {"status": "applied", "started_on": "2025-12-14"})
    client.post(
        _url(case, "b8_permit"),
        {
            "status": "granted",
            "started_on": "2025-12-14",
            "decided_on": "2026-01-21",
            "expires_on": "2026-12-21",
        },
    )
    events = AuditEvent.objects.filter(object_type="registry.residenceprocedure").order_by("id")
    assert [e.action for e in events] == [AuditAction.CREATE, AuditAction.CHANGE]
    assert events[0].details["fields"] == ["started_on", "status"]
    assert events[1].details == {
        "fields": ["decided_on", "expires_on", "status"],
        "procedure": "b8_permit",
        "screen": "procedure_edit",
    }
    assert all(e.case_id == case.pk for e in events)
    dumped = json.dumps(list(AuditEvent.objects.values("details")), default=str)
    for planted in ("2025-12-14", "2026-01-21", "2026-12-21", *PLANTED.values()):
        assert planted not in dumped


def test_timeline_says_what_was_recorded(casework_world, client_for, coordinator_a):
    case = casework_world.case_a
    client = client_for(coordinator_a)
    client.post(_url(case, "police_report"), {"status": "made", "decided_on": "2026-01-21"})
    texts = [e.text for e in client.get(case.get_absolute_url(), **EN).context["timeline"]]
    assert any("recorded the police report: decided on, status" in t for t in texts)


# --- who may record ---------------------------------------------------------------------------


def test_another_regions_case_is_not_found(
    casework_world, client_for, coordinator_a, coordinator_b
):
    for user, case in (
        (coordinator_a, casework_world.case_b),
        (coordinator_b, casework_world.case_a),
    ):
        client = client_for(user)
        assert client.get(_url(case, "b8_permit")).status_code == 404
        response = client.post(
            _url(case, "b8_permit"), {"status": "applied", "started_on": "2026-01-01"}
        )
        assert response.status_code == 404
    assert not ResidenceProcedure.objects.exists()


def test_only_the_holder_records(casework_world, client_for, region_a, administrator, helpdesk):
    colleague = UserFactory(username="colleague", role=Role.COORDINATOR, regions=[region_a])
    data = {"status": "applied", "started_on": "2026-01-01"}
    case = casework_world.case_a
    assert client_for(colleague).post(_url(case, "benefits"), data).status_code == 403
    assert client_for(administrator).post(_url(case, "benefits"), data).status_code == 403
    # The help desk does not see a case with a coordinator, and records for its own.
    assert client_for(helpdesk).post(_url(case, "benefits"), data).status_code == 404
    assert (
        client_for(helpdesk).post(_url(casework_world.case_c, "benefits"), data).status_code == 302
    )
    assert ResidenceProcedure.objects.get().case == casework_world.case_c


def test_a_closed_case_is_not_recorded_on(casework_world, client_for, coordinator_a):
    case = casework_world.case_a
    case.status, case.closed_reason = "closed", "other"
    case.save()
    response = client_for(coordinator_a).post(
        _url(case, "benefits"), {"status": "applied", "started_on": "2026-01-01"}
    )
    assert response.status_code == 403


def test_unknown_kind_and_tampered_fields(casework_world, client_for, coordinator_a, coordinator_b):
    case = casework_world.case_a
    client = client_for(coordinator_a)
    assert client.get(_url(case, "passport")).status_code == 404
    response = client.post(
        _url(case, "benefits"),
        {
            "status": "applied",
            "started_on": "2026-01-01",
            "case": str(casework_world.case_b.pk),
            "kind": "b8_permit",
            "updated_by": str(coordinator_b.pk),
        },
    )
    assert response.status_code == 302
    procedure = ResidenceProcedure.objects.get()
    assert (procedure.case, procedure.kind, procedure.updated_by) == (
        case,
        "benefits",
        coordinator_a,
    )


def test_a_form_token_used_twice_saves_once(casework_world, client_for, coordinator_a):
    from registry import once

    case = casework_world.case_a
    client = client_for(coordinator_a)
    token = once.new_token(coordinator_a)
    data = {"status": "applied", "started_on": "2026-01-01", once.FIELD: token}
    assert client.post(_url(case, "benefits"), data).status_code == 302
    client.post(_url(case, "benefits"), {**data, "started_on": "2026-01-02"})
    assert ResidenceProcedure.objects.get().started_on == D(2026, 1, 1)


# --- reminders ---------------------------------------------------------------------------------


def test_b8_expiry_reminded_30_days_before_on_its_day_and_never_twice(
    casework_world, coordinator_a
):
    case = casework_world.case_a
    expires = D(2026, 6, 30)
    _granted_b8(case, D(2025, 6, 1), D(2025, 7, 1), expires)
    kind = ReminderSent.Kind.B8_EXPIRING
    assert care.due_reminders(coordinator_a, expires - datetime.timedelta(days=31)) == []
    _run(expires - datetime.timedelta(days=31))
    assert _sent(kind) == []
    _run(expires - datetime.timedelta(days=30))
    assert _sent(kind) == [(case.pk, coordinator_a.pk, expires)]
    mails = OutgoingMail.objects.count()
    # case_a is in immediate danger too: that reminder went out the day before.
    assert (
        "B8-vergunning verloopt op 30 juni 2026" in OutgoingMail.objects.latest("created_at").body
    )
    _run(expires - datetime.timedelta(days=29))
    _run(expires)
    assert len(_sent(kind)) == 1 and OutgoingMail.objects.count() == mails
    assert care.due_reminders(coordinator_a, expires + datetime.timedelta(days=1)) == []


def test_a_renewed_permit_is_a_new_deadline(casework_world, coordinator_a):
    case = casework_world.case_a
    procedure = _granted_b8(case, D(2025, 6, 1), D(2025, 7, 1), D(2026, 6, 30))
    _run(D(2026, 6, 15))
    procedure.expires_on = D(2027, 6, 30)
    procedure.save()
    _run(D(2027, 6, 1))
    assert [due for _c, _r, due in _sent(ReminderSent.Kind.B8_EXPIRING)] == [
        D(2026, 6, 30),
        D(2027, 6, 30),
    ]


def test_three_years_of_b8_on_the_day_once_and_not_after_continued_residence(
    casework_world, coordinator_a
):
    case = casework_world.case_a
    _granted_b8(case, D(2023, 3, 11), D(2023, 5, 1), D(2027, 1, 1))
    kind = ReminderSent.Kind.B8_THREE_YEARS
    _run(D(2026, 3, 10))
    assert _sent(kind) == []
    _run(D(2026, 3, 11))
    assert _sent(kind) == [(case.pk, coordinator_a.pk, D(2026, 3, 11))]
    _run(D(2026, 3, 12))
    assert len(_sent(kind)) == 1
    ResidenceProcedure.objects.create(
        case=case, kind="continued_residence", status="applied", started_on=D(2026, 3, 12)
    )
    assert care.due_reminders(coordinator_a, D(2026, 3, 13)) == []


def test_three_years_from_29_february(casework_world, coordinator_a):
    _granted_b8(casework_world.case_a, D(2024, 2, 29), D(2024, 4, 1), D(2027, 12, 1))
    assert care.due_reminders(coordinator_a, D(2027, 2, 27)) == []
    assert len(care.due_reminders(coordinator_a, D(2027, 2, 28))) == 1


def test_reflection_ending_without_police_report_decision(casework_world, coordinator_a):
    case = casework_world.case_a
    case.reflection_start = D(2026, 1, 10)  # ends 2026-04-10
    case.save()
    kind = ReminderSent.Kind.REFLECTION_NO_REPORT
    ResidenceProcedure.objects.create(case=case, kind="police_report", status="considering")
    _run(D(2026, 4, 2))
    assert _sent(kind) == []
    _run(D(2026, 4, 3))
    assert _sent(kind) == [(case.pk, coordinator_a.pk, D(2026, 4, 10))]
    _run(D(2026, 4, 4))
    _run(D(2026, 4, 11))
    assert len(_sent(kind)) == 1
    ResidenceProcedure.objects.filter(case=case).update(status="not_made", decided_on=D(2026, 4, 5))
    assert [k for k, _c, _d in care.due_reminders(coordinator_a, D(2026, 4, 6))] == []


def test_reminders_go_to_the_holder_only_and_mail_no_personal_data(
    casework_world, coordinator_a, coordinator_b, helpdesk
):
    _granted_b8(casework_world.case_a, D(2025, 6, 1), D(2025, 7, 1), D(2026, 6, 30))
    unassigned = casework_world.case_c  # region C: the help desk's
    _granted_b8(unassigned, D(2025, 6, 1), D(2025, 7, 1), D(2026, 6, 30))
    _run(D(2026, 6, 1))
    recipients = set(ReminderSent.objects.values_list("recipient_id", flat=True))
    assert recipients == {coordinator_a.pk, helpdesk.pk}
    for outgoing in OutgoingMail.objects.all():
        body = outgoing.body
        assert not any(value in body for value in PLANTED.values())


def test_dashboard_counts_and_lists_the_procedure_reminders(
    casework_world, client_for, coordinator_a
):
    today = timezone.localdate()
    _granted_b8(
        casework_world.case_a,
        today - datetime.timedelta(days=300),
        today - datetime.timedelta(days=200),
        today + datetime.timedelta(days=20),
    )
    client = client_for(coordinator_a)
    home = client.get("/", **EN)
    assert home.context["reminders"]["b8_expiring"] == 1
    assert "B8 permits expire within 30 days" in home.content.decode()
    listing = client.get("/care/due/?kind=b8_expiring", **EN).content.decode()
    assert str(casework_world.case_a) in listing
    assert client.get("/care/due/?kind=nonsense&page=x").status_code == 200
    # Another region's coordinator sees neither.
    other = CaseFactory(region=casework_world.case_b.region)
    assert str(other) not in listing
