from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class CompareConfig(AppConfig):
    name = "compare"
    verbose_name = _("Hypervisor catalogue")


class HVSelectAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin, with the editors' site of compare/admin_site.py."""

    default = False  # compare's own configuration is CompareConfig
    default_site = "compare.admin_site.HVSelectAdminSite"
