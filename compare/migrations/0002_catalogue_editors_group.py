"""The "Catalogue editors" group: staff in it may edit the reference data in the admin."""

from django.db import migrations

from compare.migrations._editors import GROUP_NAME, grant_editor_permissions


def create_group(apps, schema_editor):
    grant_editor_permissions(apps, ["hypervisor", "criterion", "feature", "rating", "support"])


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("compare", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
