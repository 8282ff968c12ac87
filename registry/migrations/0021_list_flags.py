"""Issue 13: the lists' flags. Cases carry copies of their opening registration's urgency
flags (immediate danger, minor) with one index of everything the lists' flags read; the
reminders get the new kinds (reflection period ended, immediate danger, minor)."""

from django.db import migrations, models


def copy_flags(apps, schema_editor):
    Case = apps.get_model("registry", "Case")
    Case.objects.filter(registration__immediate_danger=True).update(immediate_danger=True)
    Case.objects.filter(registration__is_minor=True).update(minor=True)


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0020_job_key_rotation"),
    ]

    operations = [
        migrations.AddField(
            model_name="case",
            name="immediate_danger",
            field=models.BooleanField(
                default=False, editable=False, verbose_name="immediate danger"
            ),
        ),
        migrations.AddField(
            model_name="case",
            name="minor",
            field=models.BooleanField(default=False, editable=False, verbose_name="minor"),
        ),
        migrations.AlterField(
            model_name="remindersent",
            name="kind",
            field=models.CharField(
                choices=[
                    ("reflection_ending", "reflection period ends soon"),
                    ("unassigned", "new case unassigned"),
                    ("reflection_ended", "reflection period ended"),
                    ("danger", "immediate danger"),
                    ("minor", "minor, no referral recorded"),
                ],
                max_length=20,
                verbose_name="kind",
            ),
        ),
        migrations.RunPython(copy_flags, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                fields=[
                    "region",
                    "status",
                    "immediate_danger",
                    "minor",
                    "reflection_end",
                    "residence_status",
                    "coordinator",
                    "opened_on",
                    "id",
                ],
                name="case_list_flags_idx",
            ),
        ),
    ]
