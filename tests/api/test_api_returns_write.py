"""POST /api/returns/{id}/results/: a provider's system writes a return's results through the same row
reader and services as the CSV import, with the same refusals; and a return submitted through the API is
identical, row for row and history entry for history entry, to the same return submitted by CSV import."""

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client

from performance.imports import returns_import
from performance.models import Result, Return
from vcsportal.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def vasl_q3():
    return Return.objects.get(provider__code="VASL", period__financial_year=2010, period__quarter=3)


def url(return_obj) -> str:
    return f"/api/returns/{return_obj.pk}/results/"


def row(indicator, **values) -> dict:
    return {"indicator": indicator, "district": None, "rag": "", "actual": None, "target": None, **values}


#: VASL's 2010/11 Q3 return, complete: a rating from figures, an override with its reason, not reported for
#: a listed reason and for an other reason, and a blank rating that takes the one its figures give.
COMPLETE_ROWS = [
    row("LOC-1", rag="green", actual="120", narrative="Enquiries up, after the autumn fair"),
    row("LOC-2", rag="green", actual="45", target="50", reason="Two late placements count next quarter"),
    row("LOC-3", rag="not_reported", reason="data_not_yet_available"),
    row("LOC-4", rag="not_reported", reason="Worker on leave all quarter"),
    row("LOC-5", actual="7", target="8", narrative="Seven new groups"),
]
COMPLETE_CSV = (
    "period,provider,indicator,district,rag,actual,target,reason,narrative\n"
    '2010/11 Q3,VASL,LOC-1,,green,120,,,"Enquiries up, after the autumn fair"\n'
    "2010/11 Q3,VASL,LOC-2,,green,45,50,Two late placements count next quarter,\n"
    "2010/11 Q3,VASL,LOC-3,,not_reported,,,data_not_yet_available,\n"
    "2010/11 Q3,VASL,LOC-4,,not_reported,,,Worker on leave all quarter,\n"
    "2010/11 Q3,VASL,LOC-5,,,7,8,,Seven new groups\n"
)
#: The same return as a provider's staff give it: with no target of their own (only LCC may set one), so each
#: row takes the targets table's, and the rows without one are rated by hand with a narrative.
HUB_ROWS = [
    row("LOC-1", rag="green", actual="120", narrative="Enquiries up, after the autumn fair"),
    row("LOC-2", rag="green", actual="45", narrative="Two late placements count next quarter"),
    row("LOC-3", rag="not_reported", reason="data_not_yet_available"),
    row("LOC-4", rag="not_reported", reason="Worker on leave all quarter"),
    row("LOC-5", rag="red", actual="7", narrative="Seven new groups"),
]
HUB_CSV = (
    "period,provider,indicator,district,rag,actual,target,reason,narrative\n"
    '2010/11 Q3,VASL,LOC-1,,green,120,,,"Enquiries up, after the autumn fair"\n'
    "2010/11 Q3,VASL,LOC-2,,green,45,,,Two late placements count next quarter\n"
    "2010/11 Q3,VASL,LOC-3,,not_reported,,,data_not_yet_available,\n"
    "2010/11 Q3,VASL,LOC-4,,not_reported,,,Worker on leave all quarter,\n"
    "2010/11 Q3,VASL,LOC-5,,red,7,,,Seven new groups\n"
)

RESULT_FIELDS = [
    "rag",
    "computed_rag",
    "rag_override_reason",
    "not_reported_reason",
    "not_reported_other",
    "actual",
    "target",
    "narrative",
    "evidence_url",
    "validation",
    "validation_comment",
]
RETURN_FIELDS = ["status", "version", "review_comment", "reopened_after_lock", "updated_by_id"]


