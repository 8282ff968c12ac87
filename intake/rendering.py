"""The empty intake form's HTML, rendered once and kept while nothing it shows changes.

Rendering the staff intake form through crispy-forms' templates costs twice the review POST
(bench/intake.py --form-only), and an empty form looks the same to every user who opens it.
So its HTML is kept, under a key made of everything it shows that can change while the server
runs: the language, each field's initial value (today's date for the registration date) and
the options of every list that comes from the database (regions, organisations,
municipalities), read afresh on every request. A region an administrator adds or renames
changes the key, so the next page shows it; nothing needs to be told to forget anything. A
bound form (a POST with errors) is always rendered afresh: it holds what the user typed.

Hand-written because crispy-forms keeps no rendered output; tests/intake/test_form_rendering.py
compares the kept HTML with crispy's own rendering, and shows a change in the database at once.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

from crispy_forms.utils import render_crispy_form
from django import forms
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

_KEPT: OrderedDict[tuple[Any, ...], str] = OrderedDict()
_KEEP = 32  # languages x days x versions of the lists; old ones simply drop out
_LOCK = threading.Lock()


def kept_form_html(form: forms.Form) -> SafeString | None:
    """The crispy HTML of an empty ``form``, kept; None for a bound form (render it)."""
    if form.is_bound:
        return None
    key = _key(form)
    with _LOCK:
        html = _KEPT.get(key)
        if html is not None:
            _KEPT.move_to_end(key)
            return mark_safe(html)  # noqa: S308 - crispy's own escaped output, kept
    html = render_crispy_form(form)
    with _LOCK:
        _KEPT[key] = html
        while len(_KEPT) > _KEEP:
            _KEPT.popitem(last=False)
    return mark_safe(html)  # noqa: S308 - crispy's own escaped output


def _key(form: forms.Form) -> tuple[Any, ...]:
    parts: list[Any] = [type(form).__module__, type(form).__qualname__, get_language()]
    # The step shown and the focus (the staff form's; an empty one shows step 1).
    parts.append((getattr(form, "current_step", None), getattr(form, "focus", None)))
    for name, field in form.fields.items():
        parts.append((name, repr(form.get_initial_for_field(field, name))))
        if isinstance(field, forms.ModelChoiceField):
            # The rows as the select shows them: value and label.
            parts.append(tuple((str(value), str(label)) for value, label in field.choices))
    return tuple(parts)
