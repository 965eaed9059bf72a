"""The links each role sees on the home page and in the service navigation.

Each link names the permission that shows it, so navigation never offers what a view would refuse.
Apps add their links to NAVIGATION; a link whose URL name does not resolve yet is skipped.
"""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class Link:
    url_name: str
    label: str
    description: str
    permission: str
    #: Other pages (url names) that belong to this link: it shows as the current place on them too.
    also: tuple[str, ...] = ()


NAVIGATION: list[Link] = [
    Link(
        "national:comparison",
        "Partnerships compared",
        "Every partnership's signed-off figures side by side.",
        "portal.compare_partnerships",
    ),
    Link(
        "performance:my_returns",
        "My returns",
        "Your organisation's quarterly returns.",
        "performance.has_own_returns",
    ),
    Link(
        "performance:review_list",
        "Returns to review",
        "Submitted returns waiting for you.",
        "performance.review_any",
    ),
    Link(
        "performance:dashboard",
        "Performance dashboard",
        "The unified quarterly picture.",
        "portal.view_dashboard",
        also=("performance:dashboard_providers", "performance:dashboard_change", "performance:dashboard_localities"),
    ),
    Link(
        "performance:framework",
        "Framework",
        "Indicators and targets by year, and what changed since publication.",
        "portal.view_dashboard",
        also=(
            "performance:framework_year",
            "performance:framework_changes",
            "performance:targets_set",
            "performance:targets_copy",
            "performance:targets_import",
            "performance:indicators",
        ),
    ),
    Link("performance:periods", "Reporting periods", "Open, lock and reopen periods.", "portal.manage_periods"),
    Link("performance:import", "Import returns", "Upload a CSV of results.", "portal.import_returns"),
    Link(
        "contracts:list",
        "Contracts and money",
        "The CIO contract, sub-contracts and money.",
        "portal.view_contracts",
    ),
    Link(
        "reports:index",
        "Quarterly pack",
        "The funders' quarterly pack for a period, to read or print as a PDF.",
        "portal.view_contracts",
        also=("reports:pack",),
    ),
    Link(
        "contracts:scenarios",
        "Budget scenarios",
        "Compare ways of sharing a year's money.",
        "portal.manage_contracts",
    ),
    Link(
        "districts:list",
        "Districts",
        "Populations, providers, money and negotiations.",
        "portal.view_dashboard",
    ),
    Link(
        "disputes:list",
        "Disputes",
        "The Peer Review Body's cases and decisions.",
        "portal.view_disputes",
    ),
    Link(
        "opendata:giving360",
        "Open data",
        "The grants in the 360Giving Data Standard, to download.",
        "portal.view_contracts",
    ),
    Link(
        "people:list",
        "People",
        "Invite people, change their roles, switch off those who have left.",
        "portal.manage_people",
    ),
    Link(
        "partnership_setup:upload",
        "Set up a partnership",
        "A new county's partnership, or its set-up brought up to date, from one workbook.",
        "portal.set_up_partnerships",
    ),
    Link(
        "notifications:delivery_log",
        "Email delivery",
        "Every email the portal sent or queued; retry the failed ones.",
        "notifications.view_delivery_log",
    ),
    Link(
        "api_token",
        "API token",
        "Your personal token for the portal's API.",
        "portal.use_api",
    ),
    Link(
        "contracts:my_subcontract",
        "Our sub-contract",
        "Your organisation's sub-contract: term, value and variations.",
        "contracts.has_own_subcontract",
    ),
]


def links_for(user) -> list[dict]:
    links = []
    for link in NAVIGATION:
        if not user.has_perm(link.permission):
            continue
        try:
            url = reverse(link.url_name)
        except NoReverseMatch:
            continue
        links.append(
            {
                "url": url,
                "label": link.label,
                "description": link.description,
                "url_names": (link.url_name, *link.also),
            }
        )
    return links