def snapshot(return_obj: Return, since: dict) -> dict:
    """Everything that matters about the return after a write: its rows, and every history entry written
    since ``since`` (type, reason, user, the fields it changed and their values), without ids or times."""
    return_obj.refresh_from_db()

    def entries(records, fields, label):
        out = []
        for record in records:
            previous = record.prev_record
            changed = sorted(c.field for c in record.diff_against(previous).changes) if previous else None
            out.append(
                {
                    "what": label(record),
                    "type": record.history_type,
                    "reason": record.history_change_reason,
                    "user": record.history_user.username if record.history_user else None,
                    "changed": changed,
                    "values": {name: getattr(record, name) for name in fields},
                }
            )
        return out

    return {
        "return": {name: getattr(return_obj, name) for name in RETURN_FIELDS},
        "submitted": return_obj.submitted_at is not None,
        "rows": [
            {
                "indicator": r.indicator.code,
                "district": r.district_id,
                **{name: getattr(r, name) for name in RESULT_FIELDS},
            }
            for r in return_obj.results.select_related("indicator").order_by("indicator__code", "district_id")
        ],
        "return_history": entries(
            return_obj.history.filter(history_id__gt=since["return"]).order_by("history_id"),
            RETURN_FIELDS,
            lambda record: "Return",
        ),
        "result_history": entries(
            Result.history.filter(return_obj_id=return_obj.pk, history_id__gt=since["result"])
            .select_related("indicator")
            .order_by("indicator__code", "history_id"),
            RESULT_FIELDS,
            lambda record: record.indicator.code,
        ),
    }


def history_marks(return_obj) -> dict:
    last = return_obj.history.order_by("-history_id").first()
    last_result = Result.history.order_by("-history_id").first()
    return {"return": last.history_id, "result": last_result.history_id if last_result else 0}


def submitted_on_a_fresh_state(return_obj, submit) -> dict:
    """Run ``submit`` and snapshot the return, then undo it all (a savepoint), so the next path starts from
    exactly the same state."""
    since = history_marks(return_obj)
    with transaction.atomic():
        submit()
        taken = snapshot(return_obj, since)
        transaction.set_rollback(True)
    return_obj.refresh_from_db()
    return taken


def test_a_return_submitted_through_the_api_is_identical_to_the_csv_import(vasl_q3, token_client):
    """The Done-when line. Same user both ways (an LCC officer, who may use both the CSV upload and the API
    on a hub's return), same rows, same history entries. The one difference is by design: the save step's
    reason names its channel ("CSV import" / "API import"); the submission's is "Submitted" both ways."""
    officer = User.objects.get(username="lcc.officer")
    before = snapshot(vasl_q3, history_marks(vasl_q3))

    def by_csv():
        report = returns_import(data=COMPLETE_CSV.encode(), user=officer, submit=True)
        assert report.ok, [str(p) for p in report.problems]
        assert report.created == 0 and report.updated == 5

    def by_api():
        response = token_client("lcc.officer").post(
            url(vasl_q3), {"version": vasl_q3.version, "submit": True, "results": COMPLETE_ROWS}, format="json"
        )
        assert response.status_code == 200, response.content
        assert response.json() == {
            "id": vasl_q3.pk,
            "status": "submitted",
            "version": vasl_q3.version + 2,
            "created": 0,
            "updated": 5,
            "unchanged": 0,
            "submitted": True,
        }

    csv = submitted_on_a_fresh_state(vasl_q3, by_csv)
    assert snapshot(vasl_q3, history_marks(vasl_q3))["rows"] == before["rows"]  # the savepoint undid it
    api = submitted_on_a_fresh_state(vasl_q3, by_api)

    assert csv["return"]["status"] == "submitted" and csv["submitted"]
    assert csv["rows"] != before["rows"]
    assert api["rows"] == csv["rows"]
    assert api["return"] == csv["return"]
    assert api["submitted"] == csv["submitted"]
    # Five rows changed once each; the return saved then submitted.
    assert len(csv["result_history"]) == 5 and len(csv["return_history"]) == 2
    assert [e["reason"] for e in csv["return_history"]] == ["CSV import", "Submitted"]
    assert [e["reason"] for e in api["return_history"]] == ["API import", "Submitted"]
    assert {e["reason"] for e in api["result_history"]} == {"API import"}
    channel = {"API import": "CSV import"}
    for entries in (api["return_history"], api["result_history"]):
        for entry in entries:
            entry["reason"] = channel.get(entry["reason"], entry["reason"])
    assert api["result_history"] == csv["result_history"]
    assert api["return_history"] == csv["return_history"]
    assert {e["user"] for e in csv["result_history"] + csv["return_history"]} == {"lcc.officer"}
    rows = {r["indicator"]: r for r in api["rows"]}
    assert (rows["LOC-2"]["rag"], rows["LOC-2"]["computed_rag"]) == ("green", "amber")
    assert rows["LOC-4"]["not_reported_reason"] == "other"
    assert rows["LOC-4"]["not_reported_other"] == "Worker on leave all quarter"
    assert rows["LOC-5"]["rag"] == "red"


