"""A select whose options are written in Python, and kept once per language for fixed lists.

Django's ``Select`` renders each option through two template includes
(``select_option.html`` and ``attrs.html``). The intake form has four country lists of about
250 countries each and a few shorter lists: 1,100 options and 2,200 includes per render, about
half the cost of the intake form page (bench/intake.py, docs/PERFORMANCE.md "Issue 12:
capacity"). This widget writes the same markup Django's templates write, option by option
(value, ``selected``, label, each escaped as the templates escape them), without an include.

For a fixed list (the controlled vocabularies and the countries: not a ``ModelChoiceField``,
whose rows an administrator may change at any time) the escaped options are kept per language
and per list, so a render only marks the selected values. Lists that come from the database
are written afresh on every render: they are short, and a cache would need invalidating.

The form fields built on it (the controlled lists, the countries, the picked date) are here too:
the intake's forms (intake/forms.py) and the workspace's person form (registry/forms.py) share
them, and the registry imports no other app.

Hand-written because neither Django nor crispy-forms offers a select without an include per
option; ``tests/intake/test_form_rendering.py`` compares the page with Django's own rendering.
"""

from __future__ import annotations

import copy
import datetime
import functools
import re
import threading
from collections import OrderedDict
from typing import Any

from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils.functional import Promise
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import get_language, gettext
from django_countries import countries

# (language, list) -> [(value, option without selected, option with selected)]. A list is
# known by its identity: form instances share their fields' lists (intake.forms,
# _SharedChoicesMixin). The entry keeps the list alive, so its id is never reused while cached.
_OPTIONS: OrderedDict[tuple[str, int], tuple[Any, list[tuple[str, str, str]]]] = OrderedDict()
_OPTIONS_KEPT = 64
_LOCK = threading.Lock()


# Django's label of a select's empty choice (BLANK_CHOICE_DASH, ModelChoiceField.empty_label).
DASHES = "---------"


def choice_label(label: Any, sentence_case: bool = True) -> Any:
    """The label a user reads (issue 15): "Kies…" / "Choose…" for Django's dashes, and a
    controlled list's label in sentence case ("Seksuele uitbuiting"), whose catalogue keeps it
    lower case for use inside sentences. Rows of the database (``sentence_case=False``: user
    names, names of organisations) are shown as they are written."""
    if isinstance(label, str) and label == DASHES:
        return gettext("Choose…")
    return capfirst(label) if sentence_case and isinstance(label, str | Promise) else label


def label_empty_choices() -> None:
    """Every select and radio list of the project, the admin's too, shows "Kies…" / "Choose…"
    for its empty choice instead of Django's "---------": one place, ChoiceWidget's option
    (RegistryConfig.ready), since the dashes come from many places (model fields with
    blank=True, ModelChoiceField, the admin's actions). InlineOptionsSelect writes its
    options itself and asks ``choice_label`` too. Idempotent."""
    original = forms.widgets.ChoiceWidget.create_option
    if getattr(original, "labels_empty_choice", False):
        return

    @functools.wraps(original)
    def create_option(self: Any, name: str, value: Any, label: Any, *args: Any, **kwargs: Any):
        sentence_case = not isinstance(self.choices, ModelChoiceIterator)
        return original(self, name, value, choice_label(label, sentence_case), *args, **kwargs)

    create_option.labels_empty_choice = True  # type: ignore[attr-defined]
    forms.widgets.ChoiceWidget.create_option = create_option  # type: ignore[method-assign]


def _option(value: str, label: Any, sentence_case: bool = True) -> tuple[str, str, str]:
    # As select_option.html writes it: value|stringformat:'s', then the attributes, the label.
    value_html = conditional_escape(value)
    label_html = conditional_escape(choice_label(label, sentence_case))
    return (
        value,
        f'\n  <option value="{value_html}">{label_html}</option>',
        f'\n  <option value="{value_html}" selected>{label_html}</option>',
    )


def _options(choices: Any) -> list[tuple[str, str, str]]:
    sentence_case = not isinstance(choices, ModelChoiceIterator)
    return [_option(str(value), label, sentence_case) for value, label in choices]


def _attrs(attrs: dict[str, Any]) -> str:
    # As django/forms/widgets/attrs.html writes them.
    return "".join(
        f" {conditional_escape(name)}"
        if value is True
        else f' {conditional_escape(name)}="{conditional_escape(str(value))}"'
        for name, value in attrs.items()
        if value is not False
    )


def _has_groups(choices: Any) -> bool:
    return any(isinstance(label, (list, tuple)) for _value, label in choices)


