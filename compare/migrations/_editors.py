"""Shared by the data migrations that give the "Catalogue editors" group its permissions."""

from django.contrib.auth.management import create_permissions

GROUP_NAME = "Catalogue editors"
ACTIONS = ["add", "change", "delete", "view"]


def grant_editor_permissions(apps, models: list[str]) -> None:
    """Give the group every right on `models` and the right to read their history."""
    # Permissions are normally created after the whole migrate run; create them now so
    # that the group can be given them on a fresh database.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP_NAME)
    codenames = [f"{action}_{model}" for model in models for action in ACTIONS]
    codenames += [f"view_historical{model}" for model in models]
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="compare", codename__in=codenames)
    )
