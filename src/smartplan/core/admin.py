"""The editing interface's frame: titles a coordinator recognises."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("smartplan – action plan administration")
admin.site.site_title = _("smartplan")
admin.site.index_title = _("Registers of the action plans")
