"""``{% may_see_personal person as shown %}``: the rule ``access.may_see_personal`` for a page
that shows a person's personal fields, so the rule stays in access.py and the views need no
extra context."""

from __future__ import annotations

from typing import Any

from django import template

from registry import access

register = template.Library()


@register.simple_tag(takes_context=True)
def may_see_personal(context: dict[str, Any], person: Any) -> bool:
    request = context.get("request")
    return access.may_see_personal(getattr(request, "user", None), person)
