"""The statistics page's choices (the period and the two dimensions to cross), and the request
for a personal-export grant."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.core.validators import MaxLengthValidator
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from registry.choices import Role
from registry.models import User
from reports.aggregates import Period
from reports.dimensions import AGE_SCHEMES, DIMENSIONS
from reports.models import ExportGrant, GrantRefused
from reports.periods import (
    FREE_DATES_REFUSED,
    NOT_ENDED,
    RUN_NOT_WHOLE_YEARS,
    PublishedPeriod,
    default_period,
    part_choices,
    until_choices,
    year_choices,
)

DEFAULT_CROSS = ("gender", "age_monitor")


def _dimension_choices() -> list[tuple[str, Any]]:
    return [(key, dim.label) for key, dim in DIMENSIONS.items()]


class StatisticsForm(forms.Form):
    """The period is a calendar year, half-year or quarter that has ended (reports.periods);
    free ``start``/``end`` dates are taken only with ``free_dates`` (an administrator's exact,
    not-for-publication view) and refused everywhere else."""

    year = forms.TypedChoiceField(label=_("Year"), coerce=int, choices=year_choices)
    part = forms.ChoiceField(label=_("Part of the year"), choices=part_choices, required=False)
    until = forms.TypedChoiceField(
        label=_("Through year (a run of years)"),
        coerce=int,
        empty_value=None,
        choices=until_choices,
        required=False,
        help_text=_("For a run of whole years, as the monitor's 2015-2019 tables."),
    )
    start = forms.DateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("First registration date; empty for no limit."),
    )
    end = forms.DateField(
        label=_("Until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Last registration date; empty for no limit."),
    )
    rows = forms.ChoiceField(
        label=_("Cross: rows"), choices=_dimension_choices, initial=DEFAULT_CROSS[0]
    )
    cols = forms.ChoiceField(
        label=_("Cross: columns"), choices=_dimension_choices, initial=DEFAULT_CROSS[1]
    )
    age_bands = forms.ChoiceField(
        label=_("Age bands of the anonymised dataset"),
        choices=[("monitor", _("Dutch monitor")), ("ctdc", _("CTDC"))],
        initial="monitor",
        required=False,
    )

    def __init__(self, *args: Any, free_dates: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.free_dates = free_dates

    @property
    def uses_free_dates(self) -> bool:
        return bool(self.data.get("start") or self.data.get("end"))

    def clean(self) -> dict[str, Any]:
        if self.uses_free_dates and not self.free_dates:
            raise forms.ValidationError(FREE_DATES_REFUSED, code="free_dates")
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            raise forms.ValidationError(_("The start of the period must not be after its end."))
        until = data.get("until")
        year = data.get("year")
        is_run = year is not None and until is not None and not self.uses_free_dates
        if is_run and (data.get("part") or until <= year):
            raise forms.ValidationError(RUN_NOT_WHOLE_YEARS, code="run")
        if data.get("year") is not None and not self.uses_free_dates:
            published = PublishedPeriod(data["year"], data.get("part") or "", until)
            if not self.free_dates and not published.has_ended():
                raise forms.ValidationError(
                    NOT_ENDED, code="not_ended", params={"period": str(published)}
                )
            data["published"] = published
        if data.get("rows") and data.get("rows") == data.get("cols"):
            self.add_error("cols", _("Choose two different dimensions to cross."))
        if data.get("age_bands") not in AGE_SCHEMES:
            data["age_bands"] = "monitor"
        return data

    @property
    def period(self) -> Period:
        if self.uses_free_dates:
            return Period(self.cleaned_data.get("start"), self.cleaned_data.get("end"))
        return self.cleaned_data["published"].period

    @property
    def period_label(self) -> str:
        if self.uses_free_dates:
            return ""
        return str(self.cleaned_data["published"])

    @property
    def cross(self) -> tuple[str, str]:
        return (self.cleaned_data["rows"], self.cleaned_data["cols"])

    def query(self) -> dict[str, str]:
        """The chosen values as query parameters for the download links."""

        def iso(day: datetime.date | None) -> str:
            return day.isoformat() if day else ""

        if self.uses_free_dates:
            chosen = {
                "start": iso(self.cleaned_data.get("start")),
                "end": iso(self.cleaned_data.get("end")),
            }
        else:
            published = self.cleaned_data["published"]
            chosen = {"year": str(published.year), "part": published.part}
            if published.last_year is not None:
                chosen["until"] = str(published.last_year)
        return {
            **chosen,
            "rows": self.cleaned_data["rows"],
            "cols": self.cleaned_data["cols"],
            "age_bands": self.cleaned_data.get("age_bands") or "monitor",
        }


def bound_form(data: Any, *, free_dates: bool = False) -> StatisticsForm:
    """The form bound to the query string, with the defaults filled in where missing (the
    last calendar year that has ended). ``free_dates`` only for an administrator's exact view."""
    values = {
        "year": str(default_period().year),
        "rows": DEFAULT_CROSS[0],
        "cols": DEFAULT_CROSS[1],
        "age_bands": "monitor",
    }
    values.update({key: value for key, value in data.items() if value != ""})
    return StatisticsForm(values, free_dates=free_dates)


class ExportGrantRequestForm(forms.ModelForm):
    """One administrator asks for a personal-export grant for an administrator (themself too).

    Only the grantee and the reason come from the post; who asks, when, and the status are set
    by :meth:`reports.models.ExportGrant.submit`, so a forged field changes nothing.
    ``requester`` is set on the form class by the admin for each request.
    """

    requester: Any = None

    class Meta:
        model = ExportGrant
        fields = ["grantee", "reason"]
        widgets = {"reason": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "grantee" not in self.fields:
            return  # the read-only page of an existing grant: nothing to fill in
        self.fields["grantee"].queryset = (
            User.objects.filter(is_active=True)
            .filter(Q(role=Role.ADMINISTRATOR) | Q(is_superuser=True))
            .order_by("username")
        )
        reason = self.fields["reason"]
        reason.required = True
        reason.max_length = 1000
        reason.validators.append(MaxLengthValidator(1000))
        reason.widget.attrs["maxlength"] = 1000

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        grantee, reason = data.get("grantee"), data.get("reason")
        if grantee is not None and reason:
            try:
                ExportGrant.check_request(grantee, self.requester, reason)
            except GrantRefused as refused:
                raise forms.ValidationError(refused.message) from None
        return data
