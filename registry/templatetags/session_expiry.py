"""``{% session_seconds %}`` and ``{% session_warning_seconds %}``: the idle timeout and how long
before it the warning opens (registry/session_expiry.py), for templates/_session.html."""

from __future__ import annotations

from django import template
from django.conf import settings

from registry import session_expiry

register = template.Library()


@register.simple_tag
def session_seconds() -> int:
    return settings.SESSION_COOKIE_AGE


@register.simple_tag
def session_warning_seconds() -> int:
    return session_expiry.warning_seconds()
