# Registration.exploitation_municipality: free text (people wrote addresses and names there)
# becomes a code from the list of Dutch municipalities (CBS gemeentecode), shipped as data in
# registry/data/municipalities.csv.
#
# 1. The Municipality table, filled from the data file (the same loader as
#    manage.py load_reference_data).
# 2. The column may hold NULL for a moment, so what does not match can be cleared.
# 3. Every value is mapped to a code by name (case and accents ignored) where the country is
#    the Netherlands or unknown; everything else is cleared, since it may be personal data.
#    Only the counts are printed.
# 4. The column becomes a foreign key to Municipality (exploitation_municipality_id).

import django.core.validators
import django.db.models.deletion
from django.db import migrations, models


def map_to_codes(apps, schema_editor):
    from registry import municipalities

    Municipality = apps.get_model("registry", "Municipality")
    municipalities.load(Municipality)
    codes = municipalities.codes_by_name(municipalities.read_list().entries)
    # Names an administrator may already have added are matched too.
    codes.update(
        {municipalities.match_key(name): code for code, name in Municipality.objects.values_list("code", "name")}
    )
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        counts = municipalities.map_free_text(
            cursor,
            connection.ops.quote_name,
            "registry_registration",
            "id",
            "exploitation_municipality",
            "exploitation_country",
            codes,
        )
    if counts["mapped"] or counts["cleared"]:
        print(
            f"\n  municipality of exploitation: {counts['mapped']} mapped to a CBS code, "
            f"{counts['cleared']} cleared (no match, or not in the Netherlands)"
        )


def codes_back_to_names(apps, schema_editor):
    """Backwards: the municipality's name as text again."""
    Municipality = apps.get_model("registry", "Municipality")
    names = dict(Municipality.objects.values_list("code", "name"))
    connection = schema_editor.connection
    quote = connection.ops.quote_name
    column = quote("exploitation_municipality")
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, {column} FROM registry_registration WHERE {column} IS NOT NULL"  # noqa: S608
        )
        for row_id, code in cursor.fetchall():
            cursor.execute(
                f"UPDATE registry_registration SET {column} = %s WHERE id = %s",  # noqa: S608
                [names.get(code, ""), row_id],
            )
        cursor.execute(
            f"UPDATE registry_registration SET {column} = '' WHERE {column} IS NULL"  # noqa: S608
        )


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0011_handover_uuid_and_encrypted_text"),
    ]

    operations = [
        migrations.CreateModel(
            name="Municipality",
            fields=[
                (
                    "code",
                    models.CharField(
                        help_text="The gemeentecode of Statistics Netherlands, e.g. GM0363 (Amsterdam).",
                        max_length=6,
                        primary_key=True,
                        serialize=False,
                        validators=[
                            django.core.validators.RegexValidator(
                                "^GM\\d{4}$", "A CBS code is GM and four digits."
                            )
                        ],
                        verbose_name="CBS code",
                    ),
                ),
                ("name", models.CharField(max_length=100, verbose_name="name")),
                (
                    "is_active",
                    models.BooleanField(
                        default=True,
                        help_text="Merged or abolished municipalities stay for old registrations but are not offered for new ones.",
                        verbose_name="active",
                    ),
                ),
            ],
            options={
                "verbose_name": "municipality",
                "verbose_name_plural": "municipalities",
                "ordering": ["name"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("code__regex", "^GM[0-9]{4}$")),
                        name="municipality_code_format",
                    )
                ],
            },
        ),
        migrations.AlterField(
            model_name="registration",
            name="exploitation_municipality",
            field=models.CharField(
                blank=True,
                max_length=100,
                null=True,
                verbose_name="municipality of exploitation",
            ),
        ),
        migrations.RunPython(map_to_codes, codes_back_to_names),
        migrations.AlterField(
            model_name="registration",
            name="exploitation_municipality",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                help_text="Only for exploitation in the Netherlands (or where the country is unknown).",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="registry.municipality",
                verbose_name="municipality of exploitation",
            ),
        ),
    ]
