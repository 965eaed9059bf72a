"""The quarterly pack as a PDF (WeasyPrint), from the same template as the page, printed with the portal's own
stylesheet (its ``@media print`` rules: no navigation, link targets shown, no table row split across pages).

WeasyPrint may fetch only the portal's static files: the fetcher below reads them from disk and refuses any
other address, so rendering a pack never reaches the network.
"""

import mimetypes
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from vcsportal.reports.pack import Pack


class StaticFilesOnly(URLFetcher):
    """Serves the portal's static files (the stylesheet, images) from disk; refuses every other address."""

    def fetch(self, url, headers=None):
        prefix = settings.PORTAL_BASE_URL + settings.STATIC_URL
        if not url.startswith(prefix):
            raise ValueError(f"The pack may load only the portal's static files, not {url}")
        relative = url.removeprefix(prefix).split("?")[0]
        found = finders.find(relative)
        if not found:
            raise ValueError(f"No static file {relative}")
        content_type = mimetypes.guess_type(found)[0] or "application/octet-stream"
        return URLFetcherResponse(url, Path(found).read_bytes(), {"Content-Type": content_type})


def pack_html(pack: Pack) -> str:
    """The pack page as the PDF prints it (no signed-in person's header or navigation)."""
    return render_to_string(
        "reports/pack.html",
        {
            "pack": pack,
            "for_pdf": True,
            "portal_name": settings.PORTAL_NAME,
            "portal_partnership": settings.PORTAL_PARTNERSHIP,
        },
    )


def pack_pdf(pack: Pack) -> bytes:
    """The pack as PDF bytes; its relative links and the stylesheet resolve against ``PORTAL_BASE_URL``."""
    return HTML(
        string=pack_html(pack), base_url=settings.PORTAL_BASE_URL + "/", url_fetcher=StaticFilesOnly()
    ).write_pdf()
