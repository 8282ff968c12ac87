"""Form fields of the intake, tested on their own."""

from __future__ import annotations

import copy
import datetime

import pytest
from django import forms
from django.utils import translation

from intake.forms import ListChoiceField, PickedDateField, StaffRegistrationForm


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("1995-03-14", datetime.date(1995, 3, 14)),
        (" 1995-03-14 ", datetime.date(1995, 3, 14)),
        ("2024-02-29", datetime.date(2024, 2, 29)),
        ("", None),
    ],
)
def test_picked_date_reads_what_the_date_picker_sends(language, typed, expected):
    with translation.override(language):
        assert PickedDateField(required=False).clean(typed) == expected


def test_picked_date_still_reads_a_dutch_date_typed_by_hand():
    with translation.override("nl"):
        assert PickedDateField().clean("14-03-1995") == datetime.date(1995, 3, 14)


@pytest.mark.parametrize("typed", ["2026-02-30", "1995-13-01", "19950314x", "14 maart"])
def test_picked_date_refuses_an_impossible_date_with_the_usual_message(typed):
    with translation.override("en"), pytest.raises(forms.ValidationError) as error:
        PickedDateField().clean(typed)
    assert error.value.code == "invalid"


def test_list_fields_of_two_forms_share_choices_but_not_widget_attributes():
    first, second = StaffRegistrationForm(), StaffRegistrationForm()
    widget_a, widget_b = first.fields["sector"].widget, second.fields["sector"].widget
    assert widget_a is not widget_b
    assert widget_a.choices is widget_b.choices
    widget_a.attrs["class"] = "changed"
    assert "class" not in widget_b.attrs
    assert "class" not in StaffRegistrationForm.base_fields["sector"].widget.attrs


def test_changing_a_list_fields_choices_on_one_form_leaves_the_others_alone():
    field = ListChoiceField(choices=[("a", "A"), ("b", "B")])
    copied = copy.deepcopy(field)
    copied.choices = [("c", "C")]
    assert list(field.widget.choices) == [("a", "A"), ("b", "B")]
    assert list(copied.widget.choices) == [("c", "C")]
    assert field.valid_value("a") and not field.valid_value("c")
