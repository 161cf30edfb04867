"""Catalogue editors keep the sources and moderate the suggested corrections."""

from django.db import migrations

from compare.migrations._editors import grant_editor_permissions


def grant(apps, schema_editor):
    grant_editor_permissions(apps, ["source", "refuseddomain", "correctionsuggestion"])


class Migration(migrations.Migration):
    dependencies = [("compare", "0012_correction_suggestions")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
