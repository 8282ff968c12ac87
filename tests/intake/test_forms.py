"""Form fields of the intake, tested on their own."""

from __future__ import annotations

import copy

from intake.forms import ListChoiceField, StaffRegistrationForm


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
