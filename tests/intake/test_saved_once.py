"""Saved once: a double click or a retried POST of a form that creates a record saves once and
shows the first result; a missing, altered or another user's token is refused with a clear
message, keeping everything typed (registry/once.py)."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from registry import once
from registry.models import AuditEvent, Case, Person, Registration, UsedFormToken
from tests.intake.formstate import assert_round_trip, form_values

pytestmark = pytest.mark.django_db

URL = "/intake/register/"


def _the_form(html: str, marker: str) -> dict[str, list[str]]:
    """The values of the one form of the page marked ``marker`` (not the language switch)."""
    start = html.index(marker)
    values = form_values(html[start : html.index("</form>", start)])
    values.pop("csrfmiddlewaretoken", None)
    return values


def _review_form(client, data) -> dict:
    """What the review page's form would send: everything typed, hidden, and its token."""
    page = client.post(URL, {**data, "step": "review"}, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    values = _the_form(page.content.decode(), 'id="review-form"')
    assert values[once.FIELD][0]
    return {**values, "step": "save", "person_choice": "new"}


def test_ten_double_submits_of_the_staff_intake_save_ten_registrations(
    client_for, coordinator_a, staff_data
):
    client = client_for(coordinator_a)
    for n in range(10):
        sent = _review_form(client, staff_data(family_name=f"Popescu{n}"))
        first = client.post(URL, sent)
        second = client.post(URL, sent)
        assert first.status_code == second.status_code == 302
        assert first["Location"] == second["Location"]
        assert Registration.objects.count() == n + 1
        confirmation = client.get(second["Location"])
        assert confirmation.status_code == 200
        assert (
            confirmation.context["registration"]
            == Registration.objects.order_by("-created_at").first()
        )
    assert Person.objects.count() == 10
    assert Case.objects.count() == 10
    # What the tokens keep is a confirmation's address, never anything typed.
    kept = " ".join(f"{n} {u}" for n, u in UsedFormToken.objects.values_list("nonce", "result_url"))
    assert "Popescu" not in kept and "RX123456" not in kept
    assert UsedFormToken.objects.count() == 10
    assert (
        AuditEvent.objects.filter(action="create", object_type="registry.registration").count()
        == 10
    )


def _refused_tokens(client_for, user, other_user) -> dict[str, str]:
    token = once.new_token(user)
    return {
        "missing": "",
        "altered": token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
        "another user's": once.new_token(other_user),
        "not a token": "0123456789",
    }


@pytest.mark.parametrize("kind", ["missing", "altered", "another user's", "not a token"])
def test_a_refused_token_saves_nothing_and_keeps_what_was_typed(
    client_for, coordinator_a, coordinator_b, staff_data, kind
):
    client = client_for(coordinator_a)
    sent = _review_form(client, staff_data())
    sent[once.FIELD] = _refused_tokens(client_for, coordinator_a, coordinator_b)[kind]
    response = client.post(URL, sent, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Nothing was saved" in html and "send it again" in html
    assert Registration.objects.count() == Person.objects.count() == 0
    assert UsedFormToken.objects.count() == 0
    typed = {k: v for k, v in sent.items() if k not in (once.FIELD, "step", "person_choice")}
    typed = {k: v if len(v) > 1 else v[0] for k, v in typed.items()}
    assert_round_trip(html, typed)
    fresh = _the_form(html, 'id="review-form"')[once.FIELD][0]
    assert fresh and fresh != sent[once.FIELD]
    # The fresh token saves what was typed, once.
    assert client.post(URL, {**sent, once.FIELD: fresh}).status_code == 302
    assert Registration.objects.count() == 1


def test_an_expired_token_is_refused(client_for, coordinator_a, staff_data, monkeypatch):
    client = client_for(coordinator_a)
    sent = _review_form(client, staff_data())
    old = timezone.now() - once.MAX_AGE - datetime.timedelta(minutes=1)
    # The token as the form page would have made it a day and a minute ago.
    import time

    monkeypatch.setattr(time, "time", lambda: old.timestamp())
    sent[once.FIELD] = once.new_token(coordinator_a)
    monkeypatch.undo()
    response = client.post(URL, sent, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "Nothing was saved" in response.content.decode()
    assert Registration.objects.count() == 0


def test_a_reporter_double_submit_is_one_submission_and_one_confirmation(
    client_for, reporter, reporter_data
):
    client = client_for(reporter)
    token = form_values(client.get(reverse("intake:submit")).content.decode())[once.FIELD][0]
    sent = {**reporter_data(), once.FIELD: token}
    first = client.post(reverse("intake:submit"), sent)
    second = client.post(reverse("intake:submit"), sent)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Registration.objects.count() == 1


def test_a_reporter_with_a_refused_token_keeps_what_was_typed(client_for, reporter, reporter_data):
    sent = {**reporter_data(), once.FIELD: "tampered"}
    response = client_for(reporter).post(reverse("intake:submit"), sent, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "Nothing was saved" in response.content.decode()
    assert Registration.objects.count() == 0
    assert_round_trip(response.content.decode(), {k: v for k, v in sent.items() if k != once.FIELD})


def test_a_triage_decision_sent_twice_is_recorded_once(
    client_for, reporter, helpdesk, coordinator_a, reporter_data
):
    client_for(reporter).post(reverse("intake:submit"), reporter_data())
    submission = Registration.objects.get()
    url = reverse("intake:triage_detail", args=[submission.pk])
    desk = client_for(helpdesk)
    token = form_values(desk.get(url).content.decode())[once.FIELD][0]
    sent = {"action": "accept", once.FIELD: token}
    first, second = desk.post(url, sent), desk.post(url, sent)
    assert first["Location"] == second["Location"] == reverse("intake:triage")
    assert AuditEvent.objects.filter(action="triage").count() == 1
    assert Case.objects.count() == 1


def test_prune_form_tokens_deletes_only_tokens_no_longer_accepted(
    client_for, reporter, reporter_data
):
    client = client_for(reporter)
    client.post(reverse("intake:submit"), reporter_data())
    client.post(reverse("intake:submit"), reporter_data())
    old, recent = UsedFormToken.objects.all()[:2]
    UsedFormToken.objects.filter(pk=old.pk).update(
        used_at=timezone.now() - once.MAX_AGE - datetime.timedelta(hours=1)
    )
    call_command("prune_form_tokens")
    assert list(UsedFormToken.objects.all()) == [recent]


def test_claim_agrees_with_the_orm(coordinator_a, coordinator_b):
    """once._claim (one INSERT ... ON CONFLICT) against the plain ORM answer: the first claim
    of a (user, nonce) makes the row, a second claim makes nothing, another user may hold the
    same nonce."""
    first = once._claim(coordinator_a, "nonce-1")
    assert first is not None
    row = UsedFormToken.objects.get(user=coordinator_a, nonce="nonce-1")
    assert (row.pk, row.result_url) == (first.pk, "")
    assert once._claim(coordinator_a, "nonce-1") is None
    assert once._claim(coordinator_b, "nonce-1") is not None
    assert UsedFormToken.objects.filter(nonce="nonce-1").count() == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_ten_simultaneous_double_submits_save_ten_registrations(
    client_for, coordinator_a, staff_data
):
    """The two POSTs of each double click at the same moment, on PostgreSQL (real threads,
    each with its own connection): the second waits for the first and shows its result."""
    import threading

    from django.db import connection

    client = client_for(coordinator_a)
    forms = [_review_form(client, staff_data(family_name=f"Popescu{n}")) for n in range(10)]
    locations: dict[tuple[int, int], str] = {}
    failures: list[BaseException] = []
    start = threading.Barrier(20)

    def post(n: int, copy: int) -> None:
        try:
            start.wait()
            response = client_for(coordinator_a).post(URL, forms[n])
            locations[(n, copy)] = f"{response.status_code} {response.get('Location')}"
        except BaseException as error:  # noqa: BLE001 - reported by the main thread
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(n, c)) for n in range(10) for c in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    for n in range(10):
        assert locations[(n, 0)] == locations[(n, 1)]
        assert locations[(n, 0)].startswith("302 /intake/registrations/")
    assert Registration.objects.count() == 10
