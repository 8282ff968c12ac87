"""The staff intake asks whether the case is one of Art. 273f(1)(3) Sr ("sub 3", issue 16) and
keeps the answer on the case the registration opens; the victim monitor counts it."""

from __future__ import annotations

import pytest

from registry.choices import AuditAction
from registry.models import AuditEvent, Case, Registration

pytestmark = pytest.mark.django_db

REGISTER = "/intake/register/"
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def _save(client, data):
    return client.post(REGISTER, {**data, "step": "save", "person_choice": "new"}, **EN)


def test_a_sub3_case_ticked_at_intake_is_kept_on_the_case(client_for, coordinator_a, staff_data):
    response = _save(client_for(coordinator_a), staff_data(sub3="on"))
    assert response.status_code == 302
    case = Case.objects.get(registration=Registration.objects.get())
    assert case.sub3 is True
    # The case's change is audited by field name, as every change of a case is.
    event = AuditEvent.objects.get(action=AuditAction.CHANGE, case_id=case.pk)
    assert event.details == {"fields": ["sub3"], "screen": "staff_form"}


def test_unticked_the_case_is_no_sub3_case(client_for, coordinator_a, staff_data):
    _save(client_for(coordinator_a), staff_data())
    assert Case.objects.get().sub3 is False
    assert not AuditEvent.objects.filter(action=AuditAction.CHANGE).exists()


def test_sub3_with_labour_exploitation_only_is_refused_and_nothing_typed_is_lost(
    client_for, coordinator_a, staff_data
):
    data = staff_data(sub3="on", exploitation_forms=["labour"], sector="agriculture")
    response = _save(client_for(coordinator_a), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "A sub 3 case concerns sexual exploitation" in page
    assert 'name="sub3"' in page and "checked" in page.split('name="sub3"')[1].split(">")[0]
    assert not Registration.objects.exists() and not Case.objects.exists()
