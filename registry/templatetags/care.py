"""The case page's residence procedures and referrals (issue 14), read for the signed-in user
through the row rules, so case_detail's view needs no change to show them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import template

from registry import access
from registry.choices import ProcedureKind
from registry.models import Case, Referral, ResidenceProcedure

register = template.Library()


@dataclass(frozen=True)
class ProcedureRow:
    kind: str
    label: str
    procedure: ResidenceProcedure | None


@register.simple_tag(takes_context=True)
def case_care(context: dict[str, Any], case: Case) -> dict[str, Any]:
    """Every kind of procedure (recorded or not), the referrals, and whether the user may
    record them (``access.holds_case``)."""
    user = context["request"].user
    recorded = {p.kind: p for p in ResidenceProcedure.objects.for_user(user).filter(case=case)}
    return {
        "procedures": [
            ProcedureRow(kind.value, str(kind.label), recorded.get(kind.value))
            for kind in ProcedureKind
        ],
        "referrals": list(Referral.objects.for_user(user).filter(case=case)),
        "holds": access.holds_case(user, case),
    }
