# The municipality list becomes complete (342, registry/data/municipalities.csv) and maps each
# municipality to its care-coordination region, so a reporter names the municipality where
# the person was found and the registry works out the region (issue 15). Regions that exist
# get their municipalities here; on a new database load_reference_data does it after
# creating the regions. A region an administrator set is kept.

import uuid

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import registry.fields


def load_list_and_regions(apps, schema_editor):
    from registry import municipalities

    Municipality = apps.get_model("registry", "Municipality")
    Region = apps.get_model("registry", "Region")
    municipalities.load(Municipality)
    municipalities.load_regions(Municipality, Region)


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0029_job_kinds_of_all"),
    ]

    operations = [
        migrations.AddField(
            model_name="municipality",
            name="region",
            field=models.ForeignKey(
                blank=True,
                help_text="The care-coordination region of a person found in this municipality: a reporter's submission goes to it. Empty: not offered on the reporter's form.",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="municipalities",
                to="registry.region",
                verbose_name="region",
            ),
        ),
        migrations.AddField(
            model_name="registration",
            name="found_in_municipality",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                help_text="Asked on the reporter's form; the region is the one of this municipality. Empty on registrations by staff and imports.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="registry.municipality",
                verbose_name="municipality where the person was found",
            ),
        ),
        migrations.CreateModel(
            name="SubmissionAddition",
            fields=[
                (
                    "id",
                    models.UUIDField(
                        default=uuid.uuid4, editable=False, primary_key=True, serialize=False
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="added")),
                (
                    "text",
                    registry.fields.EncryptedTextField(
                        blank=True, null=True, verbose_name="information"
                    ),
                ),
                (
                    "author",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="added by",
                    ),
                ),
                (
                    "registration",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="additions",
                        to="registry.registration",
                        verbose_name="registration",
                    ),
                ),
            ],
            options={
                "verbose_name": "information added to a report",
                "verbose_name_plural": "information added to reports",
                "ordering": ["created_at"],
                "default_permissions": ("add", "view"),
            },
        ),
        migrations.RunPython(load_list_and_regions, migrations.RunPython.noop),
    ]
