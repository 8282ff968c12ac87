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
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
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
    Registration,
    ReportingOrganisation,
)
from registry.models.notes import MAX_NOTE_LENGTH
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

    def error_links(self, step: int | None = None) -> list[dict[str, str]]:
        """The error summary's entries (templates/intake/_error_summary.html): the element to
        focus, the field's label and the message (the label first: "This field is required"
        alone says not which); of ``step`` only, on a form in steps."""
        links = []
        for name, errors in self.errors.items():
            if not self.in_summary(name, step):
                continue
            label = str(self[name].label) if name in self.fields else ""
            for message in errors:
                links.append({"anchor": self.anchor(name), "label": label, "message": message})
        return links

    def in_summary(self, name: str, step: int | None) -> bool:
        return True

    def anchor(self, name: str | None) -> str:
        """The id of the element a link to field ``name`` focuses: its input, or the first
        box of a list of boxes; the error summary itself for an error of no field."""
        if not name or name not in self.fields:
            return "error-summary"
        bound = self[name]
        widget = bound.field.widget
        if isinstance(widget, forms.widgets.ChoiceWidget) and widget.input_type in (
            "checkbox",
            "radio",
        ):
            return f"{bound.auto_id}_0"
        return bound.auto_id

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


class _HiddenStep:
    """A step not shown: its fields' inputs only (no label, help or error: nobody sees them),
    in a hidden fieldset, so what was typed on it travels with the form. Crispy's templates
    for every field of the four steps not shown cost more than the rest of a step's POST
    (bench/intake.py --form-only); Django's widgets alone, a third of it."""

    def __init__(self, number: int, names: list[str]) -> None:
        self.number = number
        self.names = names

    def render(self, form: forms.Form, context: Any, **kwargs: Any) -> str:
        # The widgets' own escaped HTML; never through a template (a typed value is no
        # template code).
        inputs = mark_safe("".join(_inputs(form[name]) for name in self.names))  # noqa: S308
        return format_html(
            '<fieldset class="intake-step" data-step="{}" hidden>{}</fieldset>',
            self.number,
            inputs,
        )


def _inputs(bound: forms.BoundField) -> str:
    """The inputs of a field, as its widget renders them; a list of boxes written here (the
    same names, values, ids and ticks: Django renders each box through two templates)."""
    widget = bound.field.widget
    if not isinstance(widget, forms.CheckboxSelectMultiple):
        return str(bound)
    ticked = {str(v) for v in (bound.value() or [])}
    return "".join(
        format_html(
            '<input type="checkbox" name="{}" value="{}" id="{}_{}"{}>',
            bound.html_name,
            value,
            bound.auto_id,
            index,
            mark_safe(" checked") if str(value) in ticked else "",  # noqa: S308
        )
        for index, (value, _label) in enumerate(bound.field.choices)
    )


