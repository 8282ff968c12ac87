"""Rows for the multi-valued controlled lists (fixed codes, not extendable)."""

from django.db import migrations

FORMS = [
    "sexual", "labour", "criminal", "organ_removal", "forced_marriage",
    "illegal_adoption", "surrogacy", "other", "unknown",
]
MEANS = [
    "debt_bondage", "takes_earnings", "restricts_financial_access", "threats",
    "psychological_abuse", "physical_abuse", "sexual_abuse", "false_promises",
    "psychoactive_substances", "restricts_movement", "restricts_medical_care",
    "excessive_working_hours", "uses_children", "threat_of_law_enforcement",
    "withholds_necessities", "withholds_documents", "other",
]


def add_codes(apps, schema_editor):
    FormOfExploitation = apps.get_model("registry", "FormOfExploitation")
    MeansOfControl = apps.get_model("registry", "MeansOfControl")
    AuditChainHead = apps.get_model("registry", "AuditChainHead")
    for code in FORMS:
        FormOfExploitation.objects.get_or_create(code=code)
    for code in MEANS:
        MeansOfControl.objects.get_or_create(code=code)
    AuditChainHead.objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]

    operations = [migrations.RunPython(add_codes, migrations.RunPython.noop)]
