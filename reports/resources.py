"""A django-import-export resource with the personal export's columns.

The admin's export button uses it for its form (format choice); the file itself is written
by reports.personal, which streams. Exporting through ``resource.export()`` (django-import-
export's default path, which builds the whole dataset in memory) is what bench/reports.py
measures the streamed export against.
"""

from __future__ import annotations

from typing import Any

from import_export import fields, resources

from reports.columns import NO_CARE, PERSONAL_EXPORT_COLUMNS, Care, care_of, yes_no
from reports.models import PersonalExport


class PersonalExportResource(resources.ModelResource):
    registration_number = fields.Field(attribute="number", column_name="registration_number")
    registered_on = fields.Field(attribute="registered_on", column_name="registered_on")
    reporter_type = fields.Field(attribute="reporter_type", column_name="reporter_type")
    region = fields.Field(attribute="region__code", column_name="region")
    given_names = fields.Field(attribute="person__given_names", column_name="given_names")
    family_name = fields.Field(attribute="person__family_name", column_name="family_name")
    date_of_birth = fields.Field(attribute="person__date_of_birth", column_name="date_of_birth")
    age_at_registration = fields.Field(
        attribute="age_at_registration", column_name="age_at_registration"
    )
    gender = fields.Field(attribute="person__gender", column_name="gender")
    nationality = fields.Field(column_name="nationality")
    exploitation_forms = fields.Field(column_name="exploitation_forms")
    sector = fields.Field(attribute="sector", column_name="sector")
    exploitation_country = fields.Field(column_name="exploitation_country")
    file_type = fields.Field(attribute="file_type", column_name="file_type")
    id_document_number = fields.Field(
        attribute="person__id_document_number", column_name="id_document_number"
    )
    consent_registration = fields.Field(column_name="consent_registration")
    consent_care = fields.Field(column_name="consent_care")
    residence_status = fields.Field(attribute="residence_status", column_name="residence_status")
    # The care columns (issue 14), from the case the registration opened.
    police_report = fields.Field(column_name="police_report")
    b8_permit = fields.Field(column_name="b8_permit")
    referred_to = fields.Field(column_name="referred_to")
    shelter_placed = fields.Field(column_name="shelter_placed")

    class Meta:
        model = PersonalExport
        fields = tuple(PERSONAL_EXPORT_COLUMNS)
        export_order = tuple(PERSONAL_EXPORT_COLUMNS)

    def dehydrate_nationality(self, obj: Any) -> str:
        return str(obj.person.nationality or "")

    def dehydrate_exploitation_country(self, obj: Any) -> str:
        return str(obj.exploitation_country or "")

    def dehydrate_exploitation_forms(self, obj: Any) -> str:
        return ";".join(sorted(form.code for form in obj.exploitation_forms.all()))

    def dehydrate_consent_registration(self, obj: Any) -> str:
        return yes_no(obj.consent_registration)

    def dehydrate_consent_care(self, obj: Any) -> str:
        return yes_no(obj.consent_care)

    def _care(self, obj: Any) -> Care:
        # One query per registration for its four columns (this path is the baseline of
        # bench/reports.py; the file itself is written by reports.columns, by chunks).
        cached = getattr(self, "_care_cache", None)
        if cached is None or cached[0] != obj.pk:
            cached = self._care_cache = (obj.pk, care_of([obj.pk]).get(obj.pk, NO_CARE))
        return cached[1]

    def dehydrate_police_report(self, obj: Any) -> str:
        return self._care(obj).police_report

    def dehydrate_b8_permit(self, obj: Any) -> str:
        return self._care(obj).b8_permit

    def dehydrate_referred_to(self, obj: Any) -> str:
        return ";".join(self._care(obj).referred_to)

    def dehydrate_shelter_placed(self, obj: Any) -> str:
        return self._care(obj).shelter_placed
