from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "smartplan.reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        """Register the report formats; each renderer (WeasyPrint, python-docx, and matplotlib
        for the charts) is imported when a report is first rendered in its format."""
        from smartplan.core.output_formats import output_format_register
        from smartplan.reports.services import REPORT

        for name, content_type, renderer in (
            ("pdf", "application/pdf", "pdf_renderer.render_pdf"),
            (
                "docx",
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                "docx_renderer.render_docx",
            ),
            ("html", "text/html; charset=utf-8", "html_renderer.render_html"),
        ):
            output_format_register(
                family=REPORT,
                name=name,
                content_type=content_type,
                renderer=f"smartplan.reports.{renderer}",
            )
