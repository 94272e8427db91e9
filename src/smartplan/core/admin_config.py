"""Django's admin app, configured to use smartplan's admin site (core/admin_site.py).

A module of its own: app configs are imported before models exist, and the site's module
needs models (auth forms, two-factor devices)."""

from django.contrib.admin.apps import AdminConfig


class SmartplanAdminConfig(AdminConfig):
    default_site = "smartplan.core.admin_site.SmartplanAdminSite"
