"""Open data: each public register of a plan as a dataset with CSV (+ CSV on the Web
metadata), JSON and XLSX distributions; download counts and feedback."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpendataConfig(AppConfig):
    name = "smartplan.opendata"
    verbose_name = _("Open data")

    def ready(self) -> None:
        from smartplan.core.published_datasets import published_datasets_register
        from smartplan.opendata.datasets import published_datasets_count

        # The formula function datasets() counts what this app publishes.
        published_datasets_register(published_datasets_count)
