"""Catalogue editors also edit the questionnaire: questions, choices and their effects."""

from django.db import migrations

from compare.migrations._editors import grant_editor_permissions


def grant(apps, schema_editor):
    grant_editor_permissions(apps, ["question", "choice", "effect"])


class Migration(migrations.Migration):
    dependencies = [("compare", "0003_questionnaire")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
