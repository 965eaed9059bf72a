"""What the security tests share: a picture of everything the portal stores, to prove a refused request
changed nothing."""

import pytest
from django.apps import apps
from django.db import models

#: The apps whose data a request could change (the domain, and the users and their tokens).
DOMAIN_APPS = ("districts", "contracts", "performance", "vcsportal", "authtoken")


def database_state() -> dict[str, list[tuple]]:
    """Every row of every domain table (their history tables included), ordered by primary key, as plain
    tuples: two pictures are equal only if no row was added, removed or changed, and no history recorded."""
    state = {}
    for model in apps.get_models():
        if model._meta.app_label not in DOMAIN_APPS or model._meta.proxy:
            continue
        fields = [
            field.attname for field in model._meta.concrete_fields if not isinstance(field, models.ManyToManyField)
        ]
        if model._meta.label == "vcsportal.User":
            fields.remove("last_login")  # signing in is not a change to the data
        state[model._meta.label] = list(model._default_manager.order_by("pk").values_list(*fields))
        for field in model._meta.many_to_many:
            through = field.remote_field.through
            state[through._meta.label] = list(through._default_manager.order_by("pk").values_list())
    return state


def state_differences(before: dict, after: dict) -> list[str]:
    """The tables whose rows differ, each with how many rows it held before and after."""
    return [
        f"{label}: {len(before[label])} rows before, {len(after.get(label, []))} after"
        for label in before
        if before[label] != after.get(label)
    ]


@pytest.fixture
def unchanged(db):
    """``with unchanged(): ...`` fails the test if anything in the database differs after the block."""
    from contextlib import contextmanager

    @contextmanager
    def check():
        before = database_state()
        yield
        differences = state_differences(before, database_state())
        assert not differences, "the request changed the database:\n" + "\n".join(differences)

    return check
