from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    name = "smartplan.exchange"
    verbose_name = _("Import and export")

    def ready(self) -> None:
        """Register the single-register formats; openpyxl is imported on the first export.
        The pages, links and buttons this app adds to the editing interface are in admin.py."""
        from smartplan.core.output_formats import output_format_register
        from smartplan.exchange.register_export_view import REGISTER

        output_format_register(
            family=REGISTER,
            name="xlsx",
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            renderer="smartplan.exchange.register_export.register_xlsx",
        )
        output_format_register(
            family=REGISTER,
            name="ods",
            content_type="application/vnd.oasis.opendocument.spreadsheet",
            renderer="smartplan.exchange.register_export.register_ods",
        )
        output_format_register(
            family=REGISTER,
            name="csv",
            content_type="text/csv; charset=utf-8",
            renderer="smartplan.exchange.register_export.register_csv",
        )
