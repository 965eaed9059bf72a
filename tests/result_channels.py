"""The channels that write a return's results, driven the way people and systems drive them: the return form (a
provider's staff, in the browser), the CSV upload (LCC's page), the API (a token), and the review's verdicts (a
reviewer, on the return page: validation and its comment only). Each takes one
row's values named as that channel names them and reports what came back, so a test can walk every field,
role and channel with one loop."""

from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from performance.forms import ResultRowForm, ValidationForm
from performance.imports import HEADER
from performance.models import Result, Return
from performance.policies import returns as return_policy
from performance.result_fields import ROW_CELLS, result_fields_writable, verdict_fields_writable
from tests.signin import signed_in
from vcsportal.api.serializers import ResultRowWriteSerializer

CHANNELS = ("form", "csv", "api")
#: Every channel that writes a result's fields: the three that write its figures, and the review.
WRITING_CHANNELS = (*CHANNELS, "review")

#: Each channel's names for a row's fields; the names that say which row it is; what each name writes.
CHANNEL_NAMES = {
    "form": tuple(ResultRowForm.base_fields),
    "csv": tuple(HEADER),
    "api": tuple(ResultRowWriteSerializer().fields),
    "review": tuple(ValidationForm.base_fields),
}
CHANNEL_KEYS = {
    "form": frozenset(),
    "csv": frozenset({"period", "provider", "indicator", "district"}),
    "api": frozenset({"indicator", "district"}),
    "review": frozenset(),
}
CHANNEL_FIELDS = {
    "form": {name: (name,) for name in ResultRowForm.base_fields},
    "csv": ROW_CELLS,
    "api": ROW_CELLS,
    "review": {name: (name,) for name in ValidationForm.base_fields},
}
#: What each channel lets a user write, from the declaration (performance.result_fields).
CHANNEL_WRITABLE = {
    "form": result_fields_writable,
    "csv": result_fields_writable,
    "api": result_fields_writable,
    "review": verdict_fields_writable,
}


def channel_open(channel: str, user, return_obj: Return) -> bool:
    """May the user write this return's results through the channel at all (the policies' answer)?"""
    if channel == "form":
        return return_policy.user_can(user, "edit", return_obj)
    if channel == "csv":
        return return_policy.user_can(user, "import")
    if channel == "review":
        return return_policy.user_can(user, "validate", return_obj)
    return return_policy.user_can(user, "write_results", return_obj)


@dataclass
class Answer:
    status: int
    #: Every message the channel gave, each with the field or column it names ("" when it names none).
    errors: list[tuple[str, str]]
    text: str

    @property
    def ok(self) -> bool:
        return self.status in (200, 302) and not self.errors


def write(channel: str, user, result: Result, values: dict) -> Answer:
    """Write ``values`` (channel names -> text; None for null) into ``result``'s row through ``channel`` as
    ``user``: the row's key is added by the channel's own convention."""
    return {"form": _form, "csv": _csv, "api": _api, "review": _review}[channel](user, result, values)


def _form(user, result: Result, values: dict, *, prefix="row", url="performance:return") -> Answer:
    return_obj = result.return_obj
    prefix = f"{prefix}-{result.pk}"
    data = {"version": str(return_obj.version)}
    data.update({f"{prefix}-{name}": "" if value is None else str(value) for name, value in values.items()})
    response = signed_in(user).post(reverse(url, args=[return_obj.pk]), data)
    text = response.content.decode() if response.status_code != 302 else ""
    context = getattr(response, "context", None)
    errors = []
    if context and context.get("forms"):  # the return form's rows, each error by its field ("__all__": the row's)
        for form in context["forms"]:
            errors += [(name, str(message)) for name, messages in form.errors.items() for message in messages]
    elif context:  # the review's verdicts: the page's error summary
        errors = [(anchor, str(message)) for anchor, message in context.get("error_summary") or []]
    return Answer(response.status_code, errors, text)


def _review(user, result: Result, values: dict) -> Answer:
    return _form(user, result, values, prefix="v", url="performance:return_validate")


def _csv(user, result: Result, values: dict) -> Answer:
    return_obj = result.return_obj
    extra = [name for name in values if name not in HEADER]
    cells = {
        "period": return_obj.period.label,
        "provider": return_obj.provider.code,
        "indicator": result.indicator.code,
        "district": result.district.slug if result.district_id else "",
    }
    cells.update({name: "" if value is None else str(value) for name, value in values.items()})
    header = [*HEADER, *extra]
    line = [cells.get(name, "") for name in header]
    text = ",".join(header) + "\n" + ",".join(_quoted(cell) for cell in line) + "\n"
    upload = SimpleUploadedFile("results.csv", text.encode(), content_type="text/csv")
    response = signed_in(user).post(reverse("performance:import"), {"file": upload})
    report = response.context.get("report") if getattr(response, "context", None) else None
    errors = (
        [(problem.column, f"line {problem.line}: {problem.message}") for problem in report.problems] if report else []
    )
    return Answer(response.status_code, errors, response.content.decode())


def _quoted(cell: str) -> str:
    return '"' + cell.replace('"', '""') + '"' if any(c in cell for c in ',"\n') else cell


def _api(user, result: Result, values: dict) -> Answer:
    return_obj = result.return_obj
    token, _ = Token.objects.get_or_create(user=user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    row = {"indicator": result.indicator.code, "district": result.district.slug if result.district_id else None}
    row.update(values)
    response = client.post(
        f"/api/returns/{return_obj.pk}/results/",
        {"version": return_obj.version, "results": [row]},
        format="json",
    )
    body = response.json() if response.headers.get("Content-Type", "").startswith("application/json") else {}
    errors = [(error["field"], error["message"]) for error in body.get("errors", [])]
    if response.status_code >= 400 and not errors:
        errors = [("", body.get("detail", ""))]
    return Answer(response.status_code, errors, response.content.decode())


def stored(return_obj: Return) -> tuple:
    """Everything a write could change: the return's version and status and every field of every row."""
    return_obj.refresh_from_db()
    fields = [field.attname for field in Result._meta.concrete_fields]
    return (
        return_obj.version,
        return_obj.status,
        list(Result.objects.filter(return_obj=return_obj).order_by("pk").values_list(*fields)),
    )
