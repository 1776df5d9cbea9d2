"""The department's administrative procedures (khcn.procedures.catalogue.PROCEDURES)."""

from django.db import migrations


def seed(apps, schema_editor):
    from khcn.procedures.catalogue import procedures_seed

    procedures_seed(
        apps.get_model("procedures", "Procedure"), apps.get_model("procedures", "RequiredDocument")
    )


class Migration(migrations.Migration):
    dependencies = [("procedures", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
