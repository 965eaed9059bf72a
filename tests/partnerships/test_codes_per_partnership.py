"""Provider and funder codes are unique within a partnership, not across them (issue 15): another council may
have its own "VASL" or "LCC"; wherever a Leicestershire person names a provider by its code (the dashboard's
provider filter, the API's provider URL, a targets file), it is Leicestershire's."""

import io

import pytest
import tablib
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse

from contracts.models import Funder, Organisation
from districts.models import County
from performance.framework import targets_import
from performance.models import Indicator, Target
from vcsportal.models import User

pytestmark = pytest.mark.django_db

OTHER = "synthetic-001"


@pytest.fixture
def other_vasl():
    """The synthetic council with a hub of its own called VASL and a funder called LCC."""
    call_command("generate_synthetic", councils=1, seed=1, stdout=io.StringIO())
    county = County.objects.get(slug=OTHER)
    Funder.objects.create(code="LCC", name="Synthetic County Council (as LCC)", kind="county_council", county=county)
    return Organisation.objects.create(
        code="VASL",
        name="Synthetic Hub called VASL",
        kind=Organisation.Kind.HUB,
        county=county,
        district=county.districts.order_by("slug").first(),
    )


def test_two_partnerships_may_share_a_code_but_one_partnership_may_not_repeat_it(other_vasl):
    assert Organisation.objects.filter(code="VASL").count() == 2
    assert Funder.objects.filter(code="LCC").count() == 2
    with pytest.raises(IntegrityError), transaction.atomic():
        Organisation.objects.create(
            code="VASL", name="A second VASL", kind=Organisation.Kind.HUB, county=other_vasl.county,
            district=other_vasl.district,
        )  # fmt: skip
    with pytest.raises(IntegrityError), transaction.atomic():
        Funder.objects.create(code="LCC", name="A second LCC", kind="county_council", county=other_vasl.county)


def test_the_dashboard_filter_names_the_users_own_provider(other_vasl, lcc_client):
    response = lcc_client.get(reverse("performance:dashboard_providers") + "?period=2010-11-q2&provider=VASL")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Voluntary Action South Leicestershire" in page and other_vasl.name not in page


def test_the_api_names_the_users_own_provider(other_vasl, lcc_client):
    response = lcc_client.get(reverse("api:provider-detail", kwargs={"code": "VASL"}))
    assert response.status_code == 200
    assert response.json()["name"] == Organisation.objects.get(code="VASL", county__slug="leicestershire").name


def test_a_targets_file_names_the_importers_own_provider(other_vasl):
    # Providers are listed by kind and name, so "Synthetic Hub called VASL" would come first if codes were read
    # across partnerships.
    assert Organisation.objects.filter(code="VASL").first() == other_vasl
    officer = User.objects.get(username="lcc.officer")
    indicator = Indicator.objects.get(code="LOC-1")
    dataset = tablib.Dataset().load(
        f"indicator,financial_year,quarter,provider,value\n{indicator.code},2011/12,annual,VASL,7\n", format="csv"
    )
    targets_import(dataset=dataset, user=officer, reason="Codes per partnership")
    target = Target.objects.get(indicator=indicator, financial_year=2011, provider__code="VASL")
    assert target.provider.county.slug == "leicestershire"
