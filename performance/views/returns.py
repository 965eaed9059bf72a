"""Provider home, the return page (fill, save, submit, history) and the reviewers' steps."""

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from contracts.models import Organisation
from core.views import Confirmation, SiteWidePermissionMixin, confirmation_page, dry_run, is_confirmed
from core.workflow import declared, may_fire, transition_refusal, transitions_for
from performance.forms import CommentForm, ResultRowForm, ReturnVersionForm, ValidationForm
from performance.models import Return
from performance.selectors import (
    own_contract_for,
    previous_return_for,
    provider_home,
    return_for_user,
    return_history,
    return_results,
    returns_to_review,
    subcontract_for,
    targets_for,
)
from performance.selectors_framework import late_target_changes_of_return
from performance.selectors_review import contradictions_by_indicator
from performance.services import (
    ReturnRefused,
    ReturnRowsInvalid,
    StaleReturn,
    results_validate,
    return_save,
    return_submit,
    return_transition,
)
from performance.views.return_sections import is_task_list, task_list_context


def _get_return(request, pk) -> Return:
    try:
        return return_for_user(request.user, pk)
    except Return.DoesNotExist as error:
        raise Http404("No such return") from error


class MyReturnsView(SiteWidePermissionMixin, TemplateView):
    """A provider's home: its returns, what is due next, what is overdue, what was sent back and why."""

    permission_required = "performance.has_own_returns"
    template_name = "performance/provider_home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["home"] = provider_home(self.request.user.organisation)
        return context


class ReviewListView(SiteWidePermissionMixin, TemplateView):
    """The returns waiting for this reviewer."""

    permission_required = "performance.review_any"
    template_name = "performance/review_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["returns"] = returns_to_review(self.request.user)
        return context


def _can_edit(user, return_obj: Return) -> bool:
    """Its provider's staff fill it in while the machine would let them submit it (a draft or a sent-back
    return whose period is not locked, or which LCC reopened)."""
    return may_fire(return_obj, "submit", user) and transition_refusal(return_obj, "submit") is None


@dataclass
class Step:
    """A reviewer's step the machine says is open to this user now, as the page offers it."""

    name: str
    label: str
    url: str
    comment_form: CommentForm | None = None
    legend: str = ""


def _steps(user, return_obj: Return, forms: dict | None = None) -> list[Step]:
    """The workflow steps open to this user on this return (the state machine decides), each with its form."""
    steps = []
    for transition in transitions_for(return_obj, user):
        custom = transition.custom
        if "url_name" not in custom:
            continue  # submitting is the edit form's own button
        comment_form = None
        if "comment_label" in custom:
            # Named "comment" whichever step it is for; ids told apart, as two such forms can share the page.
            comment_form = (forms or {}).get(transition.name) or CommentForm(
                label=custom["comment_label"], auto_id=f"{transition.name}-%s"
            )
        steps.append(
            Step(
                name=transition.name,
                label=custom["label"],
                url=reverse(custom["url_name"], kwargs={"pk": return_obj.pk}),
                comment_form=comment_form,
                legend=custom.get("legend", "").format(provider=return_obj.provider.name),
            )
        )
    return steps


def _actions(user, return_obj: Return) -> dict[str, bool]:
    """What the page offers: editing (the machine's submit step), reviewing the ratings (the policy's
    validate action while the return is in review) and each open workflow step."""
    return {
        "edit": _can_edit(user, return_obj),
        "validate": return_obj.is_in_review and user.has_perm("performance.validate_results", return_obj),
    }


def _row_forms(return_obj: Return, results, data=None, user=None) -> list[ResultRowForm]:
    targets = targets_for(provider=return_obj.provider, period=return_obj.period)
    return [
        ResultRowForm(data=data, result=result, target=targets.get(result.indicator_id, result.district_id), user=user)
        for result in results
    ]


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


def landing_after_step(user, return_obj: Return) -> str:
    """Where a person lands after a step on a return: the return, while they may still see it; else (the CIO
    sending a hub's return back hands it to its provider, out of the CIO's sight) the returns waiting for
    their review, or their home page."""
    if user.has_perm("performance.view_return", return_obj):
        return return_obj.get_absolute_url()
    if user.has_perm("performance.review_any"):
        return reverse("performance:review_list")
    return reverse("home")


