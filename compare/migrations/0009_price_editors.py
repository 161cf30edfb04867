"""Catalogue editors also keep the prices: offers and the EUR/USD rate."""

from django.db import migrations

from compare.migrations._editors import grant_editor_permissions


def grant(apps, schema_editor):
    grant_editor_permissions(apps, ["offer", "exchangerate"])


class Migration(migrations.Migration):
    dependencies = [("compare", "0008_offers_and_estate")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
