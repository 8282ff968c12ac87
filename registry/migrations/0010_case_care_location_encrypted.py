# Case.care_location: free text people filled with where the person stays, stored in clear
# until now. The column becomes an encrypted field; the existing values are sealed.
#
# The values are read and written with plain SQL, never through the model: the historical
# model already has the encrypted field, which would take a clear value for a token. The
# column is first altered to text (on SQLite a table copy, on PostgreSQL ALTER ... TYPE text),
# which keeps every value as it was, then each non-empty value is sealed under its row's
# primary key exactly as EncryptedCharField seals it (registry.fields), and empty ones become
# NULL (the encrypted fields store "nothing" as NULL).

import re

from django.db import migrations

import registry.fields

TOKEN = re.compile(r"^v1:[A-Za-z0-9_-]{1,32}:[0-9a-f]+$")
LABEL = "registry.case"
FIELD = "care_location"


def _rows(cursor, quote):
    cursor.execute(
        f"SELECT id, {quote(FIELD)} FROM registry_case WHERE {quote(FIELD)} IS NOT NULL"  # noqa: S608
    )
    return cursor.fetchall()


def seal_care_locations(apps, schema_editor):
    import uuid

    from registry.crypto import associated_data, get_keyring

    connection = schema_editor.connection
    quote = connection.ops.quote_name
    keyring = get_keyring()
    with connection.cursor() as cursor:
        for stored_pk, value in _rows(cursor, quote):
            if TOKEN.match(value):
                continue  # already sealed (the migration ran before and was faked back)
            pk = uuid.UUID(str(stored_pk))
            token = (
                keyring.encrypt(value.encode("utf-8"), associated_data(LABEL, FIELD, pk))
                if value
                else None
            )
            cursor.execute(
                f"UPDATE registry_case SET {quote(FIELD)} = %s WHERE id = %s",  # noqa: S608
                [token, stored_pk],
            )


def open_care_locations(apps, schema_editor):
    """Backwards: the clear values again (for a rollback to the previous release)."""
    import uuid

    from registry.crypto import associated_data, get_keyring

    connection = schema_editor.connection
    quote = connection.ops.quote_name
    keyring = get_keyring()
    with connection.cursor() as cursor:
        for stored_pk, token in _rows(cursor, quote):
            pk = uuid.UUID(str(stored_pk))
            value = keyring.decrypt(token, associated_data(LABEL, FIELD, pk)).decode("utf-8")
            cursor.execute(
                f"UPDATE registry_case SET {quote(FIELD)} = %s WHERE id = %s",  # noqa: S608
                [value, stored_pk],
            )
        cursor.execute(
            f"UPDATE registry_case SET {quote(FIELD)} = '' WHERE {quote(FIELD)} IS NULL"  # noqa: S608
        )


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0009_audit_append_only_triggers"),
    ]

    operations = [
        migrations.AlterField(
            model_name="case",
            name="care_location",
            field=registry.fields.EncryptedCharField(
                blank=True,
                help_text="The organisation or place where care was received. Encrypted.",
                max_length=200,
                null=True,
                verbose_name="where care was received",
            ),
        ),
        migrations.RunPython(seal_care_locations, open_care_locations),
    ]
