"""A return's evidence: its documents (uploaded, replaced, every version kept) and its survey figures.

Documents are served only here, after the evidence policy says the user may read them; never from a media URL.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views import View

from performance.forms import EvidenceForm, EvidenceReplaceForm, SurveyFigureForm
from performance.models import Evidence, Return, SurveyFigure
from performance.policies import evidence as evidence_policy
from performance.selectors import evidence_of_return, evidence_return_for_user
from performance.services import EvidenceRefused, evidence_add, evidence_replace, survey_figure_record


def _return(request, pk) -> Return:
    try:
        return evidence_return_for_user(request.user, pk)
    except Return.DoesNotExist as error:
        raise Http404("No such return") from error


def _evidence(request, pk) -> Evidence:
    try:
        return evidence_policy.instances_for(request.user, "view", Evidence.objects.select_related("return_obj")).get(
            pk=pk
        )
    except Evidence.DoesNotExist as error:
        raise Http404("No such document") from error


def _refusal_onto(form, refused: EvidenceRefused, beside_the_form=()) -> None:
    """The service's refusal on the form's fields it names (the rest, and ``beside_the_form``, on the form)."""
    for name, message in refused.errors.items():
        form.add_error(name if name in form.fields and name not in beside_the_form else None, message)


class ReturnEvidenceView(View):
    """The return's documents with their versions, and its survey figures; upload and record here."""

    template_name = "performance/return_evidence.html"

    def get(self, request, pk):
        return self._render(request, _return(request, pk))

    def _render(self, request, return_obj, status=200, **forms):
        can_add = request.user.has_perm("performance.add_evidence", return_obj)
        results = list(return_obj.results.select_related("indicator", "district"))
        survey_results = [r for r in results if r.indicator.survey_based]
        documents = list(evidence_of_return(request.user, return_obj))
        for document in documents:
            document.versions = list(document.history.order_by("-history_date"))
            if can_add:
                document.replace_form = forms.get(f"replace_{document.pk}") or EvidenceReplaceForm(
                    initial={"version": document.version}, prefix=f"replace{document.pk}"
                )
        context = {
            "return": return_obj,
            "documents": documents,
            "survey_figures": SurveyFigure.objects.filter(result__in=survey_results).select_related(
                "result__indicator", "result__district"
            ),
            "survey_results": survey_results,
            "can_add": can_add,
            # Bound replace forms, so the page's one error summary finds their messages.
            "replace_forms": [forms[key] for key in forms if key.startswith("replace_")],
        }
        if can_add:
            context["form"] = forms.get("form") or EvidenceForm(results=results)
            if survey_results:
                context["survey_form"] = forms.get("survey_form") or SurveyFigureForm(results=survey_results)
        return render(request, self.template_name, context, status=status)

    def post(self, request, pk):
        return_obj = _return(request, pk)
        if not request.user.has_perm("performance.add_evidence", return_obj):
            raise PermissionDenied("You may not add evidence to this return.")
        results = list(return_obj.results.select_related("indicator", "district"))
        if "survey" in request.POST:
            return self._post_survey(request, return_obj, [r for r in results if r.indicator.survey_based])
        form = EvidenceForm(request.POST, request.FILES, results=results)
        if form.is_valid():
            result = next((r for r in results if str(r.pk) == form.cleaned_data["result"]), None)
            try:
                evidence_add(
                    return_obj=return_obj,
                    user=request.user,
                    title=form.cleaned_data["title"],
                    upload=form.cleaned_data["document"],
                    result=result,
                )
            except EvidenceRefused as refused:
                _refusal_onto(form, refused)
            else:
                messages.success(request, "The document was kept as evidence.")
                return HttpResponseRedirect(reverse("performance:return_evidence", args=[return_obj.pk]))
        return self._render(request, return_obj, status=400, form=form)

    def _post_survey(self, request, return_obj, survey_results):
        form = SurveyFigureForm(request.POST, results=survey_results)
        if form.is_valid():
            result = next(r for r in survey_results if str(r.pk) == form.cleaned_data["result"])
            try:
                survey_figure_record(
                    result=result,
                    user=request.user,
                    dimension=form.cleaned_data["dimension"],
                    category=form.cleaned_data["category"],
                    sample_size=form.cleaned_data["sample_size"],
                    value=form.cleaned_data["value"],
                )
            except EvidenceRefused as refused:
                _refusal_onto(form, refused)
            else:
                messages.success(request, "The survey figure was recorded.")
                return HttpResponseRedirect(reverse("performance:return_evidence", args=[return_obj.pk]))
        return self._render(request, return_obj, status=400, survey_form=form)


class EvidenceReplaceView(View):
    """POST a new version of a document; the old one stays in the history, readable."""

    def post(self, request, pk):
        evidence = _evidence(request, pk)
        return_obj = evidence.return_obj
        if not request.user.has_perm("performance.add_evidence", return_obj):
            raise PermissionDenied("You may not add evidence to this return.")
        form = EvidenceReplaceForm(request.POST, request.FILES, prefix=f"replace{evidence.pk}")
        if form.is_valid():
            try:
                evidence_replace(
                    evidence=evidence,
                    user=request.user,
                    upload=form.cleaned_data["document"],
                    version=form.cleaned_data["version"],
                    reason=form.cleaned_data["reason"],
                )
            except EvidenceRefused as refused:
                _refusal_onto(form, refused, beside_the_form=("version",))
                status = 409 if "version" in refused.errors else 400
            else:
                messages.success(request, "The document was replaced; the earlier version is kept.")
                return HttpResponseRedirect(reverse("performance:return_evidence", args=[return_obj.pk]))
        else:
            status = 400
        return ReturnEvidenceView()._render(request, return_obj, status=status, **{f"replace_{evidence.pk}": form})


class EvidenceDownloadView(View):
    """The document (or, with ``history_id``, one of its earlier versions), for whoever may read its return."""

    def get(self, request, pk, history_id=None):
        evidence = _evidence(request, pk)
        version = evidence
        if history_id is not None:
            version = evidence.history.filter(history_id=history_id).first()
            if version is None:
                raise Http404("No such version")
        try:
            # The history keeps each version's stored name (simple-history records a file as its name).
            handle = evidence.document.storage.open(getattr(version.document, "name", version.document), "rb")
        except FileNotFoundError as error:
            raise Http404("The document is missing from the storage") from error
        response = FileResponse(
            handle, as_attachment=True, filename=version.original_name, content_type=version.content_type
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response
