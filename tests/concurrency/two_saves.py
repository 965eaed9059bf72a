"""Run by tests/concurrency/test_sqlite_concurrent_saves.py in a process of its own, against the SQLite file
named by DATABASE_URL: load the data, then have two people save one return at the same moment, several
times, through the whole request stack in two threads. Prints each round's two statuses as JSON."""

import json
import os
import sys
import threading

import django


def main(rounds: int) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    from core.roles import Role
    from performance.models import Return
    from tests.performance.conftest import page_data, row_prefix
    from tests.signin import signed_in
    from vcsportal.demo import demo_users_create
    from vcsportal.leicestershire import load_leicestershire
    from vcsportal.models import User

    setup_test_environment()  # the test client's response.context, to read the form as a browser would
    call_command("migrate", verbosity=0)
    load_leicestershire()
    demo_users_create()
    hub = User.objects.get(username="vasl.hub")
    colleague = User.objects.create_user(
        "vasl.second",
        password="x",
        role=Role.PROVIDER_STAFF,
        organisation=hub.organisation,
        partnership=hub.partnership,
    )
    return_obj = Return.objects.get(provider__code="VASL", period__financial_year=2010, period__quarter=3)
    url = reverse("performance:return", args=[return_obj.pk])
    connection.close()

    results = []
    for round_number in range(rounds):
        barrier = threading.Barrier(2)
        statuses = {}

        def save(user, figure, round_number=round_number, barrier=barrier, statuses=statuses):
            client = signed_in(user)
            client.raise_request_exception = False
            page = client.get(url)
            data = page_data(page)
            data[f"{row_prefix(page, 'LOC-1')}-actual"] = str(figure)
            data[f"{row_prefix(page, 'LOC-1')}-narrative"] = f"round {round_number} by {user.username}"
            barrier.wait()
            statuses[user.username] = client.post(url, {**data, "save": "1"}).status_code
            connection.close()

        threads = [
            threading.Thread(target=save, args=(hub, 10 + round_number)),
            threading.Thread(target=save, args=(colleague, 20 + round_number)),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        results.append(sorted(statuses.values()))
    print(json.dumps(results))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