def test_a_hubs_own_api_submission_matches_the_import_command(vasl_q3, token_client, tmp_path):
    """The provider's own path (the form's permission) against ``import_returns --submit`` run by an operator:
    the same rows and the same history, apart from who (the hub's user; the command's operator is nobody)
    and the save step's reason, which names its channel."""
    csv_file = tmp_path / "vasl.csv"
    csv_file.write_text(HUB_CSV, encoding="utf-8")

    def by_command():
        call_command("import_returns", str(csv_file), "--submit", stdout=None)

    def by_api():
        response = token_client("vasl.hub").post(
            url(vasl_q3), {"version": vasl_q3.version, "submit": True, "results": HUB_ROWS}, format="json"
        )
        assert response.status_code == 200, response.content

    command = submitted_on_a_fresh_state(vasl_q3, by_command)
    api = submitted_on_a_fresh_state(vasl_q3, by_api)
    hub = User.objects.get(username="vasl.hub")
    assert api["rows"] == command["rows"]
    assert {e["user"] for e in command["return_history"] + command["result_history"]} == {None}
    assert {e["user"] for e in api["return_history"] + api["result_history"]} == {"vasl.hub"}
    assert api["return"]["updated_by_id"] == hub.pk
    for taken in (command, api):
        taken["return"].pop("updated_by_id")
        for entry in taken["return_history"] + taken["result_history"]:
            entry["user"] = None
            entry["reason"] = {"API import": "CSV import"}.get(entry["reason"], entry["reason"])
            entry["values"].pop("updated_by_id", None)
            if entry["changed"]:
                entry["changed"] = [name for name in entry["changed"] if name != "updated_by"]
    assert api == command