class InlineOptionsSelect(forms.Select):
    """``forms.Select`` with the options written without a template include per option."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        options = self.cached_options()
        if options is None:  # option groups: Django's own rendering
            return super().render(name, value, attrs, renderer)
        # Widget.get_context, not ChoiceWidget's: the option dicts it builds are not needed.
        widget = forms.Widget.get_context(self, name, value, attrs)["widget"]
        return mark_safe(  # noqa: S308 - every name, value and label escaped
            f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>'
            f"{self.options_html(options, widget['value'])}\n</select>"
        )

    def use_required_attribute(self, initial: Any) -> bool:
        # Django's Select looks at the first choice, which builds a country list afresh; the
        # answer only counts for a required field (BoundField.build_widget_attrs).
        return self.is_required and super().use_required_attribute(initial)

    def cached_options(self) -> list[tuple[str, str, str]] | None:
        """The options of this widget's list: kept per language for a fixed list."""
        choices = self.choices
        if isinstance(choices, ModelChoiceIterator):
            # Rows an administrator may change: written afresh, never kept.
            return _options(choices)
        key = (get_language() or "", id(choices))
        with _LOCK:
            kept = _OPTIONS.get(key)
            if kept is not None and kept[0] is choices:
                _OPTIONS.move_to_end(key)
                return kept[1]
        listed = list(choices)
        if _has_groups(listed):
            return None
        options = _options(listed)
        with _LOCK:
            _OPTIONS[key] = (choices, options)
            while len(_OPTIONS) > _OPTIONS_KEPT:
                _OPTIONS.popitem(last=False)
        return options

    def options_html(self, options: list[tuple[str, str, str]], values: list[str]) -> str:
        """The options with the first one of each value in ``values`` selected, as
        ChoiceWidget.optgroups marks them (a single select marks one option only)."""
        wanted = set(values)
        parts = []
        for value, plain, selected in options:
            if value in wanted:
                parts.append(selected)
                if not self.allow_multiple_selected:
                    wanted = set()
            else:
                parts.append(plain)
        return "".join(parts)


# The form fields of the intake and the workspace that use these widgets ---------------------------


def date_widget() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class PickedDateField(forms.DateField):
    """A date from the browser's date picker, which sends ISO 8601 (``2026-03-14``).

    An ISO date is read directly; anything else goes through the language's input formats as
    before. No Dutch format can read an ISO date differently (they start with the day), so
    the result is the same; only the five or six failed ``strptime`` tries of the Dutch
    formats before the ISO one are saved.
    """

    def to_python(self, value: Any) -> datetime.date | None:
        if isinstance(value, str) and _ISO_DATE.fullmatch(text := value.strip()):
            try:
                return datetime.date.fromisoformat(text)
            except ValueError:
                pass  # 2026-02-30: the formats below give the usual error
        return super().to_python(value)


@functools.lru_cache(maxsize=8)
def _country_choices_in(language: str) -> list[tuple[str, str]]:
    return [("", "---------"), *list(countries)]


def _country_choices() -> list[tuple[str, str]]:
    # Sorting ~250 translated country names costs about a millisecond per field; the list only
    # changes with the language, so it is built once per language.
    return _country_choices_in(get_language() or "")


class _SharedChoicesMixin:
    """Controlled lists never change per form instance, so instances share them.

    Django's ChoiceField deep-copies its choices for every form instance; for this form's ~600
    lazily translated labels that was a quarter of the intake's server time (bench/intake.py).
    Everything else is copied as Field.__deepcopy__ does.
    """

    def __deepcopy__(self, memo: dict[int, Any]) -> Any:
        result = copy.copy(self)
        memo[id(self)] = result
        # The widget too: ChoiceWidget.__deepcopy__ copies and normalises the choices again
        # (a third of this form's set-up). Its attributes are copied as Widget.__deepcopy__
        # does; the choices are shared, since nothing changes a list in place.
        widget = copy.copy(self.widget)
        widget.attrs = self.widget.attrs.copy()
        memo[id(self.widget)] = widget
        result.widget = widget
        result.error_messages = self.error_messages.copy()
        result.validators = self.validators[:]
        return result


class ListChoiceField(_SharedChoicesMixin, forms.ChoiceField):
    widget = InlineOptionsSelect


class ListMultipleChoiceField(_SharedChoicesMixin, forms.MultipleChoiceField):
    """A set of codes: a code sent twice (a tampered or replayed form) counts once, since
    each code is one row of the registration's code list."""

    def clean(self, value: Any) -> list[str]:
        return list(dict.fromkeys(super().clean(value)))


class CountryChoiceField(ListChoiceField):
    """An ISO 3166 country from the list in the user's language; checked against the set of
    codes, not the sorted label list."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=_country_choices, **kwargs)

    def valid_value(self, value: Any) -> bool:
        return str(value) in _country_codes()


@functools.lru_cache(maxsize=1)
def _country_codes() -> frozenset[str]:
    return frozenset(code for code, _name in countries)
