"""The forms of a case's residence procedures and referrals (issue 14).

The case and the kind of procedure come from the URL, never from the form: a posted ``case``
or ``kind`` is not a field and is ignored. The rules are the models' ``clean()``.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from registry.choices import STATUSES_OF_KIND, ProcedureKind, ReferralOutcome
from registry.models import Referral, ResidenceProcedure
from registry.widgets import PickedDateField, date_widget


def _dates(form: forms.ModelForm, names: tuple[str, ...]) -> None:
    """The browser's date picker on the form's date fields (ISO dates)."""
    for name in names:
        if name in form.fields:
            old = form.fields[name]
            form.fields[name] = PickedDateField(
                label=old.label,
                required=old.required,
                help_text=old.help_text,
                widget=date_widget(),
            )


class ProcedureForm(forms.ModelForm):
    """One procedure of the case: the statuses of its kind, and the dates that apply to it
    (a police report has a date of decision only)."""

    class Meta:
        model = ResidenceProcedure
        fields = ["status", "started_on", "decided_on", "expires_on"]

    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.kind = kind
        self.fields["status"].choices = [
            (status.value, status.label) for status in STATUSES_OF_KIND[kind]
        ]
        if kind == ProcedureKind.POLICE_REPORT:
            del self.fields["started_on"]
            del self.fields["expires_on"]
            self.fields["decided_on"].label = _("Date")
        _dates(self, ("started_on", "decided_on", "expires_on"))


class ReferralForm(forms.ModelForm):
    """A new referral of the case: where to, why, when. Its outcome starts as pending."""

    class Meta:
        model = Referral
        fields = ["referral_type", "reason", "referred_on"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _dates(self, ("referred_on",))


class ReferralOutcomeForm(forms.ModelForm):
    """The outcome of a referral: accepted or refused, on a date."""

    class Meta:
        model = Referral
        fields = ["outcome", "outcome_on"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["outcome"].choices = [
            (outcome.value, outcome.label)
            for outcome in (ReferralOutcome.ACCEPTED, ReferralOutcome.REFUSED)
        ]
        _dates(self, ("outcome_on",))