class ReturnDetailView(View):
    """One return: its rows (as a form while its provider may edit it), its workflow steps and its history.
    Anyone who may not see it gets a 404, never its data."""

    template_name = "performance/return_detail.html"

    def get(self, request, pk):
        return_obj = _get_return(request, pk)
        return self._render(request, return_obj)

    def _render(
        self, request, return_obj, *, forms=None, version_form=None, stale=None, status=200, step_forms=None, **extra
    ):
        actions = _actions(request.user, return_obj)
        results = list(return_results(return_obj))
        late = late_target_changes_of_return(return_obj)
        for result in [*results, *(form.result for form in forms or [])]:
            result.late_changes = [
                change
                for change in late.get(result.indicator_id, [])
                if change.district_id in (None, result.district_id)
            ]
        flags = contradictions_by_indicator(return_obj)
        for result in [*results, *(form.result for form in forms or [])]:
            result.flags = flags.get(result.indicator_id, [])
        context = {
            "return": return_obj,
            "actions": actions,
            "history": return_history(return_obj),
            "stale": stale,
            **extra,
        }
        if actions["edit"] and forms is None and is_task_list(results):
            # A long return is a task list: its sections are pages of their own.
            context.update(task_list_context(request, return_obj, results))
        elif actions["edit"]:
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
                    (
                        result.validation_form[name].auto_id
                        if name in result.validation_form.fields
                        else result.validation_form["validation"].auto_id,
                        message,
                    )
                    for result in results
                    for name, errors in result.validation_form.errors.items()
                    for message in errors
                ]
            context["sections"] = _sections(results)
        context["steps"] = _steps(request.user, return_obj, step_forms)
        for form in (step_forms or {}).values():
            context["error_summary"] = [
                *context.get("error_summary", []),
                *((form["comment"].auto_id, message) for message in form.errors.get("comment", [])),
            ]
        context["previous_return"] = previous_return_for(request.user, return_obj)
        context["subcontract"] = subcontract_for(request.user, return_obj)
        if context["subcontract"] is None and return_obj.provider.kind != Organisation.Kind.CIO:
            context["own_contract"] = own_contract_for(request.user, return_obj)
        return render(request, self.template_name, context, status=status)

    def post(self, request, pk):
        return_obj = _get_return(request, pk)
        if not _can_edit(request.user, return_obj):
            raise PermissionDenied
        results = list(return_results(return_obj))
        forms = _row_forms(return_obj, results, data=request.POST, user=request.user)
        version_form = ReturnVersionForm(data=request.POST)
        valid = version_form.is_valid() & all([form.is_valid() for form in forms])
        if not valid:
            return self._render(request, return_obj, forms=forms, version_form=version_form, status=400)
        by_key = {(form.result.indicator_id, form.result.district_id): form for form in forms}
        entries = {key: form.entry() for key, form in by_key.items() if form.has_changed()}
        version = version_form.cleaned_data["version"]
        submitting = "submit" in request.POST
        # Check, then confirm: submitting is first tried and undone, so the confirmation page is shown only
        # for a return that would go; the confirming POST submits it.
        confirming = submitting and not is_confirmed(request)
        try:
            if confirming:
                confirmation = _submit_confirmation(return_obj, forms, changed=len(entries))
                dry_run(
                    lambda: return_submit(return_obj=return_obj, user=request.user, version=version, entries=entries)
                )
            else:
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
        if confirming:
            return confirmation_page(request, confirmation)
        if submitting:
            messages.success(request, f"{return_obj} has been submitted.")
        else:
            messages.success(request, f"{return_obj} has been saved as a draft.")
        return HttpResponseRedirect(return_obj.get_absolute_url())


def _submit_confirmation(return_obj: Return, forms, *, changed: int) -> Confirmation:
    """What submitting changes: the status, who reviews it next, and the rows this form brings."""
    changes = [
        f"{return_obj} changes from {return_obj.get_status_display()} to Submitted and goes to its reviewers.",
        f"All {len(forms)} of its rows are sent as they stand on this page.",
    ]
    if changed:
        changes.append(f"{changed} row{'s' if changed != 1 else ''} you changed on this page will be saved first.")
    return Confirmation(
        title=f"Submit {return_obj}?",
        changes=changes,
        warning="After submitting you cannot change the return unless a reviewer sends it back.",
        button=f"Submit {return_obj}",
        cancel_url=return_obj.get_absolute_url(),
    )


class ReturnStepView(ReturnDetailView):
    """A reviewer's workflow step on a return (POST only), fired by ``return_transition``. Whose step it is
    comes first: someone who may not take it is refused (403) before the form is read, never asked to correct
    a comment they may not write. A missing comment shows the return page again with the error on the field."""

    http_method_names = ["post"]
    step = ""

    def post(self, request, pk):
        return_obj = _get_return(request, pk)
        if not may_fire(return_obj, self.step, request.user):
            raise PermissionDenied
        custom = declared(return_obj, self.step).custom
        comment = ""
        if "comment_label" in custom:
            form = CommentForm(data=request.POST, label=custom["comment_label"], auto_id=f"{self.step}-%s")
            if not form.is_valid() and any(
                step.name == self.step for step in transitions_for(return_obj, request.user)
            ):
                return self._render(request, return_obj, step_forms={self.step: form}, status=400)
            comment = form.cleaned_data["comment"] if form.is_valid() else ""
        try:
            return_obj = return_transition(return_obj=return_obj, step=self.step, user=request.user, comment=comment)
        except ReturnRefused as error:
            messages.error(request, error.message)
        else:
            messages.success(request, self.done_message(return_obj, custom))
        return HttpResponseRedirect(landing_after_step(request.user, return_obj))

    def done_message(self, return_obj: Return, custom: dict) -> str:
        if self.step == "send_back":
            return f"{return_obj} has been sent back to {return_obj.provider.name}."
        return f"{return_obj} has been {custom['done']}."


class ReturnAcceptView(ReturnStepView):
    step = "accept"


class ReturnSignOffView(ReturnStepView):
    step = "sign_off"


class ReturnSendBackView(ReturnStepView):
    step = "send_back"


class ReturnReopenView(ReturnStepView):
    step = "reopen"


class ReturnValidateView(ReturnDetailView):
    """A reviewer's verdicts (validated or challenged, with comments) on the return's ratings."""

    http_method_names = ["post"]

    def post(self, request, pk):
        return_obj = _get_return(request, pk)
        if not request.user.has_perm("performance.validate_results", return_obj):
            raise PermissionDenied
        results = list(return_results(return_obj))
        forms = [ValidationForm(data=request.POST, result=result, user=request.user) for result in results]
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