def test_a_hub_saves_its_own_draft(vasl_q3, token_client):
    response = token_client("vasl.hub").post(
        url(vasl_q3),
        {"version": vasl_q3.version, "results": [row("LOC-1", rag="green", actual=120, narrative="Up")]},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["updated"] == 1
    assert response.json()["version"] == vasl_q3.version + 1
    assert response.json()["status"] == "draft"
    result = vasl_q3.results.get(indicator__code="LOC-1")
    assert (result.rag, str(result.actual), result.narrative) == ("green", "120.00", "Up")
    record = result.history.latest()
    assert (record.history_change_reason, record.history_user.username) == ("API import", "vasl.hub")


def test_bad_rows_are_named_and_nothing_is_saved(vasl_q3, token_client):
    response = token_client("vasl.hub").post(
        url(vasl_q3),
        {
            "version": vasl_q3.version,
            "results": [
                row("LOC-1", rag="green", actual="120"),
                row("LOC-9", rag="green"),
                row("LOC-2", rag="purple", actual="twelve"),
                row("LOC-3", evidence_url="ftp://example.org"),
            ],
        },
        format="json",
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert {(e["row"], e["indicator"], e["field"]) for e in errors} == {
        (1, "LOC-9", "indicator"),
        (2, "LOC-2", "rag"),
        (2, "LOC-2", "actual"),
    }
    messages = {e["field"]: e["message"] for e in errors}
    # The CSV import's own words.
    assert messages["indicator"] == "unknown indicator code “LOC-9”"
    assert messages["rag"] == "“purple” is not a rating: use red, amber, green or not_reported"
    assert "is not a number: write it like 42 or 12.5" in messages["actual"]
    assert vasl_q3.results.get(indicator__code="LOC-1").rag == ""

    # Rows the reader accepts but the rules refuse come back from the services, named the same way (from an LCC
    # officer, who alone may give a row its own target).
    response = token_client("lcc.officer").post(
        url(vasl_q3),
        {
            "version": vasl_q3.version,
            "results": [
                row("LOC-1", rag="green", actual="120"),
                row("LOC-2", rag="green", actual="10", target="50"),
                row("LOC-3", rag="not_reported"),
                row("LOC-4", evidence_url="ftp://example.org"),
            ],
        },
        format="json",
    )
    assert response.status_code == 400
    errors = {(e["row"], e["indicator"], e["field"]): e["message"] for e in response.json()["errors"]}
    assert errors == {
        (1, "LOC-2", "reason"): "LOC-2 volunteers placed: the figures rate red; write why you rate it green instead",
        (2, "LOC-3", "reason"): errors[(2, "LOC-3", "reason")],
        (3, "LOC-4", "evidence_url"): errors[(3, "LOC-4", "evidence_url")],
    }
    assert "say why it is not reported" in errors[(2, "LOC-3", "reason")]
    assert "starting https://" in errors[(3, "LOC-4", "evidence_url")]
    vasl_q3.refresh_from_db()
    assert vasl_q3.version == 1
    assert vasl_q3.results.get(indicator__code="LOC-1").rag == ""


def test_a_duplicate_row_and_a_malformed_body_are_refused(vasl_q3, token_client):
    client = token_client("vasl.hub")
    response = client.post(
        url(vasl_q3), {"version": 1, "results": [row("LOC-1"), row("LOC-1", rag="red")]}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "row": 1,
            "indicator": "LOC-1",
            "district": None,
            "field": "indicator",
            "message": "duplicate row: row 0 already gives LOC-1",
        }
    ]
    response = client.post(url(vasl_q3), {"results": [{"rag": True}]}, format="json")
    assert response.status_code == 400
    fields = {(e["row"], e["field"]) for e in response.json()["errors"]}
    assert fields == {(None, "version"), (0, "indicator"), (0, "rag")}


def test_a_stale_version_is_refused_with_what_changed(vasl_q3, token_client):
    client = token_client("vasl.hub")
    first = client.post(url(vasl_q3), {"version": 1, "results": [row("LOC-1", rag="green")]}, format="json")
    assert first.status_code == 200
    response = client.post(url(vasl_q3), {"version": 1, "results": [row("LOC-1", rag="red")]}, format="json")
    assert response.status_code == 409
    body = response.json()
    assert body["current_version"] == 2
    assert "you had version 1, it is now version 2" in body["detail"]
    assert any(entry["what"] == "LOC-1" and entry["why"] == "API import" for entry in body["changes"])
    assert vasl_q3.results.get(indicator__code="LOC-1").rag == "green"


def test_submit_refuses_an_incomplete_return_and_saves_nothing(vasl_q3, token_client):
    response = token_client("vasl.hub").post(
        url(vasl_q3),
        {"version": 1, "submit": True, "results": [row("LOC-1", rag="green", actual="3", narrative="Fine")]},
        format="json",
    )
    assert response.status_code == 400
    body = response.json()
    assert "cannot be submitted until every row is complete" in body["detail"]
    # The rows the request did not give are named by indicator, with no position.
    assert {(e["row"], e["indicator"]) for e in body["errors"]} == {
        (None, "LOC-2"),
        (None, "LOC-3"),
        (None, "LOC-4"),
        (None, "LOC-5"),
    }
    vasl_q3.refresh_from_db()
    assert (vasl_q3.status, vasl_q3.version) == ("draft", 1)
    assert vasl_q3.results.get(indicator__code="LOC-1").rag == ""


def test_a_hub_submits_and_then_may_not_change_it(vasl_q3, token_client):
    client = token_client("vasl.hub")
    response = client.post(url(vasl_q3), {"version": 1, "submit": True, "results": HUB_ROWS}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "submitted"
    assert [r.history_change_reason for r in vasl_q3.history.order_by("-history_id")[:2]] == ["Submitted", "API import"]
    again = client.post(url(vasl_q3), {"version": 3, "results": [row("LOC-1", rag="red")]}, format="json")
    assert again.status_code == 409
    assert "is submitted" in again.json()["detail"]


def test_who_may_write(vasl_q3, token_client):
    body = {"version": 1, "results": [row("LOC-1", rag="green")]}
    # Funders and the Peer Review Body never write, whatever the id (even one that does not exist).
    for username in ("funder.reviewer", "peer.reviewer"):
        assert token_client(username).post(url(vasl_q3), body, format="json").status_code == 403
        assert token_client(username).post("/api/returns/999999/results/", body, format="json").status_code == 403
    # Another hub cannot see VASL's draft at all: 404, as for an id that does not exist.
    assert token_client("vac.hub").post(url(vasl_q3), body, format="json").status_code == 404
    assert token_client("vasl.hub").post("/api/returns/999999/results/", body, format="json").status_code == 404
    # The CIO sees a hub's return once submitted, but may not write into it.
    submitted = Return.objects.get(provider__code="VASL", period__financial_year=2010, period__quarter=2)
    assert token_client("val.staff").get(f"/api/returns/{submitted.pk}/").status_code == 200
    assert token_client("val.staff").post(url(submitted), body, format="json").status_code == 403
    assert token_client("val.staff").post(url(vasl_q3), body, format="json").status_code == 404
    # No credentials: 401.
    assert Client().post(url(vasl_q3), body, content_type="application/json").status_code == 401
    vasl_q3.refresh_from_db()
    assert vasl_q3.version == 1


def test_a_signed_in_session_needs_csrf_a_token_does_not(vasl_q3, token_client):
    session = Client(enforce_csrf_checks=True)
    session.force_login(User.objects.get(username="vasl.hub"))
    body = {"version": 1, "results": [row("LOC-1", rag="green")]}
    refused = session.post(url(vasl_q3), body, content_type="application/json")
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]
    session.get("/")  # the home page sets the CSRF cookie
    accepted = session.post(
        url(vasl_q3), body, content_type="application/json", HTTP_X_CSRFTOKEN=session.cookies["csrftoken"].value
    )
    assert accepted.status_code == 200, accepted.content
    # The token client sends no CSRF token at all (token_client's APIClient enforces CSRF like a browser would not
    # need to: tokens are exempt).
    assert token_client("vasl.hub").post(url(vasl_q3), {**body, "version": 2}, format="json").status_code == 200


def test_documented_in_the_schema(token_client):
    schema = token_client("funder.reviewer").get("/api/schema/", HTTP_ACCEPT="application/json").json()
    operation = schema["paths"]["/api/returns/{id}/results/"]["post"]
    request = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    assert request.endswith("/ReturnResultsWriteRequest")
    assert set(operation["responses"]) >= {"200", "400", "401", "403", "404", "409"}
    row_schema = schema["components"]["schemas"]["ResultRowWriteRequest"]["properties"]
    assert set(row_schema) == {
        "indicator",
        "district",
        "rag",
        "actual",
        "target",
        "reason",
        "narrative",
        "evidence_url",
    }
