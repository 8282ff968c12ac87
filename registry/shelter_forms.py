"""The forms of shelter placement: place a case, end a placement, place the next waiting."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from registry import access
from registry.choices import ShelterType
from registry.models import Case, Shelter, User
from registry.models.notes import MAX_NOTE_LENGTH
from registry.models.shelters import warnings_for
from registry.widgets import PickedDateField, date_widget


def _not_in_future(day: datetime.date) -> datetime.date:
    if day > timezone.localdate():
        raise forms.ValidationError(_("The date cannot be in the future."))
    return day


class PlacementForm(forms.Form):
    """Place a case in a shelter. Only shelters the user may place in are offered (a COSM
    to the help desk alone); a posted id of another one, or of an inactive shelter, is
    refused as an invalid choice. A COSM placement with warnings needs a reason: the form
    comes back with the warnings and the field, everything typed kept."""

    shelter = forms.ModelChoiceField(
        label=_("Shelter"),
        queryset=Shelter.objects.none(),
        help_text=_("Free places are counted for today."),
    )
    start_date = PickedDateField(
        label=_("Start date"),
        widget=date_widget(),
        help_text=_("The day the person moves in: today or earlier."),
    )
    reason = forms.CharField(
        label=_("Reason or note"),
        required=False,
        max_length=MAX_NOTE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when a warning is shown: why COSM is the right place. Encrypted."),
    )

    def __init__(self, *args: Any, case: Case, user: User, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"start_date": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.case = case
        allowed = [t for t in ShelterType.values if access.may_place_in(user, t)]
        self.fields["shelter"].queryset = (
            Shelter.objects.active()
            .filter(shelter_type__in=allowed)
            .select_related("municipality")
            .with_occupancy()
        )
        self.fields["shelter"].label_from_instance = self._label
        self.warnings: list[str] = []

    @staticmethod
    def _label(shelter: Shelter) -> str:
        # The type is in the table of free places beside the form; the option stays short.
        return _("%(shelter)s · %(free)s of %(places)s free") % {
            "shelter": shelter,
            "free": max(shelter.free, 0),
            "places": shelter.places,
        }

    def clean_start_date(self) -> datetime.date:
        return _not_in_future(self.cleaned_data["start_date"])

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        shelter, start = data.get("shelter"), data.get("start_date")
        if shelter is not None and start is not None and shelter.is_cosm:
            self.warnings = warnings_for(self.case, start)
            if self.warnings and not data.get("reason", "").strip():
                self.add_error(
                    "reason",
                    _("This placement needs a reason: see the warning above."),
                )
        return data


class EndPlacementForm(forms.Form):
    end_date = PickedDateField(
        label=_("End date"),
        widget=date_widget(),
        help_text=_("The last night is the night before: the place is free from this day."),
    )

    def clean_end_date(self) -> datetime.date:
        return _not_in_future(self.cleaned_data["end_date"])
