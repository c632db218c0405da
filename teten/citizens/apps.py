from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CitizensConfig(AppConfig):
    name = "teten.citizens"
    label = "citizens"
    verbose_name = _("Citizens")
