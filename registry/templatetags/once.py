"""``{% once_token %}``: the hidden one-time token of a form that creates a record
(registry/once.py)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html

from registry import once

register = template.Library()


@register.simple_tag(takes_context=True)
def once_token(context: dict[str, Any]) -> str:
    user = context["request"].user
    return format_html(
        '<input type="hidden" name="{}" value="{}">', once.FIELD, once.new_token(user)
    )
