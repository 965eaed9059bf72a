"""Provider home, the return page (fill, save, submit, history) and the reviewers' steps."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.views import View
from django.views.generic import TemplateView

from performance.forms import CommentForm, ResultRowForm, ReturnVersionForm, ValidationForm
from performance.models import ReportingPeriod, Return
from performance.selectors import (
    provider_home,
    return_for_user,
    return_history,
    return_results,
    returns_to_review,
    targets_for,
)
from performance.services import (
    ReturnRefused,
    ReturnRowsInvalid,
    StaleReturn,
    results_validate,
    return_accept,
    return_reopen,
    return_save,
    return_send_back,
    return_sign_off,
    return_submit,
)


class PermissionMixin:
    """Refuse (403) a user without the site-wide permission the view names."""

    permission_required: str = ""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(self.permission_required):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


def _get_return(request, pk) -> Return:
    try:
        return return_for_user(request.user, pk)
    except Return.DoesNotExist as error:
        raise Http404("No such return") from error


class MyReturnsView(PermissionMixin, TemplateView):
    """A provider's home: its returns, what is due next, what is overdue, what was sent back and why."""

    permission_required = "performance.has_own_returns"
    template_name = "performance/provider_home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["home"] = provider_home(self.request.user.organisation)
        return context


class ReviewListView(PermissionMixin, TemplateView):
    """The returns waiting for this reviewer."""

    permission_required = "performance.review_any"
    template_name = "performance/review_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["returns"] = returns_to_review(self.request.user)
        return context


def _can_edit(user, return_obj: Return) -> bool:
    return (
        user.has_perm("performance.edit_return", return_obj)
        and return_obj.status in (Return.Status.DRAFT, Return.Status.RETURNED)
        and not return_obj.is_locked
    )


def _actions(user, return_obj: Return) -> dict[str, bool]:
    """Which workflow buttons to show: the permission module says whose step it is, the status whether
    the step is open now. The services check both again."""
    status = return_obj.status
    period_locked = return_obj.period.status == ReportingPeriod.Status.LOCKED
    reviewable = status in (Return.Status.SUBMITTED, Return.Status.ACCEPTED)
    return {
        "edit": _can_edit(user, return_obj),
        "accept": status == Return.Status.SUBMITTED and user.has_perm("performance.accept_return", return_obj),
        "send_back": reviewable and not period_locked and user.has_perm("performance.send_back_return", return_obj),
        "sign_off": status == Return.Status.ACCEPTED and user.has_perm("performance.sign_off_return", return_obj),
        "validate": reviewable and user.has_perm("performance.validate_results", return_obj),
        "reopen": user.has_perm("performance.reopen_return", return_obj)
        and (
            reviewable
            or status == Return.Status.SIGNED_OFF
            or (period_locked and not return_obj.reopened_after_lock and status != Return.Status.SUBMITTED)
        ),
    }


def _row_forms(return_obj: Return, results, data=None) -> list[ResultRowForm]:
    targets = targets_for(provider=return_obj.provider, period=return_obj.period)
    return [ResultRowForm(data=data, result=result, target=targets.get(result.indicator_id)) for result in results]


def _sections(forms_or_results, key=lambda item: item.result if hasattr(item, "result") else item):
    """Group rows for display: countywide indicators first, then the local ones district by district."""
    sections: list[dict] = []
    for item in forms_or_results:
        result = key(item)
        title = f"Local indicators in {result.district.name}" if result.district_id else "Indicators"
        if not sections or sections[-1]["title"] != title:
            sections.append({"title": title, "rows": []})
        sections[-1]["rows"].append(item)
    return sections


