"""Gender and nationality of the person copied onto registrations."""


import django_countries.fields
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def copy_person_fields(apps, schema_editor):
    """Fill the copies of gender and nationality on every existing registration."""
    Person = apps.get_model("registry", "Person")
    Registration = apps.get_model("registry", "Registration")
    person = Person.objects.filter(pk=OuterRef("person_id"))
    Registration.objects.using(schema_editor.connection.alias).update(
        person_gender=Subquery(person.values("gender")[:1]),
        person_nationality=Subquery(person.values("nationality")[:1]),
    )


class Migration(migrations.Migration):

    dependencies = [
        ('registry', '0003_casework_reminders_and_list_indexes'),
    ]

    operations = [
        migrations.AddField(
            model_name='registration',
            name='person_gender',
            field=models.CharField(choices=[('female', 'female'), ('male', 'male'), ('other', 'other (trans or non-conforming)'), ('unknown', 'unknown')], default='unknown', editable=False, max_length=10, verbose_name='gender of the person'),
        ),
        migrations.AddField(
            model_name='registration',
            name='person_nationality',
            field=django_countries.fields.CountryField(blank=True, editable=False, max_length=2, verbose_name='nationality of the person'),
        ),
        migrations.RunPython(copy_person_fields, migrations.RunPython.noop, elidable=True),
    ]
