"""Joins issue 13's two branches of migrations: the case notes (0019) and the lists' flags
(0020), both made on 0017. Nothing to do."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0019_case_notes"),
        ("registry", "0020_list_flags"),
    ]

    operations = []
