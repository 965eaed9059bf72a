"""Set up a partnership from its workbook, for a site administrator: download the blank template (with its
Instructions sheet), upload a filled one for a preview (a dry run: every problem named by sheet, row and column,
or what would be created, updated and left unchanged), then apply exactly the previewed file.

A page of the site: the workbook fills the districts, contracts and performance apps' tables at once, through
``vcsportal.partnership_setup`` (the same service the ``partnership_setup`` command calls). Who may use it is
the partnership set-up policy's answer (site administrators only); everyone else gets a 403.
"""

import base64
import io

from django import forms
from django.contrib import messages
from django.core import signing
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.views import View

from core.forms import PortalForm
from core.views import SiteWidePermissionMixin
from vcsportal.partnership_setup.export import partnership_workbook
from vcsportal.partnership_setup.services import partnership_setup

PERMISSION = "portal.set_up_partnerships"
MAX_BYTES = 1024 * 1024
#: The previewed workbook travels back signed, so "apply" applies exactly what was previewed.
SIGNING_SALT = "vcsportal.partnership_setup.workbook"
PREVIEW_VALID_SECONDS = 60 * 60
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class WorkbookUploadForm(PortalForm):
    workbook = forms.FileField(
        label="Set-up workbook (.xlsx)",
        help_text="The template filled in. Nothing is saved yet: you see a preview first.",
        error_messages={"required": "Choose the set-up workbook (.xlsx)."},
    )

    def clean_workbook(self):
        upload = self.cleaned_data["workbook"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError("The file must be an Excel workbook (.xlsx).")
        if upload.size > MAX_BYTES:
            raise forms.ValidationError("The file must be smaller than 1 MB.")
        return upload.read()


class WorkbookApplyForm(PortalForm):
    previewed = forms.CharField(widget=forms.HiddenInput)

    def clean_previewed(self):
        try:
            encoded = signing.loads(self.cleaned_data["previewed"], salt=SIGNING_SALT, max_age=PREVIEW_VALID_SECONDS)
        except signing.BadSignature:
            raise forms.ValidationError(
                "This preview is out of date or was changed: upload the workbook again for a new preview."
            ) from None
        return base64.b64decode(encoded)


class PartnershipSetUpView(SiteWidePermissionMixin, View):
    permission_required = PERMISSION
    template_name = "pages/partnership_setup.html"

    def get(self, request):
        return self._render(request, WorkbookUploadForm())

    def post(self, request):
        if "previewed" in request.POST:
            return self._apply(request)
        form = WorkbookUploadForm(data=request.POST, files=request.FILES)
        if not form.is_valid():
            return self._render(request, form, status=400)
        content = form.cleaned_data["workbook"]
        report = partnership_setup(file=io.BytesIO(content), dry_run=True, user=request.user)
        if report.problems:
            return self._render(request, WorkbookUploadForm(), status=400, report=report)
        previewed = signing.dumps(base64.b64encode(content).decode("ascii"), salt=SIGNING_SALT)
        return self._render(
            request, WorkbookUploadForm(), report=report, apply_form=WorkbookApplyForm(initial={"previewed": previewed})
        )

    def _apply(self, request):
        apply_form = WorkbookApplyForm(data=request.POST)
        if not apply_form.is_valid():
            return self._render(request, WorkbookUploadForm(), status=400, apply_errors=apply_form.errors["previewed"])
        report = partnership_setup(file=io.BytesIO(apply_form.cleaned_data["previewed"]), user=request.user)
        if report.problems:  # the database moved on since the preview
            return self._render(request, WorkbookUploadForm(), status=400, report=report)
        created = sum(report.created.values())
        updated = sum(report.updated.values())
        messages.success(
            request,
            f"Partnership {report.partnership} set up: {created} rows created, {updated} updated."
            if report.changed
            else f"Partnership {report.partnership} was already up to date: nothing changed.",
        )
        return HttpResponseRedirect(reverse("partnership_setup:upload"))

    def _render(self, request, form, *, status=200, report=None, apply_form=None, apply_errors=()):
        problems = [str(problem) for problem in report.problems] if report else []
        context = {"form": form, "report": report, "apply_form": apply_form, "problems": problems}
        if problems or apply_errors:
            # The base layout's one error summary, each problem linked to the upload (the file to correct).
            context["error_summary"] = [("id_workbook", message) for message in [*apply_errors, *problems]]
            if problems:
                context["refusal"] = (
                    "The workbook was not applied and nothing was saved. Each problem names its sheet, row and "
                    "column: correct them in the workbook and upload it again."
                )
        return render(request, self.template_name, context, status=status)


class TemplateDownloadView(SiteWidePermissionMixin, View):
    """The blank workbook: an Instructions sheet (every sheet's columns and what each accepts), then one empty
    sheet per table with its header row."""

    permission_required = PERMISSION

    def get(self, request):
        out = io.BytesIO()
        partnership_workbook().save(out)
        response = HttpResponse(out.getvalue(), content_type=XLSX)
        response["Content-Disposition"] = 'attachment; filename="partnership-setup-template.xlsx"'
        return response


app_name = "partnership_setup"
urlpatterns = [
    path("", PartnershipSetUpView.as_view(), name="upload"),
    path("template.xlsx", TemplateDownloadView.as_view(), name="template"),
]
