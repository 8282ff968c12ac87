"""The case page's shelter section (templates/registry/_placement.html), from the case alone,
so the case view needs no change to show it."""

from __future__ import annotations

from typing import Any

from django import template

from registry import access
from registry.models import Case, Placement

register = template.Library()


@register.simple_tag(takes_context=True)
def shelter_section(context: template.Context, case: Case) -> dict[str, Any]:
    """The case's open placement (placed or waiting), its earlier ones, and whether the
    reader may open its placement page."""
    user = context["request"].user
    placements = list(
        Placement.objects.for_user(user).filter(case=case).select_related("shelter")[:20]
    )
    may_place = access.may_place_in_shelter(user) and (
        access.shelter_cases_for_user(Case.objects.filter(pk=case.pk), user).exists()
    )
    return {
        "current": next((p for p in placements if p.status in ("waiting", "placed")), None),
        "earlier": [p for p in placements if p.status not in ("waiting", "placed")],
        "may_place": may_place,
    }
