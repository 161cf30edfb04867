from django.contrib.postgres.operations import UnaccentExtension
from django.db import migrations


class Migration(migrations.Migration):
    """The catalogue's search ignores accents with PostgreSQL's unaccent (a trusted extension
    since PostgreSQL 13: the database's owner may create it)."""

    dependencies = [("compare", "0015_recommendation_translations")]

    operations = [UnaccentExtension()]
