"""``{% drafts_waiting as drafts %}``: the signed-in user's drafts still kept (when, which
form), for the home page's "continue where you left off" (templates/_drafts_waiting.html).
Reads no value: the payload stays sealed."""

from __future__ import annotations

from typing import Any

from django import template

from registry.models import FormDraft

register = template.Library()


@register.simple_tag(takes_context=True)
def drafts_waiting(context: dict[str, Any]) -> list[FormDraft]:
    user = context["request"].user
    if not user.is_authenticated:
        return []
    return list(
        FormDraft.objects.filter(owner=user).current().only("form", "saved_at").order_by("form")
    )
