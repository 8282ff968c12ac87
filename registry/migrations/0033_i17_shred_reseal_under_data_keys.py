"""Every person gets a data key, and their values move under it (issue 17, item 3).

Batched (a transaction per thousand rows); run with the keyring of the values' keys in the
environment, as any migration. The tables and columns are named here, as they are at this
migration, rather than read from the current models.
"""

from django.db import migrations

PERSON = (
    "given_names",
    "family_name",
    "aliases",
    "date_of_birth",
    "phone",
    "email",
    "address",
    "id_document_country",
    "id_document_number",
    "languages",
    "notes",
)
THROUGH_CASE = "JOIN registry_case c ON c.id = t.case_id"


def specs():
    from registry.keyops import PersonValues

    def cols(*names):
        return tuple((name, name) for name in names)

    return [
        PersonValues("registry.person", "registry_person", cols(*PERSON), "t.id"),
        PersonValues(
            "registry.registration", "registry_registration", cols("triage_note"), "t.person_id"
        ),
        PersonValues("registry.case", "registry_case", cols("care_location", "notes"), "t.person_id"),
        PersonValues("registry.casenote", "registry_casenote", cols("text"), "c.person_id", THROUGH_CASE),
        PersonValues(
            "registry.handover",
            "registry_handover",
            cols("reason", "decision_note"),
            "c.person_id",
            THROUGH_CASE,
        ),
        PersonValues("registry.placement", "registry_placement", cols("reason"), "c.person_id", THROUGH_CASE),
        PersonValues(
            "registry.submissionaddition",
            "registry_submissionaddition",
            cols("text"),
            "r.person_id",
            "JOIN registry_registration r ON r.id = t.registration_id",
        ),
    ]


def forwards(apps, schema_editor):
    from registry.keyops import reseal_under_data_keys

    if schema_editor.connection.alias != "default":
        return
    reseal_under_data_keys(specs())


def backwards(apps, schema_editor):
    from registry.keyops import reseal_under_data_keys

    if schema_editor.connection.alias != "default":
        return
    reseal_under_data_keys(specs(), backwards=True)


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("registry", "0032_i17_shred_data_keys"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards, elidable=True),
    ]
