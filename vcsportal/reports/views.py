"""The funders' quarterly pack as a page and as a PDF, for those who may view contracts (LCC, funders, the CIO)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views import View

from core.replicas import ReadsMayLagMixin
from disputes import policies as dispute_policies
from performance.dashboard import periods_with_counted_returns
from performance.models import ReportingPeriod
from performance.policies import figures_partnership
from vcsportal.reports.pack import quarterly_pack
from vcsportal.reports.pdf import pack_pdf


class PackPermissionMixin:
    permission_required = "portal.view_contracts"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(self.permission_required):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class PackIndexView(ReadsMayLagMixin, PackPermissionMixin, View):
    """The periods with counted returns, each with its pack."""

    def get(self, request):
        return render(
            request,
            "reports/pack_index.html",
            {"periods": periods_with_counted_returns(figures_partnership(request.user))},
        )


class PackView(ReadsMayLagMixin, PackPermissionMixin, View):
    """One period's pack, as a page."""

    def get(self, request, period):
        found = ReportingPeriod.objects.by_label(period)
        if found is None:
            raise Http404("No such reporting period")
        pack = quarterly_pack(
            found,
            disputes=dispute_policies.disputes.instances_for(request.user, "view"),
            partnership=figures_partnership(request.user),
        )
        return render(request, "reports/pack.html", {"pack": pack, "for_pdf": False})


class PackPdfView(ReadsMayLagMixin, PackPermissionMixin, View):
    def get(self, request, period):
        found = ReportingPeriod.objects.by_label(period)
        if found is None:
            raise Http404("No such reporting period")
        pack = quarterly_pack(
            found,
            disputes=dispute_policies.disputes.instances_for(request.user, "view"),
            partnership=figures_partnership(request.user),
        )
        response = HttpResponse(pack_pdf(pack), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="quarterly-pack-{found.slug}.pdf"'
        return response
