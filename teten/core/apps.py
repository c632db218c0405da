from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "teten.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from teten.core import dbguard

        dbguard.install()
