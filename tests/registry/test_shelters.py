"""Shelters and COSM placement (issue 14, item 5): free places, who places where, the
warnings that need a reason, the waiting list, the three-month reminder and the overview."""

from __future__ import annotations

import datetime
import io
import threading

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from registry.choices import (
    AuditAction,
    PlacementStatus,
    ResidenceStatus,
    Role,
    ShelterType,
)
from registry.choices import (
    Shelter as ShelterCode,
)
from registry.models import AuditEvent, Case, OutgoingMail, Placement, ReminderSent, Shelter
from registry.models.cases import add_months
from tests.factories import (
    CaseFactory,
    PersonFactory,
    PlacementFactory,
    ShelterFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
TODAY = datetime.date.today
REASON = "Zr7q-placement-reason: spoke with Ilse Vermeulen at the shelter"


def _case(region, *, age: int = 30, nationality: str = "RO", reflection: bool = True, **kw) -> Case:
    born = TODAY().replace(year=TODAY().year - age) - datetime.timedelta(days=10)
    person = PersonFactory(date_of_birth=born, nationality=nationality)
    kw.setdefault("shelter_requested", ShelterCode.COSM)
    if reflection:
        kw.setdefault("reflection_start", TODAY() - datetime.timedelta(days=5))
        kw.setdefault("residence_status", ResidenceStatus.REFLECTION_PERIOD)
    return CaseFactory(person=person, region=region, **kw)


def _place(client, case, shelter, /, **extra):
    data = {"shelter": shelter.pk, "start_date": TODAY().isoformat(), "reason": "", **extra}
    return client.post(reverse("registry:case_shelter", args=[case.pk]), data, **EN)


def _free(shelter) -> int:
    return Shelter.objects.with_occupancy().get(pk=shelter.pk).free


def test_placement_reduces_free_places_and_is_audited_by_field_names(
    client_for, helpdesk, region_a
):
    cosm = ShelterFactory(places=2)
    case = _case(region_a)
    assert _free(cosm) == 2
    response = _place(client_for(helpdesk), case, cosm)
    assert response.status_code == 302
    assert _free(cosm) == 1
    placement = Placement.objects.get(case=case)
    assert placement.status == PlacementStatus.PLACED and placement.placed_by == helpdesk
    case.refresh_from_db()
    assert case.shelter_placed == ShelterCode.COSM
    event = AuditEvent.objects.get(object_id=str(placement.pk))
    assert event.action == AuditAction.CREATE and event.case_id == case.pk
    assert event.details == {"fields": ["shelter", "start_date", "status"], "screen": "placement"}
    page = client_for(helpdesk).get(reverse("registry:case_shelter", args=[case.pk]), **EN)
    assert f"In {cosm} since" in page.content.decode()


def test_a_placement_that_ends_frees_its_place_from_the_end_date(client_for, helpdesk, region_a):
    cosm = ShelterFactory(places=1)
    placement = PlacementFactory(
        case=_case(region_a), shelter=cosm, start_date=TODAY() - datetime.timedelta(days=9)
    )
    assert _free(cosm) == 0
    response = client_for(helpdesk).post(
        reverse("registry:placement_end", args=[placement.pk]),
        {"end_date": TODAY().isoformat()},
        **EN,
    )
    assert response.status_code == 302
    assert _free(cosm) == 1
    placement.refresh_from_db()
    assert placement.status == PlacementStatus.ENDED and placement.end_date == TODAY()
    event = AuditEvent.objects.filter(object_id=str(placement.pk)).get()
    assert event.details["fields"] == ["end_date", "status"]


def test_a_coordinator_may_not_place_in_a_cosm_but_in_another_shelter(
    client_for, coordinator_a, region_a
):
    cosm = ShelterFactory(places=5)
    women = ShelterFactory(name="Vrouwenopvang", shelter_type=ShelterType.WOMEN, places=3)
    case = _case(region_a, coordinator=coordinator_a)
    client = client_for(coordinator_a)
    page = client.get(reverse("registry:case_shelter", args=[case.pk]), **EN)
    assert page.status_code == 200
    options = page.context["form"].fields["shelter"].queryset
    assert list(options) == [women]
    refused = _place(client, case, cosm)
    assert refused.status_code == 400
    assert "Select a valid choice" in refused.content.decode()
    assert not Placement.objects.exists()
    assert _place(client, case, women).status_code == 302
    assert Placement.objects.get(case=case).shelter == women


def test_administrators_oversee_but_do_not_place(client_for, administrator, region_a):
    case = _case(region_a)
    assert client_for(administrator).get(reverse("registry:shelter_overview")).status_code == 200
    url = reverse("registry:case_shelter", args=[case.pk])
    assert client_for(administrator).get(url).status_code == 403


@pytest.mark.parametrize(
    ("kwargs", "warning"),
    [
        ({"age": 16}, "the person is a minor"),
        ({"nationality": "NL"}, "the person is a Dutch national"),
        ({"reflection": False}, "the person is not in the reflection period"),
        (
            {"reflection_start": TODAY() - datetime.timedelta(days=200)},
            "the person is not in the reflection period",
        ),
    ],
)
def test_a_cosm_placement_warns_and_needs_a_reason(client_for, helpdesk, region_a, kwargs, warning):
    cosm = ShelterFactory()
    case = _case(region_a, **kwargs)
    client = client_for(helpdesk)
    start = (TODAY() - datetime.timedelta(days=1)).isoformat()
    first = _place(client, case, cosm, start_date=start)
    html = first.content.decode()
    assert first.status_code == 400
    assert warning in html and "This placement needs a reason" in html
    assert f'value="{start}"' in html  # nothing typed is lost
    assert not Placement.objects.exists()
    second = _place(client, case, cosm, start_date=start, reason=REASON)
    assert second.status_code == 302, second.context["form"].errors
    placement = Placement.objects.get(case=case)
    assert placement.warnings and placement.reason == REASON
    event = AuditEvent.objects.get(object_id=str(placement.pk))
    assert "reason" in event.details["fields"]
    assert "Zr7q" not in str(event.details)


def test_an_adult_foreign_victim_in_reflection_gets_no_warning(client_for, helpdesk, region_a):
    cosm = ShelterFactory()
    case = _case(region_a)
    assert _place(client_for(helpdesk), case, cosm).status_code == 302
    assert Placement.objects.get(case=case).warnings == []


def test_when_every_cosm_is_full_the_case_waits_in_date_order_and_is_placed_when_a_place_frees(
    client_for, helpdesk, region_a
):
    cosm = ShelterFactory(places=1)
    other = ShelterFactory(places=1)
    placed = [PlacementFactory(case=_case(region_a), shelter=s) for s in (cosm, other)]
    client = client_for(helpdesk)
    first, second = _case(region_a), _case(region_a)
    response = _place(client, first, cosm)
    assert response.status_code == 302
    assert "waiting list, number 1" in client.get(response.url, **EN).content.decode()
    _place(client, second, other)
    waiting = list(Placement.objects.waiting().values_list("case", flat=True))
    assert waiting == [first.pk, second.pk]
    assert all(p.shelter is None for p in Placement.objects.waiting())
    # A place frees up: ending sends the help desk to the overview, one click places the first.
    ended = client.post(
        reverse("registry:placement_end", args=[placed[0].pk]),
        {"end_date": TODAY().isoformat()},
        **EN,
    )
    assert ended.url == reverse("registry:shelter_overview")
    overview = client.get(ended.url, **EN).content.decode()
    assert "Place the first waiting case here" in overview
    assert (
        client.post(reverse("registry:shelter_place_next", args=[cosm.pk]), {}, **EN).status_code
        == 302
    )
    entry = Placement.objects.get(case=first)
    assert entry.status == PlacementStatus.PLACED and entry.shelter == cosm
    assert entry.start_date == TODAY() and entry.placed_by == helpdesk
    assert list(Placement.objects.waiting().values_list("case", flat=True)) == [second.pk]
    assert _free(cosm) == 0
    # No free place left: the next click places nobody.
    client.post(reverse("registry:shelter_place_next", args=[cosm.pk]), {}, **EN)
    assert Placement.objects.get(case=second).status == PlacementStatus.WAITING


def test_a_full_cosm_while_another_has_room_asks_for_that_one(client_for, helpdesk, region_a):
    full = ShelterFactory(places=1)
    ShelterFactory(places=1)
    PlacementFactory(case=_case(region_a), shelter=full)
    response = _place(client_for(helpdesk), _case(region_a), full)
    assert response.status_code == 400
    assert "has no free place" in response.content.decode()
    assert not Placement.objects.waiting().exists()


def test_a_case_is_placed_or_waits_once(client_for, helpdesk, region_a):
    cosm = ShelterFactory(places=3)
    case = _case(region_a)
    client = client_for(helpdesk)
    _place(client, case, cosm)
    again = _place(client, case, cosm)
    assert again.status_code == 302
    assert Placement.objects.filter(case=case).count() == 1


def test_the_stay_reminder_at_three_months_is_sent_once(helpdesk, coordinator_a, region_a):
    start = TODAY() - datetime.timedelta(days=120)
    case = _case(region_a, coordinator=coordinator_a)
    placement = PlacementFactory(case=case, shelter=ShelterFactory(), start_date=start)
    due = add_months(start, 3)
    before = (due - datetime.timedelta(days=1)).isoformat()
    out = io.StringIO()
    call_command("send_reminders", "--date", before, stdout=out)
    assert not ReminderSent.objects.filter(kind=ReminderSent.Kind.SHELTER_STAY).exists()
    for _ in range(2):
        call_command("send_reminders", "--date", due.isoformat(), stdout=out)
    sent = ReminderSent.objects.filter(kind=ReminderSent.Kind.SHELTER_STAY)
    assert sorted(sent.values_list("recipient__username", flat=True)) == [
        "coordinator-a",
        "helpdesk",
    ]
    assert set(sent.values_list("due", flat=True)) == {placement.stay_review_on}
    mails = OutgoingMail.objects.all()
    assert mails.count() == 2
    assert "Zr7q" not in "".join(m.body for m in mails)
    page = reverse("registry:case_shelter", args=[case.pk])
    assert all(page in m.body for m in mails)


def test_the_overview_counts_places_waiting_and_long_stays(client_for, helpdesk, region_a):
    cosm = ShelterFactory(name="COSM Noord", places=3)
    women = ShelterFactory(name="Vrouwenhuis", shelter_type=ShelterType.WOMEN, places=2)
    ShelterFactory(name="Gesloten", places=9, is_active=False)
    long_ago = TODAY() - datetime.timedelta(days=100)
    long = PlacementFactory(case=_case(region_a), shelter=cosm, start_date=long_ago)
    PlacementFactory(case=_case(region_a), shelter=cosm)
    PlacementFactory(case=_case(region_a), shelter=women, end_date=TODAY() + datetime.timedelta(3))
    PlacementFactory(
        case=_case(region_a),
        shelter=women,
        start_date=long_ago,
        end_date=TODAY(),
        status=PlacementStatus.ENDED,
    )
    requesting = _case(region_a)
    response = client_for(helpdesk).get(reverse("registry:shelter_overview"), **EN)
    assert response.status_code == 200
    ctx = response.context
    figures = {s.name: (s.places, s.occupied, s.free) for s in ctx["shelters"]}
    assert figures == {"COSM Noord": (3, 2, 1), "Vrouwenhuis": (2, 1, 1)}
    assert ctx["totals"] == {"places": 5, "occupied": 3, "free": 2}
    assert [p.pk for p in ctx["long_stays"]] == [long.pk]
    assert requesting in list(ctx["requesting"])
    assert f"week {TODAY().isocalendar()[1]}" in response.content.decode()


def test_the_overview_and_placing_are_closed_to_others(
    client_for, reporter, coordinator_a, region_a
):
    case = _case(region_a)
    assert client_for(coordinator_a).get(reverse("registry:shelter_overview")).status_code == 403
    assert (
        client_for(reporter).get(reverse("registry:case_shelter", args=[case.pk])).status_code
        == 403
    )
    assert client_for(None).get(reverse("registry:shelter_overview")).status_code == 302


def test_foreign_ids_are_refused(
    client_for, coordinator_a, coordinator_b, helpdesk, region_a, region_b
):
    cosm = ShelterFactory(places=4)
    inactive = ShelterFactory(places=4, is_active=False)
    women = ShelterFactory(name="Vrouwenhuis", shelter_type=ShelterType.WOMEN, places=2)
    theirs = _case(region_a, coordinator=coordinator_a)
    b = client_for(coordinator_b)
    # Another region's case: 404 on the page and on the post.
    assert b.get(reverse("registry:case_shelter", args=[theirs.pk])).status_code == 404
    assert _place(b, theirs, women).status_code == 404
    # An inactive shelter, or one that does not exist.
    desk = client_for(helpdesk)
    assert _place(desk, theirs, inactive).status_code == 400
    response = desk.post(
        reverse("registry:case_shelter", args=[theirs.pk]),
        {"shelter": "99999", "start_date": TODAY().isoformat()},
    )
    assert response.status_code == 400
    # A case that requests no shelter is not a shelter case.
    none = _case(region_a, shelter_requested="")
    assert desk.get(reverse("registry:case_shelter", args=[none.pk])).status_code == 404
    assert not Placement.objects.exists()
    # Another region's placement: coordinator B may not end it; nor a COSM placement at all.
    placement = PlacementFactory(case=theirs, shelter=women)
    url = reverse("registry:placement_end", args=[placement.pk])
    assert b.post(url, {"end_date": TODAY().isoformat()}).status_code == 404
    cosm_placement = PlacementFactory(case=_case(region_a, coordinator=coordinator_a), shelter=cosm)
    a = client_for(coordinator_a)
    url = reverse("registry:placement_end", args=[cosm_placement.pk])
    assert a.post(url, {"end_date": TODAY().isoformat()}).status_code == 404
    assert a.post(reverse("registry:shelter_place_next", args=[cosm.pk]), {}).status_code == 403
    assert (
        desk.post(reverse("registry:shelter_place_next", args=[inactive.pk]), {}).status_code == 404
    )
    waiting = Placement.objects.create(
        case=_case(region_a), status=PlacementStatus.WAITING, placed_by=helpdesk
    )
    assert a.post(reverse("registry:placement_withdraw", args=[waiting.pk]), {}).status_code == 404
    assert Placement.objects.filter(status=PlacementStatus.ENDED).count() == 0


def test_tampered_hidden_fields_change_nothing(client_for, helpdesk, coordinator_a, region_a):
    cosm = ShelterFactory(places=2)
    case = _case(region_a)
    other = _case(region_a)
    response = _place(
        client_for(helpdesk),
        case,
        cosm,
        case=str(other.pk),
        status="ended",
        placed_by=str(coordinator_a.pk),
        warnings='["minor"]',
    )
    assert response.status_code == 302
    placement = Placement.objects.get()
    assert placement.case == case and placement.status == PlacementStatus.PLACED
    assert placement.placed_by == helpdesk and placement.warnings == []
    # A forged or missing one-time token saves nothing and keeps what was typed.
    forged = client_for(helpdesk).post(
        reverse("registry:case_shelter", args=[other.pk]),
        {"shelter": cosm.pk, "start_date": TODAY().isoformat(), "once_token": "forged"},
        **EN,
    )
    assert forged.status_code == 400
    assert not Placement.objects.filter(case=other).exists()


def test_a_start_date_in_the_future_is_refused(client_for, helpdesk, region_a):
    response = _place(
        client_for(helpdesk),
        _case(region_a),
        ShelterFactory(),
        start_date=(TODAY() + datetime.timedelta(days=3)).isoformat(),
    )
    assert response.status_code == 400
    assert "cannot be in the future" in response.content.decode()


def test_the_case_page_shows_the_shelter_section(client_for, helpdesk, region_c):
    cosm = ShelterFactory(name="COSM West")
    case = _case(region_c)
    PlacementFactory(case=case, shelter=cosm, start_date=TODAY())
    html = client_for(helpdesk).get(case.get_absolute_url(), **EN).content.decode()
    assert 'id="shelter-section"' in html and "Placed in COSM West" in html
    assert reverse("registry:case_shelter", args=[case.pk]) in html


def test_the_timeline_tells_the_placement(client_for, helpdesk, region_c):
    cosm = ShelterFactory(places=1)
    case = _case(region_c)
    _place(client_for(helpdesk), case, cosm)
    html = client_for(helpdesk).get(case.get_absolute_url(), **EN).content.decode()
    assert "placed the person in a shelter" in html


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_placements_into_the_last_place_give_one_placement_and_one_waiting(
    client_for, helpdesk, region_a
):
    other_desk = UserFactory(username="helpdesk-2", role=Role.HELPDESK)
    cosm = ShelterFactory(places=1)
    cases = [_case(region_a), _case(region_a)]
    clients = [client_for(helpdesk), client_for(other_desk)]
    start = threading.Barrier(2)
    statuses: list[int] = []
    failures: list[BaseException] = []

    def place(client, case) -> None:
        try:
            start.wait()
            statuses.append(_place(client, case, cosm).status_code)
        except BaseException as error:  # noqa: BLE001 - reported by the main thread
            failures.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=place, args=pair) for pair in zip(clients, cases, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == [] and statuses == [302, 302]
    assert Placement.objects.filter(status=PlacementStatus.PLACED, shelter=cosm).count() == 1
    assert Placement.objects.waiting().count() == 1


def test_ending_a_placement_twice_or_before_its_start_is_a_clear_error(
    client_for, helpdesk, region_a
):
    placement = PlacementFactory(case=_case(region_a), shelter=ShelterFactory(), start_date=TODAY())
    url = reverse("registry:placement_end", args=[placement.pk])
    client = client_for(helpdesk)
    early = client.post(url, {"end_date": (TODAY() - datetime.timedelta(days=2)).isoformat()}, **EN)
    assert early.status_code == 400
    assert "cannot be before the start date" in early.content.decode()
    assert client.post(url, {"end_date": TODAY().isoformat()}, **EN).status_code == 302
    again = client.post(url, {"end_date": TODAY().isoformat()}, **EN)
    assert again.status_code in (302, 400)
    assert Placement.objects.get(pk=placement.pk).status == PlacementStatus.ENDED
    bad = client.post(url, {"end_date": "not-a-date"}, **EN)
    assert bad.status_code in (302, 400)


def test_a_waiting_minor_keeps_the_reason_when_placed_and_the_help_desk_may_withdraw(
    client_for, helpdesk, region_a
):
    cosm = ShelterFactory(places=1)
    taken = PlacementFactory(case=_case(region_a), shelter=cosm)
    client = client_for(helpdesk)
    minor, adult = _case(region_a, age=17), _case(region_a)
    assert _place(client, minor, cosm, reason=REASON).status_code == 302
    assert _place(client, adult, cosm).status_code == 302
    waiting = Placement.objects.get(case=adult)
    response = client.post(reverse("registry:placement_withdraw", args=[waiting.pk]), {}, **EN)
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == PlacementStatus.WITHDRAWN
    assert AuditEvent.objects.filter(object_id=str(waiting.pk)).last().details["fields"] == [
        "status"
    ]
    taken.end(helpdesk, TODAY())
    client.post(reverse("registry:shelter_place_next", args=[cosm.pk]), {}, **EN)
    placed = Placement.objects.get(case=minor)
    assert placed.status == PlacementStatus.PLACED
    assert placed.warnings == ["minor"] and placed.reason == REASON
