"""The replica router's decisions, on any database: which reads may go to a replica, and which never do.

These need no replica (the router is asked, not used); test_streaming_replica.py runs the same rules against a
real PostgreSQL standby. The list of views whose reads may lag is generated from the URLconf, so a new view
is on the primary unless it says otherwise, and a view that says so is listed here on purpose.
"""

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import Group, Permission
from django.contrib.sessions.models import Session
from django.db import transaction
from django.http import HttpResponse, StreamingHttpResponse
from django.template import engines
from django.template.response import TemplateResponse
from django.test import RequestFactory
from rest_framework.authtoken.models import Token

from contracts.models import Contract, Organisation
from core.replicas import ReadsMayLagMixin, lagging_reads, pinned_to_primary, reading_may_lag, reads_may_lag
from performance.models import Indicator, Result, Return
from tests.security.test_url_walk import url_endpoints
from vcsportal.db_routing import PIN_COOKIE, PrimaryAfterWriteMiddleware, ReplicaRouter
from vcsportal.models import User

router = ReplicaRouter()
DOMAIN_MODELS = [Result, Return, Indicator, Organisation, Contract]
SIGN_IN_MODELS = [User, Group, Permission, Session, Token, AccessAttempt]

#: The pages whose reads may lag a moment: published figures, never the page someone has just saved.
LAGGING_PAGES = {
    "performance:dashboard",
    "performance:dashboard_providers",
    "performance:dashboard_change",
    "performance:dashboard_localities",
    "performance:dashboard_export",
    "performance:indicator",
    "performance:indicator_export",
    "performance:indicators",
    "api:summary",
    "reports:index",
    "reports:pack",
    "reports:pack_pdf",
    "national:comparison",  # every partnership's signed-off figures, published
}


@pytest.fixture
def with_replica(settings):
    settings.READ_REPLICA = "replica"
    return settings


def test_without_a_replica_the_router_leaves_every_choice_to_django(settings):
    settings.READ_REPLICA = None
    with lagging_reads():
        for model in DOMAIN_MODELS + SIGN_IN_MODELS:
            assert router.db_for_read(model) is None
            assert router.db_for_write(model) is None
    assert router.allow_migrate("default", "performance") is None


def test_reads_go_to_the_primary_unless_the_code_says_they_may_lag(with_replica):
    assert not reading_may_lag()
    assert {router.db_for_read(model) for model in DOMAIN_MODELS} == {"default"}
    with lagging_reads():
        assert reading_may_lag()
        assert {router.db_for_read(model) for model in DOMAIN_MODELS} == {"replica"}
    assert not reading_may_lag()


def test_sign_in_sessions_and_throttling_are_always_read_on_the_primary(with_replica):
    with lagging_reads():
        for model in SIGN_IN_MODELS:
            assert router.db_for_read(model) == "default", model


def test_writes_and_migrations_go_to_the_primary_only(with_replica):
    with lagging_reads():
        for model in DOMAIN_MODELS + SIGN_IN_MODELS:
            assert router.db_for_write(model) == "default"
    assert router.allow_migrate("default", "performance") is True
    assert router.allow_migrate("replica", "performance") is False


@pytest.mark.django_db(transaction=True)
def test_reads_inside_a_transaction_stay_with_its_writes_on_the_primary(with_replica):
    with lagging_reads():
        assert router.db_for_read(Result) == "replica"
        with transaction.atomic():
            assert router.db_for_read(Result) == "default"


def test_the_decorator_covers_the_template_rendering_and_every_streamed_chunk():
    seen = []

    def template_view(request):
        template = engines["django"].from_string("{{ probe }}")
        return TemplateResponse(request, template, {"probe": lambda: seen.append(("render", reading_may_lag()))})

    def streaming_view(request):
        def chunks():
            for n in range(3):
                seen.append((f"chunk {n}", reading_may_lag()))
                yield b"x"

        return StreamingHttpResponse(chunks())

    request = RequestFactory().get("/")
    response = reads_may_lag(template_view)(request)
    assert response.is_rendered and seen == [("render", True)]
    assert not reading_may_lag()
    seen.clear()
    response = reads_may_lag(streaming_view)(request)
    assert seen == []  # nothing is read until the server streams it
    assert b"".join(response.streaming_content) == b"xxx"
    assert seen == [("chunk 0", True), ("chunk 1", True), ("chunk 2", True)]
    assert not reading_may_lag()


def test_a_browser_that_has_just_written_reads_the_primary_even_where_reads_may_lag(with_replica):
    seen = {}

    @reads_may_lag
    def view(request):
        seen["lagging"] = reading_may_lag()
        seen["pinned"] = pinned_to_primary(request)
        return HttpResponse("ok")

    middleware = PrimaryAfterWriteMiddleware(view)
    factory = RequestFactory()
    response = middleware(factory.get("/dashboard/"))
    assert seen == {"lagging": True, "pinned": False}
    assert PIN_COOKIE not in response.cookies

    response = middleware(factory.post("/returns/1/"))
    cookie = response.cookies[PIN_COOKIE]
    assert cookie["max-age"] == with_replica.READ_REPLICA_PIN_SECONDS
    assert cookie["httponly"] and cookie["samesite"] == "Lax"

    request = factory.get("/dashboard/")
    request.COOKIES[PIN_COOKIE] = "1"
    middleware(request)
    assert seen == {"lagging": False, "pinned": True}


def test_without_a_replica_no_pin_cookie_is_ever_set(settings):
    settings.READ_REPLICA = None
    response = PrimaryAfterWriteMiddleware(lambda request: HttpResponse("ok"))(RequestFactory().post("/"))
    assert PIN_COOKIE not in response.cookies


def _view_reads_may_lag(endpoint) -> bool:
    callback = endpoint.callback
    view_class = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
    if view_class is None:
        return getattr(callback, "reads_may_lag", False)
    if issubclass(view_class, ReadsMayLagMixin):
        return True
    actions = getattr(callback, "actions", None) or {"get": "get"}
    return any(getattr(getattr(view_class, action, None), "reads_may_lag", False) for action in actions.values())


def test_exactly_the_published_figures_and_the_api_lists_may_be_read_from_a_replica():
    endpoints = url_endpoints()
    lagging = {endpoint.name for endpoint in endpoints if _view_reads_may_lag(endpoint)}
    api_lists = {e.name for e in endpoints if e.name and e.name.startswith("api:") and e.name.endswith("-list")}
    assert api_lists, "the API's list views were not found"
    assert lagging == LAGGING_PAGES | api_lists
    assert "performance:return" not in lagging


def test_no_view_whose_reads_may_lag_takes_a_write():
    for endpoint in url_endpoints():
        if not _view_reads_may_lag(endpoint):
            continue
        callback = endpoint.callback
        actions = getattr(callback, "actions", None)
        if actions is not None:
            assert set(actions) <= {"get", "head", "options"}, endpoint
        else:
            view_class = callback.view_class
            assert not any(hasattr(view_class, method) for method in ("post", "put", "patch", "delete")), endpoint
