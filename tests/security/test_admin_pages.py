"""Admin pages found broken by the URL walk, each kept working by a test of its own."""

import pytest
from django.urls import reverse

from tests.signin import signed_in
from vcsportal.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client():
    return signed_in(User.objects.create_superuser("admin.tester", "admin@example.org", "not-used-here"))


def test_the_contract_add_page_renders_with_no_reconciliation_yet(superuser_client):
    # It used to run range(start_year, end_year + 1) on the unsaved contract (both None): a 500.
    response = superuser_client.get(reverse("admin:contracts_contract_add"))
    assert response.status_code == 200
    assert "Reconciliation" in response.content.decode()


def test_the_contract_change_page_still_reconciles_each_year(superuser_client):
    from contracts.models import Contract

    contract = Contract.objects.get(reference="LCC-CIO-2009")
    page = superuser_client.get(reverse("admin:contracts_contract_change", args=[contract.pk])).content.decode()
    assert "2010/11: contributions £1,471,000.00" in page
