"""A long return as a task list (GOV.UK's "complete multiple tasks"): its rows in short sections, by strand for
the countywide indicators and by district for the local ones; each section a page of its own, saved on its own
through the same form and service as the whole return (``ResultRowForm``, ``return_save``, with the same
refusal of a stale edit); a "check your answers" page, whose button submits the return.

A short return (a hub's five rows, an LRC's two) stays one page: it is one task already."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views import View

from contracts.models import Strand
from core.views import is_confirmed
from performance.forms import ResultRowForm, ReturnVersionForm
from performance.models import Result, Return
from performance.rag import row_label
from performance.selectors import previous_return_for, return_results
from performance.services import (
    ReturnRefused,
    ReturnRowsInvalid,
    StaleReturn,
    return_incomplete_rows,
    return_save,
    return_submit,
)

#: A return with more rows than this is a task list; fewer, one page.
TASK_LIST_FROM = 11
#: The most rows a section page holds (so a keyboard user meets at most about 70 tab stops on it).
SECTION_ROWS = 8


class Status:
    NOT_STARTED = "Not started"
    IN_PROGRESS = "In progress"
    COMPLETED = "Completed"
    HAS_ERRORS = "Has errors"


@dataclass
class Section:
    slug: str
    title: str
    rows: list[Result] = field(default_factory=list)
    status: str = Status.NOT_STARTED
    problems: dict = field(default_factory=dict)


def is_task_list(results) -> bool:
    return len(results) >= TASK_LIST_FROM


def _blank(result: Result) -> bool:
    return not result.rag and result.actual is None and not result.narrative.strip()


def return_sections(return_obj: Return, results: list[Result]) -> list[Section]:
    """The return's sections in reading order, each with its status: Not started (no row touched), Completed
    (every row ready to submit), Has errors (a row started but not yet complete), In progress (the rest)."""
    by_strand: dict[str, list[Result]] = {}
    by_district: dict[str, tuple[str, list[Result]]] = {}
    for result in results:
        if result.district_id:
            by_district.setdefault(result.district.slug, (result.district.name, []))[1].append(result)
        else:
            by_strand.setdefault(result.indicator.strand, []).append(result)
    sections = []
    for strand, label in Strand.choices:
        rows = by_strand.get(strand, [])
        parts = -(-len(rows) // SECTION_ROWS)  # as few pages as hold them, of even length
        size = -(-len(rows) // parts) if parts else 0
        chunks = [rows[i : i + size] for i in range(0, len(rows), size)] if size else []
        for number, chunk in enumerate(chunks, start=1):
            part = f" ({chunk[0].indicator.code} to {chunk[-1].indicator.code})" if len(chunks) > 1 else ""
            slug = strand if len(chunks) == 1 else f"{strand}-{number}"
            sections.append(Section(slug=slug, title=f"{label}{part}", rows=chunk))
    for slug, (name, rows) in sorted(by_district.items()):
        sections.append(Section(slug=slug, title=f"Local indicators in {name}", rows=rows))
    incomplete = return_incomplete_rows(return_obj)
    for section in sections:
        section.problems = {
            r.pk: incomplete[(r.indicator_id, r.district_id)]
            for r in section.rows
            if (r.indicator_id, r.district_id) in incomplete
        }
        if all(_blank(r) for r in section.rows):
            section.status = Status.NOT_STARTED
        elif not section.problems:
            section.status = Status.COMPLETED
        elif any(not _blank(r) for r in section.rows if r.pk in section.problems):
            section.status = Status.HAS_ERRORS
        else:
            section.status = Status.IN_PROGRESS
    return sections


def why_these_rows(return_obj: Return, results: list[Result]) -> str:
    """The sentence that says why the return has the rows it has."""
    countywide = sum(1 for r in results if not r.district_id)
    local = [r for r in results if r.district_id]
    districts = len({r.district_id for r in local})
    text = f"This return has {len(results)} rows: "
    parts = []
    if countywide:
        parts.append(f"{return_obj.provider.code}'s {countywide} countywide indicators")
    if local:
        per = len(local) // districts if districts else 0
        parts.append(
            f"the {per} local indicators for each of the {districts} districts "
            f"{return_obj.provider.code} reports for in {return_obj.period.label} ({len(local)} rows)"
        )
    return text + " and ".join(parts) + "."


def target_text(form: ResultRowForm) -> str:
    """The target as people need it ("Target 50, set by LCC"), or nothing where none is set."""
    if form.target is None:
        return ""
    value = f"{Decimal(form.target).normalize():f}"
    if form.target_scope == "this return":
        return f"Target {value}"
    parts = form.target_scope.split(", ")
    when = "for the year" if "annual" in parts else "for this quarter"
    # Where the target is this provider's or this district's own, say so; everyone's needs no words.
    whose = [part for part in parts if part not in ("annual", "all providers") and not part.startswith("Q")]
    return f"Target {value} {when}" + (f" ({', '.join(whose)})" if whose else "") + ", set by LCC"


def _previous_results(user, return_obj: Return) -> dict:
    previous = previous_return_for(user, return_obj)
    if previous is None:
        return {}
    return {
        (r.indicator_id, r.district_id): r
        for r in previous.results.select_related("indicator", "district", "return_obj__period")
    }


def _get_editable(request, pk) -> tuple[Return, list[Result]]:
    # Imported here: the return views' own helpers (who may edit), shared so the rule is one.
    from performance.views.returns import _can_edit, _get_return

    return_obj = _get_return(request, pk)
    if not _can_edit(request.user, return_obj):
        raise PermissionDenied
    results = list(return_results(return_obj))
    if not is_task_list(results):
        raise Http404("This return is one page: fill it in there.")
    return return_obj, results


def _section(return_obj, results, slug) -> tuple[list[Section], Section]:
    sections = return_sections(return_obj, results)
    for section in sections:
        if section.slug == slug:
            return sections, section
    raise Http404("No such section")


def _row_forms(return_obj, rows, data=None, user=None) -> list[ResultRowForm]:
    """The return page's own row forms (one place builds them: targets, the role's field rules)."""
    from performance.views.returns import _row_forms as row_forms

    return row_forms(return_obj, rows, data=data, user=user)


class ReturnSectionView(View):
    """One section of a long return: its rows, each beside last quarter's, saved on their own."""

    template_name = "performance/return_section.html"

    def get(self, request, pk, section):
        return_obj, results = _get_editable(request, pk)
        sections, current = _section(return_obj, results, section)
        return self._render(
            request, return_obj, sections, current, _row_forms(return_obj, current.rows, user=request.user)
        )

    def _render(self, request, return_obj, sections, current, forms, *, version_form=None, stale=None, status=200):
        previous = _previous_results(request.user, return_obj)
        for form in forms:
            form.describe_errors()
            form.previous = previous.get((form.result.indicator_id, form.result.district_id))
            form.target_text = target_text(form)
        index = sections.index(current)
        context = {
            "return": return_obj,
            "section": current,
            "forms": forms,
            "position": index + 1,
            "count": len(sections),
            "next_section": sections[index + 1] if index + 1 < len(sections) else None,
            "version_form": version_form or ReturnVersionForm(initial={"version": return_obj.version}),
            "stale": stale,
            "error_summary": [
                (form[name].auto_id if name in form.fields else f"row-{form.result.pk}", message)
                for form in forms
                for name, errors in form.errors.items()
                for message in errors
            ],
        }
        return render(request, self.template_name, context, status=status)

    def post(self, request, pk, section):
        return_obj, results = _get_editable(request, pk)
        sections, current = _section(return_obj, results, section)
        data = request.POST.copy()
        # "Start from last quarter's narrative", ticked: last quarter's words where the narrative is left empty.
        previous = _previous_results(request.user, return_obj)
        for result in current.rows:
            earlier = previous.get((result.indicator_id, result.district_id))
            narrative = f"row-{result.pk}-narrative"
            if data.get(f"use_previous-{result.pk}") and earlier is not None and not data.get(narrative, "").strip():
                data[narrative] = earlier.narrative
        forms = _row_forms(return_obj, current.rows, data=data, user=request.user)
        version_form = ReturnVersionForm(data=data)
        if not (version_form.is_valid() & all([form.is_valid() for form in forms])):
            return self._render(request, return_obj, sections, current, forms, version_form=version_form, status=400)
        entries = {
            (form.result.indicator_id, form.result.district_id): form.entry() for form in forms if form.has_changed()
        }
        try:
            return_save(
                return_obj=return_obj,
                user=request.user,
                version=version_form.cleaned_data["version"],
                entries=entries,
                reason=f"Saved: {current.title}",
            )
        except StaleReturn as error:
            return_obj.refresh_from_db()
            fresh = {r.pk: r for r in return_results(return_obj)}
            kept = [
                form if form.has_changed() else _row_forms(return_obj, [fresh[form.result.pk]], user=request.user)[0]
                for form in forms
            ]
            version_form = ReturnVersionForm(initial={"version": error.current_version})
            return self._render(
                request, return_obj, sections, current, kept, version_form=version_form, stale=error, status=409
            )
        except ReturnRowsInvalid as error:
            by_key = {(form.result.indicator_id, form.result.district_id): form for form in forms}
            for key, row_errors in error.errors.items():
                if key in by_key:
                    by_key[key].add_row_errors(row_errors)
            return self._render(request, return_obj, sections, current, forms, version_form=version_form, status=400)
        except ReturnRefused as error:
            messages.error(request, error.message)
            return HttpResponseRedirect(return_obj.get_absolute_url())
        messages.success(request, f"{current.title}: saved.")
        if "next" in request.POST and current is not sections[-1]:
            return HttpResponseRedirect(section_url(return_obj, sections[sections.index(current) + 1]))
        return HttpResponseRedirect(return_obj.get_absolute_url())


