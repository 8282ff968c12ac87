# Handover: the reason and the decision note become encrypted, so the model gets a UUID
# primary key (the associated data of every sealed value names the row's key, which must be
# known before the first save, and UUIDs are unguessable in URLs).
#
# An integer key cannot be turned into a UUID in place on both databases, so the rows move to
# a new table: a new model is created, every handover is copied with a fresh UUID and its
# free text sealed under that UUID, the old table is dropped and the new one takes its name.
# No table has a foreign key to Handover. Audit events name handovers by id as text; the
# events written before this migration keep the old integer ids as history.
#
# The sealing is done here explicitly (model label "registry.handover", field name, new UUID,
# exactly as registry.fields seals), not through the historical model, whose label is still
# "registry.newhandover" while the rows are copied.

import uuid

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import registry.fields

LABEL = "registry.handover"
TEXT_FIELDS = ("reason", "decision_note")
COPIED = (
    "case_id",
    "from_region_id",
    "to_region_id",
    "status",
    "requested_by_id",
    "requested_at",
    "decided_by_id",
    "decided_at",
)


def copy_to_uuid_table(apps, schema_editor):
    from registry.crypto import associated_data, get_keyring
    from registry.fields import Ciphertext

    Old = apps.get_model("registry", "Handover")
    New = apps.get_model("registry", "NewHandover")
    db = schema_editor.connection.alias
    keyring = get_keyring()
    for old in Old.objects.using(db).order_by("pk").values(*COPIED, *TEXT_FIELDS):
        pk = uuid.uuid4()
        sealed = {}
        for name in TEXT_FIELDS:
            value = old[name]
            sealed[name] = (
                Ciphertext(
                    keyring.encrypt(value.encode("utf-8"), associated_data(LABEL, name, pk)), pk
                )
                if value
                else None
            )
        New.objects.using(db).create(id=pk, **{name: old[name] for name in COPIED}, **sealed)
        # requested_at is auto_now_add: create() stamped it with now; keep the real moment.
        New.objects.using(db).filter(pk=pk).update(requested_at=old["requested_at"])


def copy_back_to_integer_table(apps, schema_editor):
    """Backwards: the rows with clear text and new integer ids (for a rollback)."""
    from registry.crypto import associated_data, get_keyring

    Old = apps.get_model("registry", "Handover")
    New = apps.get_model("registry", "NewHandover")
    db = schema_editor.connection.alias
    keyring = get_keyring()
    table = schema_editor.connection.ops.quote_name(New._meta.db_table)
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"SELECT id, reason, decision_note FROM {table}")  # noqa: S608
        tokens = {str(uuid.UUID(str(row[0]))): row[1:] for row in cursor.fetchall()}
    for new in New.objects.using(db).order_by("requested_at").values("id", *COPIED):
        pk = new["id"]
        clear = {
            name: keyring.decrypt(token, associated_data(LABEL, name, pk)).decode("utf-8")
            if token
            else ""
            for name, token in zip(TEXT_FIELDS, tokens[str(pk)], strict=True)
        }
        old = Old.objects.using(db).create(**{name: new[name] for name in COPIED}, **clear)
        Old.objects.using(db).filter(pk=old.pk).update(requested_at=new["requested_at"])


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0010_case_care_location_encrypted"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="NewHandover",
            fields=[
                (
                    "id",
                    models.UUIDField(
                        default=uuid.uuid4,
                        editable=False,
                        primary_key=True,
                        serialize=False,
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("pending", "pending"),
                            ("accepted", "accepted"),
                            ("rejected", "rejected"),
                            ("withdrawn", "withdrawn"),
                        ],
                        default="pending",
                        max_length=10,
                        verbose_name="status",
                    ),
                ),
                (
                    "reason",
                    registry.fields.EncryptedCharField(
                        blank=True,
                        help_text="Why the case moves. Encrypted; still, no names or other personal data.",
                        max_length=300,
                        null=True,
                        verbose_name="reason",
                    ),
                ),
                ("requested_at", models.DateTimeField(auto_now_add=True, verbose_name="requested")),
                ("decided_at", models.DateTimeField(blank=True, null=True, verbose_name="decided")),
                (
                    "decision_note",
                    registry.fields.EncryptedCharField(
                        blank=True, max_length=300, null=True, verbose_name="decision note"
                    ),
                ),
                (
                    "case",
                    # related_name "+" while the old model still holds "handovers"; set below.
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="registry.case",
                        verbose_name="case",
                    ),
                ),
                (
                    "decided_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "requested_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "from_region",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="registry.region",
                        verbose_name="from",
                    ),
                ),
                (
                    "to_region",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="registry.region",
                        verbose_name="to",
                    ),
                ),
            ],
            options={
                "verbose_name": "handover",
                "verbose_name_plural": "handovers",
                "ordering": ["-requested_at"],
            },
        ),
        migrations.RunPython(copy_to_uuid_table, copy_back_to_integer_table),
        migrations.DeleteModel(name="Handover"),
        migrations.RenameModel(old_name="NewHandover", new_name="Handover"),
        migrations.AlterField(
            model_name="handover",
            name="case",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="handovers",
                to="registry.case",
                verbose_name="case",
            ),
        ),
        # The constraints come back under their names once the old table (which held those
        # names) is gone.
        migrations.AddConstraint(
            model_name="handover",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status", "pending")),
                fields=("case",),
                name="handover_one_pending_per_case",
            ),
        ),
        migrations.AddConstraint(
            model_name="handover",
            constraint=models.CheckConstraint(
                condition=models.Q(("from_region", models.F("to_region")), _negated=True),
                name="handover_changes_region",
            ),
        ),
    ]
