"""The statistics page's choices (the period and the two dimensions to cross), the request
for a personal-export grant, and the personal export's page."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.core.validators import MaxLengthValidator
from django.db.models import Q
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from registry.choices import FileType, ReporterType, Role
from registry.models import Region, User
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
from reports.personal import PURPOSE_MAX_LENGTH, PURPOSE_MIN_LENGTH

DEFAULT_CROSS = ("gender", "age_monitor")


def _dimension_choices() -> list[tuple[str, Any]]:
    return [(key, dim.label) for key, dim in DIMENSIONS.items()]


def _date_field(label: str, help_text: str) -> forms.DateField:
    """An optional date typed in the browser's date picker (the period's free dates)."""
    return forms.DateField(
        label=label,
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=help_text,
    )


def _filter_field(label: str, choices: Any) -> forms.ChoiceField:
    """An optional choice of a list that filters an export, "All" (no filter) first."""
    return forms.ChoiceField(
        label=label, required=False, choices=[("", capfirst(_("all"))), *choices]
    )


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
    start = _date_field(_("From"), _("First registration date; empty for no limit."))
    end = _date_field(_("Until"), _("Last registration date; empty for no limit."))
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
    layout = forms.ChoiceField(
        label=_("Layout of the anonymised dataset"),
        choices=[("registry", _("the registry's columns")), ("ctdc", _("CTDC Global Dataset"))],
        initial="registry",
        required=False,
        help_text=_(
            "CTDC: the columns and codes of the Counter Trafficking Data Collaborative's "
            "k-anonymised Global Dataset (CTDC age bands, no region)."
        ),
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
        if not data.get("layout"):
            data["layout"] = "registry"
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
            "layout": self.cleaned_data.get("layout") or "registry",
        }


def bound_form(data: Any, *, free_dates: bool = False) -> StatisticsForm:
    """The form bound to the query string, with the defaults filled in where missing (the
    last calendar year that has ended). ``free_dates`` only for an administrator's exact view."""
    values = {
        "year": str(default_period().year),
        "rows": DEFAULT_CROSS[0],
        "cols": DEFAULT_CROSS[1],
        "age_bands": "monitor",
        "layout": "registry",
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


class PersonalExportForm(forms.Form):
    """The personal export's page (reports/personal_views.py): which registrations, the file's
    format, and the purpose in the administrator's own words, recorded in the audit trail.

    Free dates are allowed here: the file is not published, it identifies people anyway. The
    filters are those of the admin's list it replaces (date, reporter type, region, type of
    file); a region that does not exist is an error on the field, never a partial export.
    """

    start = _date_field(_("Registered from"), _("First registration date; empty for no limit."))
    end = _date_field(_("Registered until"), _("Last registration date; empty for no limit."))
    reporter_type = _filter_field(_("Reporter type"), ReporterType.choices)
    region = forms.ModelChoiceField(
        label=_("Region"),
        required=False,
        queryset=Region.objects.order_by("name"),
        empty_label=None,  # set in __init__, as the other filters' "all"
    )
    file_type = _filter_field(_("Type of file"), FileType.choices)
    file_format = forms.ChoiceField(
        label=_("Format of the file in the archive"),
        choices=[("csv", "CSV"), ("xlsx", _("XLSX (Excel)"))],
        initial="csv",
        widget=forms.RadioSelect,
    )
    purpose = forms.CharField(
        label=_("Purpose"),
        min_length=PURPOSE_MIN_LENGTH,
        max_length=PURPOSE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("Give the purpose of the export: what the file is for and who gets it.")
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].empty_label = capfirst(_("all"))
        # Here, not on the field: the lengths go into the sentence in the reader's language.
        self.fields["purpose"].help_text = _(
            "What the file is for and who will receive it, in your own words (for example: "
            "'Court order 2026/123, handed to the public prosecutor'). Between %(min)d and "
            "%(max)d characters. It is recorded in the audit trail as you write it: do not "
            "write a victim's name or any other personal detail here."
        ) % {"min": PURPOSE_MIN_LENGTH, "max": PURPOSE_MAX_LENGTH}

    def clean_purpose(self) -> str:
        # Whitespace does not count towards the length; the words are kept as written.
        purpose = " ".join(self.cleaned_data["purpose"].split())
        if len(purpose) < PURPOSE_MIN_LENGTH:
            raise forms.ValidationError(
                _("Describe the purpose in at least %(min)d characters."),
                params={"min": PURPOSE_MIN_LENGTH},
                code="min_length",
            )
        return purpose

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            raise forms.ValidationError(_("The start of the period must not be after its end."))
        return data

    @property
    def period(self) -> Period:
        return Period(self.cleaned_data.get("start"), self.cleaned_data.get("end"))

    def filter(self, registrations: Any) -> Any:
        """``registrations`` narrowed to the choices."""
        data = self.cleaned_data
        if data.get("reporter_type"):
            registrations = registrations.filter(reporter_type=data["reporter_type"])
        if data.get("region") is not None:
            registrations = registrations.filter(region=data["region"])
        if data.get("file_type"):
            registrations = registrations.filter(file_type=data["file_type"])
        return registrations

    def audit_filters(self) -> dict[str, Any]:
        """The choices for the audit trail: dates and codes only (the purpose is recorded
        beside them)."""
        data = self.cleaned_data

        def iso(day: datetime.date | None) -> str:
            return day.isoformat() if day else ""

        region = data.get("region")
        return {
            "from": iso(data.get("start")),
            "to": iso(data.get("end")),
            "reporter_type": data.get("reporter_type") or "",
            "region": region.code if region is not None else "",
            "file_type": data.get("file_type") or "",
            "screen": "page",
        }
