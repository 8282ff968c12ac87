# The name search's blind indexes (registry.models.search_tokens): a table of (person, kind,
# digest) rows, then the rows of every person already registered.
#
# The names are read with plain SQL in batches by primary key and opened with the keyring as
# registry.fields opens them (associated data: model, field, primary key); the rows are worked
# out by today's registry.models.search_tokens.search_tokens, the function every save uses,
# so a migrated person and a person saved today have the same rows. Nothing is logged.

import django.db.models.deletion
from django.db import migrations, models

BATCH = 1000


def fill_search_tokens(apps, schema_editor):
    import uuid

    from registry.crypto import associated_data, get_keyring
    from registry.models.search_tokens import search_tokens

    token_model = apps.get_model("registry", "PersonSearchToken")
    connection = schema_editor.connection
    keyring = get_keyring()

    def opened(field, token, pk):
        if token is None:
            return ""
        return keyring.decrypt(token, associated_data("registry.person", field, pk)).decode()

    last = None
    while True:
        with connection.cursor() as cursor:
            where = "WHERE id > %s " if last is not None else ""
            cursor.execute(
                "SELECT id, family_name, given_names FROM registry_person "  # noqa: S608
                f"{where}ORDER BY id LIMIT %s",
                [last, BATCH] if last is not None else [BATCH],
            )
            rows = cursor.fetchall()
        if not rows:
            return
        last = rows[-1][0]
        found = []
        for stored_pk, family, given in rows:
            pk = stored_pk if isinstance(stored_pk, uuid.UUID) else uuid.UUID(str(stored_pk))
            for kind, digest in search_tokens(
                opened("family_name", family, pk), opened("given_names", given, pk)
            ):
                found.append(token_model(person_id=pk, kind=kind, digest=digest))
        token_model.objects.bulk_create(found, ignore_conflicts=True)


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
