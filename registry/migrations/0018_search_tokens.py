# The name search's blind indexes (registry.models.search_tokens): a table of (person, kind,
# digest) rows, then the rows of every person already registered.
#
# The names are read with plain SQL in batches by primary key and opened with the keyring as
# registry.fields opens them (registry.keyops.refresh_search_tokens, also a command); the
# rows are worked out by the function every save uses, so a migrated person and a person
# saved today have the same rows. Nothing is logged or printed.

import django.db.models.deletion
from django.db import migrations, models


def fill_search_tokens(apps, schema_editor):
    from registry.keyops import refresh_search_tokens

    refresh_search_tokens(token_model=apps.get_model("registry", "PersonSearchToken"))


class Migration(migrations.Migration):

    dependencies = [
        ('registry', '0017_background_jobs'),
    ]

    operations = [
        migrations.CreateModel(
            name='PersonSearchToken',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('family', 'family name'), ('part', 'part of the family name'), ('given', 'given name'), ('sound', 'family name, sounds alike')], max_length=8)),
                ('digest', models.CharField(max_length=64)),
                ('person', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='search_tokens', to='registry.person')),
            ],
            options={
                'verbose_name': 'search token',
                'verbose_name_plural': 'search tokens',
                'indexes': [models.Index(fields=['digest', 'person'], name='person_search_digest_idx')],
                'constraints': [models.UniqueConstraint(fields=('person', 'kind', 'digest'), name='person_search_token_once')],
            },
        ),
        migrations.RunPython(fill_search_tokens, migrations.RunPython.noop, elidable=True),
    ]
