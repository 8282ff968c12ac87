"""Forms of the coordinators' and help desk's workspace."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from registry.choices import AuditAction, CaseStatus
from registry.models import Case, Region, User
from registry.models.cases import Flag, allowed_statuses

# The orders a case list offers: the key in the URL, the columns, the label. "urgent" is
# CaseQuerySet.urgent_first's: immediate danger, a deadline passed, near, then newest first.
SORTS = {
    "urgent": (("urgency", "-opened_on"), _("Urgent first")),
    "-opened": (("-opened_on",), _("Opened (newest first)")),
    "opened": (("opened_on",), _("Opened (oldest first)")),
    "reflection": (("reflection_end",), _("Reflection period ends (soonest first)")),
    "-reflection": (("-reflection_end",), _("Reflection period ends (latest first)")),
    "age": (("-person__year_of_birth",), _("Age (youngest first)")),
    "-age": (("person__year_of_birth",), _("Age (oldest first)")),
    "gender": (("person__gender",), _("Gender")),
    "nationality": (("person__nationality",), _("Nationality")),
    "owner": (("coordinator__username",), _("Coordinator")),
    "status": (("status",), _("Status")),
    "region": (("region__name",), _("Region")),
    "-updated": (("-updated_at",), _("Last changed")),
}
DEFAULT_SORT = "urgent"


class CaseFilterForm(forms.Form):
    """Filters, search and sorting of the case list. Everything is optional.

    The form is posted; the view redirects to the list with the filters and the search as
    ``registry.search`` carries it (a registration number or a blind index), so ``q`` is read
    from a POST only and never from a URL.
    """

    # The filters the list's URL carries (``q`` never is one of them).
    FILTERS = (
        "status",
        "assigned",
        "urgent",
        "ended",
        "overdue",
        "reflection",
        "minor",
        "sort",
    )
    # The flag each checkbox filters by (CaseQuerySet.flagged): the same rule as the flag on
    # the rows, the counter on the dashboard and the reminders.
    FLAG_FILTERS = {
        "urgent": Flag.IMMEDIATE_DANGER,
        "ended": Flag.REFLECTION_ENDED,
        "overdue": Flag.UNASSIGNED,
        "reflection": Flag.REFLECTION_ENDING,
        "minor": Flag.MINOR,
    }

    ASSIGNED_CHOICES = [
        ("", _("all")),
        ("mine", _("assigned to me")),
        ("unassigned", _("unassigned")),
    ]

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        help_text=_("A registration number (2026-000123) or an exact family name."),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("open cases")), ("all", _("all")), *CaseStatus.choices],
    )
    assigned = forms.ChoiceField(label=_("Coordinator"), required=False, choices=ASSIGNED_CHOICES)
    urgent = forms.BooleanField(label=_("Immediate danger"), required=False)
    ended = forms.BooleanField(label=_("Reflection period ended"), required=False)
    overdue = forms.BooleanField(
        label=_("New and unassigned for more than two working days"), required=False
    )
    reflection = forms.BooleanField(
        label=_("Reflection period ends within 14 days"), required=False
    )
    minor = forms.BooleanField(label=_("Minor, no referral recorded"), required=False)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[(key, label) for key, (_field, label) in SORTS.items()],
    )

    def filter_params(self) -> list[tuple[str, str]]:
        """The valid, non-default filters as query-string pairs (never the search term)."""
        self.is_valid()  # an invalid filter is left out of cleaned_data, so out of the URL
        data = self.cleaned_data
        pairs = []
        for name in self.FILTERS:
            value = data.get(name)
            if value is True:
                pairs.append((name, "on"))
            elif value:
                pairs.append((name, str(value)))
        return pairs


class CaseForm(forms.ModelForm):
    """Editing a case in the workspace; the admin's case form is this one with its opening date.

    The rules are the model's (``Case.clean``: workflow, coordinator of the region, who
    decided, Dublin start); this form only offers what those rules allow: the statuses that
    may follow the current one, and the active coordinators of the case's region.
    """

    class Meta:
        model = Case
        fields = [
            "coordinator",
            "status",
            "closed_reason",
            "victim_status",
            "victim_status_decided_by",
            "reflection_start",
            "is_dublin",
            "residence_status",
            "shelter_requested",
            "shelter_placed",
            "care_received",
            "care_location",
            "notes",
        ]
        widgets = {
            "reflection_start": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "notes": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.previous_status = self.instance.previous_status
        self.fields["coordinator"].queryset = User.objects.coordinators_of(self.instance.region)
        self.fields["coordinator"].empty_label = _("— help desk / unassigned —")
        self.fields["status"].choices = [
            (code, CaseStatus(code).label) for code in allowed_statuses(self.previous_status)
        ]
        self.fields["notes"].help_text = _("Encrypted. Only people who may see this case read it.")


class HandoverRequestForm(forms.Form):
    to_region = forms.ModelChoiceField(
        label=_("Hand over to region"), queryset=Region.objects.none(), empty_label=None
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Why the case moves. No names or other personal data."),
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_region"].queryset = Region.objects.active().exclude(pk=case.region_id)


class HandoverDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("accept", _("Accept")), ("reject", _("Reject"))], widget=forms.HiddenInput
    )
    note = forms.CharField(
        label=_("Note"),
        max_length=300,
        required=False,
        help_text=_("For the sending region. No personal data."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("decision") == "reject" and not data.get("note"):
            self.add_error("note", _("Say why the handover is rejected."))
        return data


class AuditFilterForm(forms.Form):
    case = forms.UUIDField(label=_("Case id"), required=False)
    user = forms.ModelChoiceField(
        label=_("User"), queryset=User.objects.order_by("username"), required=False
    )
    action = forms.ChoiceField(
        label=_("Action"), required=False, choices=[("", _("all")), *AuditAction.choices]
    )
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", _("The end date is before the start date."))
        return data
