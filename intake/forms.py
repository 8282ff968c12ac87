"""The intake forms: staff registration in steps, the reporter's submission, triage actions.

The forms validate with the registry's rules of a registration record (registry.registering,
the same validator the CSV import uses) and say what those rules will do; intake.services
saves. Every field has plain-language help text, since the people typing are often in a hurry.
"""

from __future__ import annotations

import datetime
from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Div, Fieldset, Layout
from django import forms
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from registry import municipalities, registering
from registry.choices import (
    LEGAL_DUTY_REPORTERS,
    CareConsent,
    ConsentSigner,
    FileType,
    ReporterType,
    ResidenceStatus,
    Scope,
    Sector,
    Shelter,
)
from registry.forms import PersonFields
from registry.models import (
    FormOfExploitation,
    MeansOfControl,
    Municipality,
    Region,
    ReportingOrganisation,
)
from registry.widgets import (
    CountryChoiceField,
    InlineOptionsSelect,
    ListChoiceField,
    ListMultipleChoiceField,
    PickedDateField,
    date_widget,
)

# Personal fields of the form, in the order of Person.PERSONAL_FIELDS where they overlap.
PERSONAL_FORM_FIELDS = (
    "given_names",
    "family_name",
    "aliases",
    "date_of_birth",
    "languages",
    "phone",
    "email",
    "address",
    "id_document_country",
    "id_document_number",
)


def _today() -> datetime.date:
    return timezone.localdate()