class StaffRegistrationForm(RegistrationForm):
    """The staff intake form (coordinator, help desk, administrator), in five steps and the
    check page.

    The server shows one step at a time (docs/intake.md, "The staff form"): every step is in
    the page, the ones not shown carry the ``hidden`` attribute, so what was typed on them is
    sent with every step. ``show_step`` says which one to show before rendering.
    """

    STEP_TITLES = (
        _("Urgency and reporter"),
        _("The person"),
        _("The exploitation"),
        _("Minors and residence"),
        _("Type of file and consent"),
    )
    CHECK_TITLE = _("Check and save")
    # The check page is the sixth step of the step list: counted, so "Step 1 of 6" on the
    # first step agrees with the six steps listed, and the check page is "Step 6 of 6".
    CHECK_STEP = len(STEP_TITLES) + 1
    STEPS = CHECK_STEP

    # Issue 16: asked of staff only (a reporter's submission opens no case); kept on the case
    # the registration opens or joins (Case.sub3), counted by the victim monitor.
    sub3 = forms.BooleanField(
        label=_("Sub 3 case (Art. 273f(1)(3) Sr)"),
        required=False,
        help_text=_(
            "Recruiting, taking along or abducting the person to bring them to make themselves "
            "available for sexual acts for payment in another country; no coercion need be "
            "shown. Recorded on the case, so only with consent to care."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.current_step = 1
        self.focus = ""  # "heading", or a field's name; empty: no focus moved on load

    # The steps ------------------------------------------------------------------------------

    @classmethod
    def step_title(cls, number: int) -> str:
        """ "Step 2 of 6: The person": the heading and the page title of a step."""
        title = cls.CHECK_TITLE if number == cls.CHECK_STEP else cls.STEP_TITLES[number - 1]
        return _("Step %(n)s of %(total)s: %(title)s") % {
            "n": number,
            "total": cls.STEPS,
            "title": title,
        }

    @classmethod
    def step_list(cls) -> list[dict[str, Any]]:
        """The step list's items: number and title, the check page last."""
        titles = [*cls.STEP_TITLES, cls.CHECK_TITLE]
        return [{"number": n, "title": t} for n, t in enumerate(titles, start=1)]

    @staticmethod
    def _step_items(anonymity_hidden: bool = True) -> list[tuple[Any, ...]]:
        """What each step asks, in order: the layout's items of steps 1 to 5."""
        return [
            (
                "immediate_danger",
                _row("registered_on", "reporter_type", "organisation"),
                "region",
            ),
            (
                _row("given_names", "family_name"),
                "aliases",
                _row("date_of_birth", "estimated_age", "believed_minor"),
                _row("gender", "nationality", "country_of_birth"),
                _row("languages", "phone", "email"),
                "address",
                _row("id_document_country", "id_document_number"),
            ),
            (
                "exploitation_forms",
                _row("sector", "scope"),
                _row("exploitation_country", "exploitation_municipality"),
                _row("exploitation_start", "exploitation_end"),
                "means_of_control",
                "sub3",
            ),
            (
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
            ),
            (
                _row("file_type", "shelter_requested"),
                "consent_registration",
                "consent_signed_by",
                "consent_care",
                RegistrationForm.anonymity_notice(hidden=anonymity_hidden),
            ),
        ]

    @classmethod
    def field_steps(cls) -> dict[str, int]:
        """{field name: the step that asks it}, read from the layout (one place says it)."""
        if "_field_steps" not in cls.__dict__:
            cls._field_steps = {
                pointer.name: number
                for number, items in enumerate(cls._step_items(), start=1)
                for pointer in Layout(*items).get_field_names()
            }
        return cls._field_steps

    @classmethod
    def step_of(cls, name: str | None) -> int:
        """The step that asks field ``name``; an error of no field belongs to the check."""
        return cls.field_steps().get(name or "", cls.CHECK_STEP)

    def steps_with_errors(self) -> list[int]:
        """The steps whose fields (or, as the check, the whole form) have errors, in order."""
        return sorted({self.step_of(name) for name in self.errors})

    def forget_errors_from(self, step: int) -> None:
        """Drop the errors of the steps from ``step`` on: not asked for yet (a "Next" checks
        the steps before the one it goes to, by the same validation as the save)."""
        for name in list(self.errors):
            if self.step_of(name) >= step:
                del self.errors[name]

    def in_summary(self, name: str, step: int | None) -> bool:
        """Only the errors of ``step`` (and those of no field) in its summary."""
        return step is None or self.step_of(name) == step or name == forms.forms.NON_FIELD_ERRORS

    def show_step(self, step: int, focus: str = "") -> None:
        """Show ``step`` when rendered, focusing ``focus`` ("heading", "summary", a field)."""
        self.current_step = step
        self.focus = focus
        if focus in self.fields:
            # The instance's own copy of the widget (fields are copied per form).
            self.fields[focus].widget.attrs["autofocus"] = True
        self.__dict__.pop("helper", None)

    def _anonymous_now(self) -> bool:
        """The anonymity notice's state as the form was sent (the page without JavaScript)."""
        if not self.is_bound:
            return False
        reporter = self.data.get("reporter_type") or ""
        consent = self["consent_registration"].value()
        return bool(reporter) and registering.is_anonymous(reporter, bool(consent))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        # Case.clean's rule, said where it is typed: sub 3 is an offence of sexual exploitation.
        forms_chosen = set(cleaned.get("exploitation_forms") or [])
        if cleaned.get("sub3") and forms_chosen and not forms_chosen & {"sexual", "unknown"}:
            self.add_error(
                "sub3",
                _(
                    "A sub 3 case concerns sexual exploitation, and the registration names "
                    "other forms of exploitation only: correct the forms first, or untick."
                ),
            )
        return cleaned

    def build_layout(self) -> Layout:
        fieldsets: list[Any] = []
        for number, items in enumerate(self._step_items(not self._anonymous_now()), start=1):
            shown = number == self.current_step
            if not shown:
                fieldsets.append(
                    _HiddenStep(number, [p.name for p in Layout(*items).get_field_names()])
                )
                continue
            heading = format_html(
                '<h2 class="h5 mb-0" id="step-{}-heading" tabindex="-1"{}>{}</h2>',
                number,
                mark_safe(" autofocus") if shown and self.focus == "heading" else "",  # noqa: S308
                self.step_title(number),
            )
            fieldsets.append(
                Fieldset(
                    heading,
                    *items,
                    css_class="intake-step",
                    data_step=str(number),
                    hidden=not shown,
                )
            )
        return Layout(*fieldsets)


class MunicipalityNameInput(forms.TextInput):
    """A text box with the municipalities as suggestions (an HTML ``datalist``): the
    browser filters the list as the reporter types, with or without JavaScript."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__({"autocomplete": "off", "spellcheck": "false", **(attrs or {})})

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        list_id = f"{(attrs or {}).get('id') or name}-list"
        box = super().render(name, value, {**(attrs or {}), "list": list_id}, renderer)
        options = format_html_join(
            "",
            '<option value="{}">',
            ((n,) for n in municipalities.suggestions(reporter_municipalities())),
        )
        return format_html('{}<datalist id="{}">{}</datalist>', box, list_id, options)

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, Municipality):
            return value.name
        return super().format_value(value)


def reporter_municipalities() -> Any:
    """The municipalities a reporter may name: active, with an active region."""
    return Municipality.objects.active().filter(region__is_active=True).select_related("region")


class MunicipalityNameField(forms.Field):
    """A municipality typed by name (or CBS code), as CBS writes it or by a common other
    name ("Den Haag"); the region comes with it. Anything else is refused, never guessed."""

    widget = MunicipalityNameInput
    default_error_messages = {
        "unknown": _(
            "This is not a Dutch municipality in the list. Type the first letters and choose "
            "one of the suggestions; for a town or village, choose the municipality it "
            "belongs to."
        ),
    }

    def to_python(self, value: Any) -> Municipality | None:
        if isinstance(value, Municipality):
            return value
        text = (value or "").strip()
        if not text:
            return None
        found = municipalities.find(reporter_municipalities(), text)
        if found is None:
            raise forms.ValidationError(self.error_messages["unknown"], code="unknown")
        return found

    def prepare_value(self, value: Any) -> Any:
        return value.name if isinstance(value, Municipality) else value


class ReporterSubmissionForm(RegistrationForm):
    """What a once-a-year reporter (a doctor, a shelter worker) can know. Their reporter type
    and organisation come from their account; the region from the municipality where the
    person was found; what only the help desk can answer (type of file, residence status,
    domestic or cross-border) is recorded as not yet known, for the help desk to complete."""

    STAFF_ONLY = (
        "registered_on",
        "reporter_type",
        "organisation",
        "region",
        "aliases",
        "country_of_birth",
        "address",
        "id_document_country",
        "id_document_number",
        "exploitation_start",
        "exploitation_end",
        "scope",
        "means_of_control",
        "residence_status",
        "reflection_started_on",
        "file_type",
        "shelter_requested",
    )
    # Recorded for what the reporter is not asked; the help desk completes them at triage.
    DEFAULTS = {
        "file_type": FileType.REGISTRATION,
        "residence_status": ResidenceStatus.UNKNOWN,
        "scope": Scope.UNKNOWN,
    }

    found_in_municipality = MunicipalityNameField(
        label=_("Municipality where the person was found"),
        help_text=_(
            "Type the first letters and choose from the list. The registry works out the "
            "care-coordination region from it."
        ),
    )

    def __init__(self, *args: Any, reporter_type: str, **kwargs: Any) -> None:
        self.fixed_reporter_type = reporter_type
        super().__init__(*args, **kwargs)
        for name in self.STAFF_ONLY:
            del self.fields[name]
        # Asked in the order of the form, the municipality first (it decides the routing).
        self.order_fields(["immediate_danger", "found_in_municipality"])

    def reporter_type_value(self, cleaned: dict[str, Any]) -> str:
        return self.fixed_reporter_type

    def clean(self) -> dict[str, Any]:
        municipality = self.cleaned_data.get("found_in_municipality")
        if municipality is not None:
            self.cleaned_data["region"] = municipality.region
        self.cleaned_data.update(self.DEFAULTS)
        return super().clean()

    def build_layout(self) -> Layout:
        return Layout(
            Fieldset(_("Urgency and place"), "immediate_danger", "found_in_municipality"),
            Fieldset(
                _("The person"),
                _row("given_names", "family_name"),
                _row("date_of_birth", "estimated_age", "believed_minor"),
                _row("gender", "nationality", "languages"),
                _row("phone", "email"),
                "unaccompanied_minor",
            ),
            Fieldset(
                _("The exploitation"),
                "exploitation_forms",
                "sector",
                _row("exploitation_country", "exploitation_municipality"),
            ),
            Fieldset(
                _("Consent"),
                "consent_registration",
                "consent_signed_by",
                "consent_care",
                self.anonymity_notice(hidden=not self._anonymous_by_default()),
            ),
        )

    def _anonymous_by_default(self) -> bool:
        return registering.is_anonymous(self.fixed_reporter_type, False)


class AddInformationForm(forms.Form):
    """Information a reporter adds to one of their own reports, named by its reference."""

    number = forms.CharField(
        label=_("Reference number"),
        max_length=20,
        help_text=_("As on your receipt, e.g. 2026-000123."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    text = forms.CharField(
        label=_("Information to add"),
        max_length=MAX_NOTE_LENGTH,
        error_messages={"required": _("Write the information to add.")},
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "What you learnt after sending: facts the help desk should know. It is stored "
            "encrypted; you cannot read it back."
        ),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def clean_number(self) -> str:
        number = self.cleaned_data["number"].strip()
        registration = (
            Registration.objects.for_user(self.user)
            .filter(number=number)
            .only("id", "number", "person_id")
            .first()
        )
        if registration is None:
            # The same answer for another reporter's number as for one that does not exist.
            raise forms.ValidationError(
                _(
                    "None of your reports has this reference number. Check it on your receipt "
                    "or in My reports."
                ),
                code="unknown",
            )
        self.cleaned_data["registration"] = registration
        return number


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