class ReturnDetailView(View):
    """One return: its rows (as a form while its provider may edit it), its workflow steps and its history.
    Anyone who may not see it gets a 404, never its data."""

    template_name = "performance/return_detail.html"

    def get(self, request, pk):
        return_obj = _get_return(request, pk)
        return self._render(request, return_obj)

    def _render(self, request, return_obj, *, forms=None, version_form=None, stale=None, status=200, **extra):
        actions = _actions(request.user, return_obj)
        results = list(return_results(return_obj))
        context = {
            "return": return_obj,
            "actions": actions,
            "history": return_history(return_obj),
            "stale": stale,
            **extra,
        }
        if actions["edit"]:
            forms = forms if forms is not None else _row_forms(return_obj, results)
            for form in forms:
                form.describe_errors()
            context["forms"] = forms
            context["sections"] = _sections(forms)
            context["version_form"] = version_form or ReturnVersionForm(initial={"version": return_obj.version})
            context["error_summary"] = [
                (f"{form[name].auto_id}" if name in form.fields else f"row-{form.result.pk}", message)
                for form in forms
                for name, errors in form.errors.items()
                for message in errors
            ]
        else:
            if actions["validate"]:
                given = {form.result.pk: form for form in extra.get("validation_forms") or []}
                for result in results:
                    result.validation_form = given.get(result.pk) or ValidationForm(result=result)
                context["error_summary"] = [
                    (result.validation_form[name].auto_id, message)
                    for result in results
                    for name, errors in result.validation_form.errors.items()
                    for message in errors
                ]
            context["sections"] = _sections(results)
        context.setdefault("send_back_form", CommentForm(label="Comment for the provider"))
        context.setdefault("reopen_form", CommentForm(label="Reason for reopening"))
        return render(request, self.template_name, context, status=status)

    def post(self, request, pk):
        return_obj = _get_return(request, pk)
        if not _can_edit(request.user, return_obj):
            raise PermissionDenied
        results = list(return_results(return_obj))
        forms = _row_forms(return_obj, results, data=request.POST)
        version_form = ReturnVersionForm(data=request.POST)
        valid = version_form.is_valid() & all([form.is_valid() for form in forms])
        if not valid:
            return self._render(request, return_obj, forms=forms, version_form=version_form, status=400)
        by_key = {(form.result.indicator_id, form.result.district_id): form for form in forms}
        entries = {key: form.entry() for key, form in by_key.items() if form.has_changed()}
        version = version_form.cleaned_data["version"]
        submitting = "submit" in request.POST
        try:
            with transaction.atomic():
                if submitting:
                    return_submit(return_obj=return_obj, user=request.user, version=version, entries=entries)
                else:
                    return_save(return_obj=return_obj, user=request.user, version=version, entries=entries)
        except StaleReturn as error:
            return_obj.refresh_from_db()
            fresh = {result.pk: result for result in return_results(return_obj)}
            # Keep what this person typed; rows they did not touch show the newer values.
            kept = [
                form if form.has_changed() else _row_forms(return_obj, [fresh[form.result.pk]])[0] for form in forms
            ]
            return self._render(
                request,
                return_obj,
                forms=kept,
                version_form=ReturnVersionForm(initial={"version": error.current_version}),
                stale=error,
                status=409,
            )
        except ReturnRowsInvalid as error:
            for key, row_errors in error.errors.items():
                if key in by_key:
                    by_key[key].add_row_errors(row_errors)
            return self._render(
                request, return_obj, forms=forms, version_form=version_form, refusal=error.message, status=400
            )
        except ReturnRefused as error:
            messages.error(request, error.message)
            return HttpResponseRedirect(return_obj.get_absolute_url())
        if submitting:
            messages.success(request, f"{return_obj} has been submitted.")
        else:
            messages.success(request, f"{return_obj} has been saved as a draft.")
        return HttpResponseRedirect(return_obj.get_absolute_url())


class ReturnStepView(View):
    """A reviewer's workflow step on a return (POST only). Whose step it is comes first: someone who may not
    take it is refused (403) before the form is read, never asked to correct a comment they may not write."""

    http_method_names = ["post"]
    permission_required = ""

    def post(self, request, pk):
        return_obj = _get_return(request, pk)
        if not request.user.has_perm(self.permission_required, return_obj):
            raise PermissionDenied
        try:
            done = self.perform(request, return_obj)
        except ReturnRefused as error:
            messages.error(request, error.message)
        else:
            if done:
                messages.success(request, done)
        return HttpResponseRedirect(return_obj.get_absolute_url())


class ReturnAcceptView(ReturnStepView):
    permission_required = "performance.accept_return"

    def perform(self, request, return_obj):
        return_accept(return_obj=return_obj, user=request.user)
        return f"{return_obj} has been accepted."


class ReturnSignOffView(ReturnStepView):
    permission_required = "performance.sign_off_return"

    def perform(self, request, return_obj):
        return_sign_off(return_obj=return_obj, user=request.user)
        return f"{return_obj} has been signed off."


class ReturnSendBackView(ReturnStepView):
    permission_required = "performance.send_back_return"

    def perform(self, request, return_obj):
        form = CommentForm(data=request.POST, label="Comment for the provider")
        if not form.is_valid():
            raise ReturnRefused("Write a comment telling the provider what to change.")
        return_send_back(return_obj=return_obj, user=request.user, comment=form.cleaned_data["comment"])
        return f"{return_obj} has been sent back to {return_obj.provider.name}."


class ReturnReopenView(ReturnStepView):
    permission_required = "performance.reopen_return"

    def perform(self, request, return_obj):
        form = CommentForm(data=request.POST, label="Reason for reopening")
        if not form.is_valid():
            raise ReturnRefused("Write the reason for reopening the return.")
        return_reopen(return_obj=return_obj, user=request.user, reason=form.cleaned_data["comment"])
        return f"{return_obj} has been reopened."


class ReturnValidateView(ReturnDetailView):
    """A reviewer's verdicts (validated or challenged, with comments) on the return's ratings."""

    http_method_names = ["post"]

    def post(self, request, pk):
        return_obj = _get_return(request, pk)
        if not request.user.has_perm("performance.validate_results", return_obj):
            raise PermissionDenied
        results = list(return_results(return_obj))
        forms = [ValidationForm(data=request.POST, result=result) for result in results]
        if not all([form.is_valid() for form in forms]):
            return self._render(request, return_obj, validation_forms=forms, status=400)
        # A row left out of the post keeps its verdict.
        verdicts = {
            form.result.pk: (form.cleaned_data["validation"], form.cleaned_data["validation_comment"])
            for form in forms
            if form.cleaned_data["validation"] and form.has_changed()
        }
        try:
            changed = results_validate(return_obj=return_obj, user=request.user, verdicts=verdicts)
        except ReturnRowsInvalid as error:
            by_pk = {form.result.pk: form for form in forms}
            for result_id, row_errors in error.errors.items():
                for name, message in row_errors.items():
                    by_pk[result_id].add_error(name, message)
            return self._render(request, return_obj, validation_forms=forms, status=400)
        except ReturnRefused as error:
            messages.error(request, error.message)
            return HttpResponseRedirect(return_obj.get_absolute_url())
        messages.success(request, f"{changed} ratings reviewed.")
        return HttpResponseRedirect(return_obj.get_absolute_url())
