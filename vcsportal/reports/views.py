"""The funders' quarterly pack as a page and as a PDF, for those who may view contracts (LCC, funders, the CIO)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views import View

from performance.dashboard import periods_with_counted_returns
from vcsportal.permissions import visible_disputes
from vcsportal.reports.pack import period_from_slug, quarterly_pack
from vcsportal.reports.pdf import pack_pdf


class PackPermissionMixin:
    permission_required = "portal.view_contracts"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(self.permission_required):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class PackIndexView(PackPermissionMixin, View):
    """The periods with counted returns, each with its pack."""

    def get(self, request):
        return render(request, "reports/pack_index.html", {"periods": periods_with_counted_returns()})


class PackView(PackPermissionMixin, View):
    """One period's pack, as a page."""

    def get(self, request, period):
        found = period_from_slug(period)
        if found is None:
            raise Http404("No such reporting period")
        pack = quarterly_pack(found, disputes=visible_disputes(request.user))
        return render(request, "reports/pack.html", {"pack": pack, "for_pdf": False})


class PackPdfView(PackPermissionMixin, View):
    def get(self, request, period):
        found = period_from_slug(period)
        if found is None:
            raise Http404("No such reporting period")
        pack = quarterly_pack(found, disputes=visible_disputes(request.user))
        response = HttpResponse(pack_pdf(pack), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="quarterly-pack-{found.slug}.pdf"'
        return response