def _blank(choices: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    return [("", "---------"), *choices]


def _legal_duty_codes() -> str:
    return " ".join(sorted(LEGAL_DUTY_REPORTERS))


def _alert(css: str, text: Any, element_id: str, hidden: bool = False) -> HTML:
    # Rendered server-side; intake.js only toggles visibility as the user types.
    hide = " d-none" if hidden else ""
    return HTML(
        f'<div id="{element_id}" class="alert {css}{hide}" role="note">{{% load i18n %}}'
        f"{text}</div>"
    )


def _row(*names: str) -> Div:
    # Fields side by side in one Bootstrap row, in columns of equal width.
    width = 12 // len(names)
    return Div(*(Div(name, css_class=f"col-md-{width}") for name in names), css_class="row")


# Shared field objects are safe: every form instance deep-copies its fields.
PERSON_FIELDS = PersonFields.base_fields


class RegistrationForm(forms.Form):
    """Every field a registration and its person can carry; subclasses pick what they show."""

    # Urgency
    immediate_danger = forms.BooleanField(
        label=_("Is the person in immediate danger?"),
        required=False,
        help_text=_("Tick when the person is not safe right now. Call 112 first."),
    )

    # Reporter
    registered_on = PickedDateField(
        label=_("Date of registration"),
        initial=_today,
        widget=date_widget(),
        help_text=_("The day the report came in. Not in the future."),
    )
    reporter_type = ListChoiceField(
        label=_("Who reported the person?"),
        choices=_blank(ReporterType.choices),
        help_text=_(
            "Police, Royal Marechaussee and the Labour Authority report under a legal duty; "
            "every other reporter needs the person's written consent for personal data."
        ),
    )
    organisation = forms.ModelChoiceField(
        label=_("Reporting organisation"),
        queryset=ReportingOrganisation.objects.filter(is_active=True),
        widget=InlineOptionsSelect,
        required=False,
        help_text=_("The organisation the reporter works for, if it is in the list."),
    )
    region = forms.ModelChoiceField(
        label=_("Region"),
        queryset=Region.objects.active(),
        widget=InlineOptionsSelect,
        help_text=_("The care-coordination region where the person is or will stay."),
    )

    # Person: the fields the workspace's person form asks too (registry.forms.PersonFields)
    given_names = PERSON_FIELDS["given_names"]
    family_name = PERSON_FIELDS["family_name"]
    aliases = PERSON_FIELDS["aliases"]
    date_of_birth = PERSON_FIELDS["date_of_birth"]
    estimated_age = PERSON_FIELDS["estimated_age"]
    believed_minor = forms.BooleanField(
        label=_("Probably under 18"),
        required=False,
        help_text=_("Only when neither the date of birth nor an age is known."),
    )
    gender = PERSON_FIELDS["gender"]
    nationality = PERSON_FIELDS["nationality"]
    country_of_birth = PERSON_FIELDS["country_of_birth"]
    languages = PERSON_FIELDS["languages"]
    phone = PERSON_FIELDS["phone"]
    email = PERSON_FIELDS["email"]
    address = PERSON_FIELDS["address"]
    id_document_country = PERSON_FIELDS["id_document_country"]
    id_document_number = PERSON_FIELDS["id_document_number"]

    # Exploitation
    exploitation_forms = ListMultipleChoiceField(
        label=_("Forms of exploitation"),
        choices=FormOfExploitation.Code.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick every form that applies."),
    )
    sector = ListChoiceField(
        label=_("Sector"),
        choices=_blank(Sector.choices),
        required=False,
        help_text=_("Where the exploitation took place; it must fit the forms ticked above."),
    )
    exploitation_country = CountryChoiceField(
        label=_("Country of exploitation"),
        required=False,
        help_text=_("Where the exploitation took place."),
    )
    # A choice from the CBS list, never free text (people wrote addresses here).
    exploitation_municipality = forms.ModelChoiceField(
        label=_("Municipality of exploitation"),
        queryset=Municipality.objects.active(),
        widget=InlineOptionsSelect,
        required=False,
        error_messages={"invalid_choice": municipalities.UNKNOWN_MUNICIPALITY},
        help_text=_(
            "Only for exploitation in the Netherlands (or where the country is unknown): "
            "the municipality where it took place."
        ),
    )
    exploitation_start = PickedDateField(
        label=_("Exploitation began"),
        required=False,
        widget=date_widget(),
        help_text=_("An approximate date is fine."),
    )
    exploitation_end = PickedDateField(
        label=_("Exploitation ended"),
        required=False,
        widget=date_widget(),
        help_text=_("Leave empty when it is still going on."),
    )
    scope = ListChoiceField(
        label=_("Domestic or cross-border"),
        choices=Scope.choices,
        initial=Scope.UNKNOWN,
        help_text=_("Cross-border when the person was brought across a border."),
    )
    means_of_control = ListMultipleChoiceField(
        label=_("Means of control"),
        choices=MeansOfControl.Code.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("How the person was controlled; tick every one that applies."),
    )

    # Minors and residence
    unaccompanied_minor = forms.BooleanField(
        label=_("Unaccompanied minor"),
        required=False,
        help_text=_("A person under 18 without a parent or guardian in the Netherlands."),
    )
    residence_status = ListChoiceField(
        label=_("Residence status"),
        choices=ResidenceStatus.choices,
        initial=ResidenceStatus.UNKNOWN,
        help_text=_("Decides, with age, whether Nidos must be involved."),
    )
    reflection_started_on = PickedDateField(
        label=_("Reflection period started on"),
        required=False,
        widget=date_widget(),
        help_text=_(
            "Only with residence status 'reflection period': the day the period began, if "
            "before the registration date (at most a year before, never in the future). "
            "Empty: the period starts on the registration date."
        ),
    )

    # File and consent
    file_type = ListChoiceField(
        label=_("Type of file"),
        choices=FileType.choices,
        initial=FileType.REGISTRATION,
        help_text=_("Registration only, or also shelter, or also information and advice."),
    )
    shelter_requested = ListChoiceField(
        label=_("Shelter requested"),
        choices=_blank(Shelter.choices),
        required=False,
        help_text=_("COSM places are arranged through the registry's help desk."),
    )
    consent_registration = forms.BooleanField(
        label=_("Written consent to registration"),
        required=False,
        help_text=_(
            "Needed for personal data unless the reporter has a legal duty to report. "
            "Without it the registration is anonymous."
        ),
    )
    consent_signed_by = ListChoiceField(
        label=_("Consent signed by"),
        choices=ConsentSigner.choices,
        required=False,
        help_text=_("From 16 the person signs; under 16 a parent or guardian signs."),
    )
    consent_care = forms.BooleanField(
        label=_("Consent to care coordination"),
        required=False,
        help_text=_(
            "The person agrees that a care coordinator contacts them. Without it the "
            "registration is counted, but no case is opened and nobody is notified."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.outcome: registering.Outcome | None = None

    @cached_property
    def helper(self) -> FormHelper:
        # Built when the form is rendered: a save that passes validation never needs it.
        helper = FormHelper()
        helper.form_tag = False
        helper.disable_csrf = True
        helper.layout = self.build_layout()
        return helper

    def build_layout(self) -> Layout:
        raise NotImplementedError

    # Reporter type is fixed by the account for reporters; subclasses override.
    def reporter_type_value(self, cleaned: dict[str, Any]) -> str:
        return cleaned.get("reporter_type") or ""

    def registered_on_value(self, cleaned: dict[str, Any]) -> datetime.date:
        return cleaned.get("registered_on") or _today()

    def clean(self) -> dict[str, Any]:
        """The registry's rules of a registration record (registering.check), on the values
        as this form knows them; the outcome is kept for the check page and the save."""
        cleaned = super().clean()
        values = {
            **cleaned,
            "registered_on": self.registered_on_value(cleaned),
            "reporter_type": self.reporter_type_value(cleaned),
        }
        checked = registering.check(values, today=_today())
        for field, message in checked.errors.items():
            self.add_error(field if field in self.fields else None, message)
        self.outcome = None if self.errors else checked.outcome
        return cleaned

    # Shared pieces of the layouts -------------------------------------------------------------

    @staticmethod
    def emergency_fieldset(step: str) -> Fieldset:
        return Fieldset(
            step,
            "immediate_danger",
        )

    @staticmethod
    def anonymity_notice(hidden: bool = True) -> HTML:
        return _alert(
            "alert-warning",
            # Translated here, not with a template translate tag in the string: makemessages reads
            # Python for _() only, so a template tag in a Python string never reaches the
            # catalogue and Dutch forms showed this warning in English (issue 15).
            format_html(
                "<strong>{}</strong> {}",
                _("Anonymous registration"),
                _(
                    "Without a legal duty to report and without written consent, the "
                    "registration is anonymous: only the statistical fields are kept and no "
                    "personal field (names, date of birth, contact details, document) is stored."
                ),
            ),
            "anonymity-notice",
            hidden=hidden,
        )


class StaffRegistrationForm(RegistrationForm):
    """The staff intake form (coordinator, help desk, administrator), in five steps and the
    check page."""

    # The check page is the sixth step the step list shows ("6. Check and save"): counted, so
    # "Step 1 of 6" agrees with it.
    STEPS = 6

    def build_layout(self) -> Layout:
        def step(number: int, title: Any) -> str:
            return _("Step %(n)s of %(total)s: %(title)s") % {
                "n": number,
                "total": self.STEPS,
                "title": title,
            }

        return Layout(
            Fieldset(
                step(1, _("Urgency and reporter")),
                "immediate_danger",
                _row("registered_on", "reporter_type", "organisation"),
                "region",
                css_class="intake-step",
                data_step="1",
            ),
            Fieldset(
                step(2, _("The person")),
                _row("given_names", "family_name"),
                "aliases",
                _row("date_of_birth", "estimated_age", "believed_minor"),
                _row("gender", "nationality", "country_of_birth"),
                _row("languages", "phone", "email"),
                "address",
                _row("id_document_country", "id_document_number"),
                css_class="intake-step",
                data_step="2",
            ),
            Fieldset(
                step(3, _("The exploitation")),
                "exploitation_forms",
                _row("sector", "scope"),
                _row("exploitation_country", "exploitation_municipality"),
                _row("exploitation_start", "exploitation_end"),
                "means_of_control",
                css_class="intake-step",
                data_step="3",
            ),
            Fieldset(
                step(4, _("Minors and residence")),
                HTML(
                    format_html(
                        '<p class="text-muted">{}</p>',
                        _(
                            "A person under 18 is flagged as a minor from the date of birth or "
                            "the age. An unaccompanied minor without lawful residence is "
                            "referred to Nidos, who arranges guardianship and protected shelter."
                        ),
                    )
                ),
                "unaccompanied_minor",
                _row("residence_status", "reflection_started_on"),
                css_class="intake-step",
                data_step="4",
            ),
            Fieldset(
                step(5, _("Type of file and consent")),
                _row("file_type", "shelter_requested"),
                "consent_registration",
                "consent_signed_by",
                "consent_care",
                self.anonymity_notice(hidden=True),
                css_class="intake-step",
                data_step="5",
            ),
        )


class ReporterSubmissionForm(RegistrationForm):
    """What a reporter knows. Reporter type and organisation come from their account."""

    STAFF_ONLY = (
        "registered_on",
        "reporter_type",
        "organisation",
        "aliases",
        "country_of_birth",
        "address",
        "id_document_country",
        "id_document_number",
        "exploitation_start",
        "exploitation_end",
        "means_of_control",
        "shelter_requested",
    )

    def __init__(self, *args: Any, reporter_type: str, **kwargs: Any) -> None:
        self.fixed_reporter_type = reporter_type
        super().__init__(*args, **kwargs)
        for name in self.STAFF_ONLY:
            del self.fields[name]

    def reporter_type_value(self, cleaned: dict[str, Any]) -> str:
        return self.fixed_reporter_type

    def build_layout(self) -> Layout:
        return Layout(
            Fieldset(_("Urgency"), "immediate_danger", "region"),
            Fieldset(
                _("The person"),
                _row("given_names", "family_name"),
                _row("date_of_birth", "estimated_age", "believed_minor"),
                _row("gender", "nationality", "languages"),
                _row("phone", "email"),
            ),
            Fieldset(
                _("The exploitation"),
                "exploitation_forms",
                _row("sector", "scope", "exploitation_country"),
                "exploitation_municipality",
            ),
            Fieldset(
                _("Minors and residence"),
                "unaccompanied_minor",
                _row("residence_status", "reflection_started_on"),
            ),
            Fieldset(
                _("Type of file and consent"),
                "file_type",
                "consent_registration",
                "consent_signed_by",
                "consent_care",
                self.anonymity_notice(hidden=not self._anonymous_by_default()),
            ),
        )

    def _anonymous_by_default(self) -> bool:
        return registering.is_anonymous(self.fixed_reporter_type, False)


class TriageForm(forms.Form):
    """The help desk's decision on one submission."""

    class Action:
        ACCEPT = "accept"
        MERGE = "merge"
        REJECT = "reject"

    action = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (Action.ACCEPT, _("Accept as a new person")),
            (Action.MERGE, _("Merge with a possible match")),
            (Action.REJECT, _("Reject")),
        ],
        widget=forms.RadioSelect,
        help_text=_(
            "Accepting or merging opens a case and routes it to a coordinator when the "
            "person consented to care; without that consent the registration is only counted."
        ),
    )
    merge_with = forms.ChoiceField(
        label=_("Merge with"),
        required=False,
        widget=forms.RadioSelect,
        help_text=_("Only the possible matches shown above can be chosen."),
    )
    reason = forms.CharField(
        label=_("Reason for rejecting"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when rejecting; the reporter does not see it."),
    )

    def __init__(self, *args: Any, match_choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if match_choices:
            self.fields["merge_with"].choices = match_choices
        else:
            # Nothing to merge with: do not offer it.
            del self.fields["merge_with"]
            self.fields["action"].choices = [
                c for c in self.fields["action"].choices if c[0] != self.Action.MERGE
            ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        action = cleaned.get("action")
        if action == self.Action.MERGE and not cleaned.get("merge_with"):
            self.add_error("merge_with", _("Choose the person to merge with."))
        if action == self.Action.REJECT and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", _("Give a reason for rejecting."))
        return cleaned


class CareConsentForm(forms.Form):
    """Consent to care recorded after a registration was saved: given or withdrawn."""

    consent = forms.ChoiceField(
        label=_("Consent to care"),
        choices=CareConsent.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "Given: a case opens and is routed to the region's coordinator, who gets an e-mail. "
            "Withdrawn: the person's open cases close and their personal data is hidden from "
            "the coordinator (kept for the retention period, then erased)."
        ),
    )


def legal_duty_codes() -> str:
    """Space-separated reporter types with a legal duty, for intake.js's live notice."""
    return _legal_duty_codes()
