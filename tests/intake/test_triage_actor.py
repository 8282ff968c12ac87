"""Triage's Nidos referral is recorded by the help-desk user who accepted or merged the
submission (issue 14, item 4): the referral's "recorded by" and its audit event name them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from registry.choices import AuditAction, ReferralType, SubmissionStatus
from registry.models import AuditEvent, Referral
from tests.factories import PersonFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


def _unaccompanied_minor_submission(region, **more):
    return RegistrationFactory(
        region=region,
        status=SubmissionStatus.SUBMITTED,
        is_minor=True,
        unaccompanied_minor=True,
        residence_status="no_status",
        consent_care=True,
        **more,
    )


def _referral_event(referral):
    return AuditEvent.objects.get(
        action=AuditAction.CREATE, object_type="registry.referral", object_id=str(referral.pk)
    )


def test_accepting_on_the_triage_page_records_the_help_desk_user_on_the_nidos_referral(
    client_for, helpdesk, region_a
):
    registration = _unaccompanied_minor_submission(region_a)
    response = client_for(helpdesk).post(
        reverse("intake:triage_detail", args=[registration.pk]), {"action": "accept"}
    )
    assert response.status_code == 302
    referral = Referral.objects.get()
    assert referral.referral_type == ReferralType.NIDOS
    assert referral.created_by == helpdesk
    assert _referral_event(referral).actor_id == helpdesk.pk


def test_merging_records_the_help_desk_user_on_the_nidos_referral(helpdesk, region_a):
    from intake import services

    registration = _unaccompanied_minor_submission(region_a)
    services.merge(helpdesk, registration, PersonFactory())
    referral = Referral.objects.get()
    assert referral.created_by == helpdesk
    assert _referral_event(referral).actor_id == helpdesk.pk