def section_url(return_obj: Return, section: Section) -> str:
    return reverse("performance:return_section", kwargs={"pk": return_obj.pk, "section": section.slug})


class ReturnCheckView(View):
    """Check your answers: every row as it stands, with a change link for each; its button submits the
    return (``irreversible``: the page itself is the confirmation, and only its confirming POST submits)."""

    template_name = "performance/return_check.html"
    irreversible = True

    def get(self, request, pk):
        return_obj, results = _get_editable(request, pk)
        return self._render(request, return_obj, results)

    def _render(self, request, return_obj, results, *, errors=None, status=200):
        sections = return_sections(return_obj, results)
        for section in sections:
            section.url = section_url(return_obj, section)
            # Beside its row, a problem need not name the row again.
            for result in section.rows:
                label = f"{row_label(result.indicator, result.district)}: "
                section.problems.setdefault(result.pk, {})
                result.problems = [m.removeprefix(label) for m in section.problems[result.pk].values()]
        summary = [
            (f"check-{result.pk}", message)
            for section in sections
            for result in section.rows
            for message in section.problems.get(result.pk, {}).values()
        ]
        context = {
            "return": return_obj,
            "sections": sections,
            "incomplete": summary,
            "error_summary": summary if errors else [],
            "refusal": errors,
            "version": return_obj.version,
        }
        return render(request, self.template_name, context, status=status)

    def post(self, request, pk):
        return_obj, results = _get_editable(request, pk)
        if not is_confirmed(request):
            return self._render(request, return_obj, results)
        version = request.POST.get("version", "")
        try:
            return_submit(
                return_obj=return_obj,
                user=request.user,
                version=int(version) if version.isdigit() else -1,
            )
        except StaleReturn as error:
            messages.error(request, error.message)
            return HttpResponseRedirect(reverse("performance:return_check", kwargs={"pk": return_obj.pk}))
        except ReturnRowsInvalid as error:
            return self._render(request, return_obj, results, errors=error.message, status=400)
        except ReturnRefused as error:
            messages.error(request, error.message)
            return HttpResponseRedirect(return_obj.get_absolute_url())
        messages.success(request, f"{return_obj} has been submitted.")
        return HttpResponseRedirect(return_obj.get_absolute_url())


def task_list_context(request, return_obj: Return, results: list[Result]) -> dict:
    """What the return page shows instead of one long form: the sections with their statuses."""
    sections = return_sections(return_obj, results)
    for section in sections:
        section.url = section_url(return_obj, section)
    return {
        "task_sections": sections,
        "why_rows": why_these_rows(return_obj, results),
        "completed": sum(1 for s in sections if s.status == Status.COMPLETED),
        "check_url": reverse("performance:return_check", kwargs={"pk": return_obj.pk}),
    }
