"""Forms of the coordinators' and help desk's workspace."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from registry import registering
from registry.choices import AuditAction, CaseStatus, Gender
from registry.models import Case, Person, Region, User
from registry.models.cases import Flag, allowed_statuses
from registry.models.notes import MAX_NOTE_LENGTH
from registry.models.people import PERSONAL_FIELDS
from registry.widgets import CountryChoiceField, ListChoiceField, PickedDateField, date_widget

# The orders a case list offers: the key in the URL, the columns, the label. "urgent" (no
# columns) is CaseQuerySet.urgent_first: immediate danger, a deadline passed, near, then the
# newest first.
SORTS = {
    "urgent": ((), _("Urgent first")),
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
        help_text=_(
            "A name or one of its words (Okonkwo, or Okonkwo 1990 with the year of birth), a "
            "registration number or its start (2026-0001), or a case code (B820FE4B)."
        ),
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
            "sub3",
        ]
        # The former notes box is no longer written here: notes are added to the case's
        # timeline (CaseNote), append-only. Its stored text stays on the case page.
        widgets = {
            "reflection_start": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.previous_status = self.instance.previous_status
        self.fields["coordinator"].queryset = User.objects.coordinators_of(self.instance.region)
        self.fields["coordinator"].empty_label = _("— help desk / unassigned —")
        self.fields["status"].choices = [
            (code, CaseStatus(code).label) for code in allowed_statuses(self.previous_status)
        ]


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
        label=_("User"),
        queryset=User.objects.order_by("username"),
        required=False,
        empty_label=_("all"),
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


class PersonFields(forms.Form):
    """The fields of a person as the ways in ask them: labels, help text, widgets (the country
    selects and the date picker of registry/widgets.py). The intake's registration forms
    (intake/forms.py) declare these very fields, and the workspace's person form inherits them,
    so a person is asked the same way wherever they are written."""

    given_names = forms.CharField(
        label=_("Given names"), max_length=200, required=False, help_text=_("All given names.")
    )
    family_name = forms.CharField(
        label=_("Family name"),
        max_length=200,
        required=False,
        help_text=_("As written in the identity document, if there is one."),
    )
    aliases = forms.CharField(
        label=_("Other names"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Nicknames or other names the person uses, one per line."),
    )
    date_of_birth = PickedDateField(
        label=_("Date of birth"),
        required=False,
        widget=date_widget(),
        help_text=_("Leave empty when unknown and give an estimated age instead."),
    )
    estimated_age = forms.IntegerField(
        label=_("Estimated age"),
        required=False,
        help_text=format_lazy(
            _("In whole years (0 to {max_age}), when the date of birth is unknown."),
            max_age=registering.MAX_AGE,
        ),
    )
    gender = ListChoiceField(
        label=_("Gender"),
        choices=Gender.choices,
        initial=Gender.UNKNOWN,
        help_text=_("As the person describes themself."),
    )
    nationality = CountryChoiceField(
        label=_("Nationality"), required=False, help_text=_("Leave empty when unknown.")
    )
    country_of_birth = CountryChoiceField(
        label=_("Country of birth"), required=False, help_text=_("Leave empty when unknown.")
    )
    languages = forms.CharField(
        label=_("Languages spoken"),
        max_length=200,
        required=False,
        help_text=_("So the coordinator can arrange an interpreter."),
    )
    phone = forms.CharField(
        label=_("Phone"),
        max_length=50,
        required=False,
        help_text=_("A number where the person can be reached safely."),
    )
    email = forms.EmailField(
        label=_("E-mail"), required=False, help_text=_("Only an address that is safe to use.")
    )
    address = forms.CharField(
        label=_("Address"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Where the person stays now, if it is safe to write down."),
    )
    id_document_country = CountryChoiceField(
        label=_("Identity document issued by"),
        required=False,
        help_text=_("The country that issued the passport or identity card."),
    )
    id_document_number = forms.CharField(
        label=_("Identity document number"),
        max_length=100,
        required=False,
        help_text=_("Used to find earlier registrations of the same person."),
    )


class PersonForm(forms.ModelForm, PersonFields):
    """Correcting a person in the workspace: the intake's fields, widgets and help text (the
    country selects and the date picker of registry/widgets.py), the intake's rules of age and
    year of birth (``registering.check``), and the model's (``Person.clean``) on save.

    A person registered anonymously (without consent) keeps no personal data: only the
    statistical fields are offered, and ``Person.save`` clears anything personal.
    """

    STATISTICAL_FIELDS = ("gender", "nationality", "country_of_birth")

    notes = forms.CharField(
        label=_("Notes on the person"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "What stays true of the person (needs, how to make contact safely). What happens "
            "in the case goes in a note on the case."
        ),
    )

    class Meta:
        model = Person
        fields = [*PERSONAL_FIELDS, "gender", "nationality", "country_of_birth"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        person = self.instance
        if person.is_anonymous:
            for name in PERSONAL_FIELDS:
                self.fields.pop(name, None)
        if person.date_of_birth is None and person.year_of_birth is not None:
            self.initial.setdefault("estimated_age", self._today().year - person.year_of_birth)
        # The order of the page: names, birth and age, the statistics, contact, document.
        order = [
            "given_names",
            "family_name",
            "aliases",
            "date_of_birth",
            "estimated_age",
            "gender",
            "nationality",
            "country_of_birth",
            "languages",
            "phone",
            "email",
            "address",
            "id_document_country",
            "id_document_number",
            "notes",
        ]
        self.order_fields(order)

    @staticmethod
    def _today() -> datetime.date:
        return timezone.localdate()

    def clean(self) -> dict[str, Any]:
        """The age rules of a registration record (``registering.check``) on what was typed."""
        cleaned = super().clean()
        values = {
            "date_of_birth": cleaned.get("date_of_birth"),
            "estimated_age": cleaned.get("estimated_age"),
        }
        for field, message in registering.check(values, today=self._today()).errors.items():
            self.add_error(field if field in self.fields else None, message)
        return cleaned

    def save(self, commit: bool = True) -> Person:
        """The person with what was typed; the year of birth follows the date of birth
        (``Person.save``) or, without one, the estimated age when that was changed."""
        person = super().save(commit=False)
        if person.date_of_birth is None and "estimated_age" in self.changed_data:
            person.year_of_birth, person.year_of_birth_estimated = registering.year_of_birth(
                None, self.cleaned_data.get("estimated_age"), on=self._today()
            )
        if commit:
            person.save()
        return person


class CaseNoteForm(forms.Form):
    """A new note on a case: appended to the timeline, never changed afterwards."""

    text = forms.CharField(
        label=_("New note"),
        max_length=MAX_NOTE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Encrypted; read by whoever may see this case. A note cannot be changed or "
            "deleted: to correct one, add a new note."
        ),
    )

    def clean_text(self) -> str:
        text = self.cleaned_data["text"].strip()
        if not text:
            raise forms.ValidationError(_("Write the note first."))
        return text
