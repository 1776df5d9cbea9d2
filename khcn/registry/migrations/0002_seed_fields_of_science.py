"""Seed the classification of S&T fields (QĐ 12/2008/QĐ-BKHCN), first and second levels."""

from django.db import migrations


def seed(apps, schema_editor):
    from khcn.registry.fields import seed_fields

    seed_fields(apps.get_model("registry", "FieldOfScience"))


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
