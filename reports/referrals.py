"""The referrals in HTCDS terms (issue 14, item 4): one row per referral made in a period, for
statistics staff (docs/reports.md, "Referrals in HTCDS terms").

HTCDS 2.0 records an outgoing referral on the case: ``cas_OutgoingReferralDate``,
``cas_ReferredOrganisation`` (an organisation, whose ``org_Type`` says what it is) and
``cas_ReasonForOutgoingReferral``. Each row gives those terms (registry.choices' HTCDS_* maps)
beside the registry's own codes, and the outcome (HTCDS has no field for it). A row carries no
attribute of the case, the registration or the person (no id, region, age, gender,
nationality): nothing in it leads back to someone, and it cannot be joined to the anonymised
dataset's rows. Codes and dates only, read from the referral table alone: nothing is
decrypted.
"""

from __future__ import annotations

from collections.abc import Iterator

from registry.choices import HTCDS_REFERRAL_REASON, HTCDS_REFERRED_ORGANISATION_TYPE
from registry.interchange import format_value
from registry.models import Referral
from registry.models.care import ReferralQuerySet
from reports.aggregates import Period

CHUNK_SIZE = 2000

REFERRAL_COLUMNS = [
    "cas_OutgoingReferralDate",
    "cas_ReferredOrganisation_org_Type",
    "cas_ReasonForOutgoingReferral",
    "referral_type",
    "reason",
    "outcome",
    "outcome_on",
]


def referrals_in(period: Period) -> ReferralQuerySet:
    """The referrals made in ``period`` (by their date), of every case: those the statistics
    count per type (reports.tables.referrals_per_type)."""
    return Referral.objects.in_period(period.start, period.end)


def referral_rows(period: Period, chunk_size: int = CHUNK_SIZE) -> Iterator[list[str]]:
    """Rows of REFERRAL_COLUMNS, by date: HTCDS terms first, then the registry's codes."""
    rows = (
        referrals_in(period)
        .order_by("referred_on", "referral_type", "reason", "outcome")
        .values_list("referred_on", "referral_type", "reason", "outcome", "outcome_on")
        .iterator(chunk_size=chunk_size)
    )
    for referred_on, referral_type, reason, outcome, outcome_on in rows:
        yield [
            format_value("", referred_on),
            HTCDS_REFERRED_ORGANISATION_TYPE.get(referral_type, ""),
            HTCDS_REFERRAL_REASON.get(reason, ""),
            referral_type,
            reason,
            outcome,
            format_value("", outcome_on),
        ]
