"""THE access matrix: every named URL × every role and anonymous → the expected outcome.

Outcomes: ALLOW (the view runs: 2xx, a redirect that is not to the login page, 405 for a
POST-only view reached with GET, or a 4xx form answer), DENY (403), HIDE (404: the object's
existence is not revealed), LOGIN (redirect to the login page).

`args` names objects of the `world` fixture (tests/apps/security/conftest.py); their ids are
the URL's arguments, followed by `literal_args`. All owned objects belong to organisation A.
`other_org` is the outcome for organisation B's staff (`users["org_b"]`): by default the same as
for organisation A's staff, and HIDE for objects of organisation A. A URL pattern without an
entry here fails `test_every_url_has_an_entry`.
"""

from __future__ import annotations

from dataclasses import dataclass

ALLOW = "allow"
DENY = "403"
HIDE = "404"
LOGIN = "login"

ANON = "anonymous"
CW = "sagsbehandler"
LEAD = "anvisningsleder"
ORG = "boligorganisation"
STEER = "styregruppe"
ADMIN = "administrator"
ROLES = (CW, LEAD, ORG, STEER, ADMIN)
COLUMNS = (ANON, *ROLES, "org_b")


@dataclass(frozen=True)
class Entry:
    expect: dict[str, str]
    args: tuple[str, ...] = ()
    literal_args: tuple[str, ...] = ()
    method: str = "get"


def rule(
    allowed: set[str] | frozenset[str],
    denied: str = DENY,
    *,
    anonymous: str = LOGIN,
    other_org: str | None = None,
    args: tuple[str, ...] = (),
    literal_args: tuple[str, ...] = (),
    method: str = "get",
) -> Entry:
    expect = {role: (ALLOW if role in allowed else denied) for role in ROLES}
    expect[ANON] = anonymous
    expect["org_b"] = other_org if other_org is not None else expect[ORG]
    return Entry(expect=expect, args=args, literal_args=literal_args, method=method)


EVERYONE = frozenset(ROLES)
MUNICIPAL = frozenset({CW, LEAD, ADMIN})
LEADS = frozenset({LEAD, ADMIN})
OVERSIGHT = frozenset({CW, LEAD, ADMIN, STEER})  # anvis.permissions.OVERSIGHT
STOCK_WRITERS = frozenset({ORG, ADMIN})
ADMINS = frozenset({ADMIN})
REPORTERS = frozenset({ORG, ADMIN})
LEASE_WRITERS = frozenset({ORG, LEAD, ADMIN})
SIMULATOR = frozenset({LEAD, ADMIN, STEER})
TENANCY_READERS = frozenset({CW, LEAD, ADMIN, ORG})
DIALOGUE_READERS = frozenset({CW, LEAD, ADMIN, ORG, STEER})
PUBLIC = rule(EVERYONE, anonymous=ALLOW)


def owned_by_a(allowed: frozenset[str], args: tuple[str, ...]) -> Entry:
    """A detail page of an object of organisation A: B's staff get 404."""
    return rule(allowed, HIDE, other_org=HIDE, args=args)


def case_page(name_args: tuple[str, ...] = ("case",), method: str = "get") -> Entry:
    """Case pages: municipal roles only; everyone else gets 404 (not even existence)."""
    return rule(MUNICIPAL, HIDE, args=name_args, method=method)


MATRIX: dict[str, Entry] = {
    # core and accounts
    "common:home": rule(EVERYONE),
    "common:health": PUBLIC,
    "common:favicon": PUBLIC,
    "accounts:login": PUBLIC,
    "accounts:logout": PUBLIC,
    "accounts:set_language": PUBLIC,
    "accounts:password_change": rule(EVERYONE),
    "accounts:password_change_done": rule(EVERYONE),
    # Single sign-on: public; an unknown provider is 404, a callback without the provider's
    # code goes back to the login page (docs/sso.md).
    "accounts:oidc_start": rule(frozenset(), HIDE, anonymous=HIDE, literal_args=("ukendt",)),
    "accounts:oidc_callback": rule(frozenset(), LOGIN, anonymous=LOGIN),
    # Operations: the administrator only.
    "background:task_list": rule(ADMINS),
    "background:outbox": rule(ADMINS),
    # stock: everyone reads (organisation staff only their own), staff and admins import
    "stock:organisation_list": rule(EVERYONE),
    "stock:organisation_detail": owned_by_a(EVERYONE, ("org_a",)),
    "stock:department_list": rule(EVERYONE),
    "stock:department_detail": owned_by_a(EVERYONE, ("dept_a",)),
    "stock:entrance_list": rule(EVERYONE),
    "stock:entrance_detail": owned_by_a(EVERYONE, ("entrance_a",)),
    "stock:dwelling_list": rule(EVERYONE),
    "stock:dwelling_detail": owned_by_a(EVERYONE, ("dwelling_a",)),
    "stock:import": rule(STOCK_WRITERS),
    # the search fields' suggestions (organisation staff get their own stock only)
    "stock:dwelling_suggestions": rule(EVERYONE),
    "stock:department_suggestions": rule(EVERYONE),
    # agreements (the world's agreement has organisation A as its only party)
    "agreements:agreement_list": rule(EVERYONE),
    "agreements:agreement_create": rule(LEADS),
    "agreements:agreement_detail": owned_by_a(EVERYONE, ("agreement",)),
    "agreements:agreement_edit": rule(LEADS, HIDE, args=("agreement",)),
    "agreements:party_leave": rule(LEADS, HIDE, args=("agreement",)),
    "agreements:version_create": rule(LEADS, HIDE, args=("agreement",)),
    "agreements:version_edit": rule(LEADS, HIDE, args=("version",)),
    "agreements:forum_create": rule(LEADS, HIDE, args=("agreement",)),
    "agreements:forum_edit": rule(LEADS, HIDE, args=("forum",)),
    "agreements:step_list": owned_by_a(EVERYONE, ("agreement",)),
    "agreements:step_create": rule(LEADS, HIDE, args=("agreement",)),
    "agreements:reassessment_list": rule(OVERSIGHT, HIDE, args=("agreement",)),
    "agreements:reassessment_detail": rule(OVERSIGHT, HIDE, args=("reassessment",)),
    # POST-only outside the access check: checked with an empty POST (nothing is approved)
    "agreements:reassessment_approve": rule(LEADS, HIDE, args=("reassessment",), method="post"),
    "agreements:handheld_list": rule(TENANCY_READERS),
    "agreements:handheld_create": rule(MUNICIPAL),
    "agreements:handheld_close": rule(MUNICIPAL, HIDE, args=("handheld",)),
    "agreements:ledger": rule(EVERYONE),
    # cases: municipal eyes only, 404 for everyone else
    "cases:case_list": rule(MUNICIPAL, HIDE),
    # name suggestions answer POST only, so a typed name is never in a URL
    "cases:case_suggestions": rule(MUNICIPAL, HIDE, method="post"),
    "cases:case_create": rule(MUNICIPAL, HIDE),
    "cases:case_overview": case_page(),
    "cases:case_household": case_page(),
    "cases:case_economy": case_page(),
    "cases:case_shelter": case_page(),
    "cases:case_timeline": case_page(),
    "cases:case_cpr_reveal": case_page(),
    "cases:case_edit": rule(MUNICIPAL, HIDE, args=("case",), literal_args=("kontakt",)),
    "cases:case_status": case_page(),
    "cases:case_urgency": case_page(),
    "cases:case_park": case_page(),
    "cases:case_unpark": case_page(),
    "cases:case_note": case_page(),
    "cases:stay_add": case_page(),
    "cases:stay_discharge": case_page(("case", "stay")),
    "cases:plan_add": case_page(),
    "cases:plan_status": case_page(("case", "plan")),
    "cases:bar_add": case_page(),
    "cases:bar_remove": case_page(("case", "bar")),
    "cases:avoid_add": case_page(),
    "cases:avoid_remove": case_page(("case", "avoid")),
    "cases:consent_add": case_page(),
    "cases:consent_withdraw": case_page(("case", "consent")),
    # monitoring
    "monitoring:department_list": rule(EVERYONE),
    "monitoring:department_detail": owned_by_a(EVERYONE, ("dept_a",)),
    "monitoring:step_proposals": rule(OVERSIGHT),
    "monitoring:indicators_import": rule(LEADS),
    "monitoring:designations_import": rule(LEADS),
    "monitoring:recompute": rule(LEADS),
    # security: audit search for administrators, two-factor pages for everyone logged in,
    # insight for municipal roles (404 for others: the citizen's existence is not revealed)
    "security:audit_list": rule(ADMINS),
    "security:access_log_list": rule(ADMINS),
    "security:two_factor_setup": rule(EVERYONE),
    "security:two_factor_qr": rule(EVERYONE),
    "security:two_factor_verify": rule(EVERYONE),
    "security:insight_lookup": rule(MUNICIPAL, HIDE),
    "security:citizen_insight": rule(MUNICIPAL, HIDE, args=("citizen",)),
    # vacancies, offers, leases and guarantees (the flow); the world's vacancies are
    # organisation A's, so organisation B's staff get 404 on every object page
    # matching (web part): municipal roles; batch runs for leads; others do not learn it exists
    "matching:candidates": rule(MUNICIPAL, HIDE, args=("vacancy",)),
    # the offer dialogue with the ranked candidate chosen (GET shows it, POST confirms)
    "matching:offer_create": rule(MUNICIPAL, HIDE, args=("vacancy", "case")),
    # The world's offer was made by hand, not from a ranking, so it has no stored explanation:
    # 404 for every role (the page itself is tested in tests/apps/matching).
    "matching:explanation": rule(frozenset(), HIDE, args=("offer",)),
    "matching:run_list": rule(LEADS, HIDE),
    "matching:run_new": rule(LEADS, HIDE),
    "matching:run_detail": rule(LEADS, HIDE, args=("matching_run",)),
    "matching:run_offers": rule(LEADS, HIDE, args=("matching_run",), method="post"),
    "matching:run_rerun": rule(LEADS, HIDE, args=("matching_run",), method="post"),
    # the policy simulator: allocation lead, administrator, steering group
    "simulation:run_list": rule(SIMULATOR),
    "simulation:run_detail": rule(SIMULATOR, args=("simulation_run",)),
    "simulation:run_status": rule(SIMULATOR, args=("simulation_run",)),
    "simulation:run_compare": rule(SIMULATOR),
    "simulation:calibration": rule(SIMULATOR),
    # notifications: everyone has an inbox; a notification is its recipient's only (the
    # allocation lead's in the world), 404 for anyone else, administrators included
    "notifications:inbox": rule(EVERYONE),
    "notifications:preferences": rule(EVERYONE),
    "notifications:mark_all_read": rule(EVERYONE, method="post"),
    "notifications:open": rule(frozenset({LEAD}), HIDE, args=("notification",)),
    "notifications:mark_read": rule(frozenset({LEAD}), HIDE, args=("notification",), method="post"),
    "vacancies:bulk_report": rule(REPORTERS),
    # the steering group's reports: municipal roles and the steering group read (the steering
    # group sees suppressed figures); the allocation lead and administrator write
    "reports:dashboard": rule(OVERSIGHT),
    "reports:report_download": rule(OVERSIGHT, literal_args=("xlsx",)),
    "reports:snapshot_list": rule(OVERSIGHT),
    "reports:snapshot_create": rule(LEADS, method="post"),
    "reports:snapshot_detail": rule(OVERSIGHT, args=("report_snapshot",)),
    "reports:snapshot_download": rule(OVERSIGHT, args=("report_snapshot",), literal_args=("xlsx",)),
    "reports:meeting_list": rule(OVERSIGHT),
    "reports:meeting_detail": rule(OVERSIGHT, args=("meeting",)),
    "reports:meeting_create": rule(LEADS),
    "reports:meeting_edit": rule(LEADS, args=("meeting",)),
    "reports:decision_create": rule(LEADS, args=("meeting",)),
    "reports:decision_edit": rule(LEADS, args=("decision",)),
    # the integration API (session authentication here; tokens are tested in tests/apps/api).
    # Without credentials the API answers 401, counted as LOGIN.
    "api:downloads": rule(EVERYONE),
    "api:schema": rule(EVERYONE, anonymous=ALLOW),
    "api:docs": PUBLIC,
    "api:not_found": rule(frozenset(), HIDE, anonymous=HIDE, literal_args=()),
    "api:dwelling_list": rule(EVERYONE),
    "api:dwelling_detail": owned_by_a(EVERYONE, ("dwelling_a",)),
    "api:stock_upsert": rule(STOCK_WRITERS, method="post"),
    "api:vacancy_list": rule(EVERYONE),
    "api:vacancy_detail": owned_by_a(EVERYONE, ("vacancy",)),
    "api:vacancy_hand_back": rule(LEADS, HIDE, other_org=HIDE, args=("vacancy",), method="post"),
    "api:vacancy_let": rule(REPORTERS, HIDE, other_org=HIDE, args=("vacancy",), method="post"),
    "api:offer_list": rule(EVERYONE),
    # An offer is about one citizen: not in the steering group's scope (issue #17)
    "api:offer_detail": rule(MUNICIPAL | {ORG}, HIDE, other_org=HIDE, args=("offer",)),
    "api:offer_answer": rule(REPORTERS, HIDE, other_org=HIDE, args=("offer",), method="post"),
    "api:lease_list": rule(EVERYONE),
    "api:lease_cancel": rule(LEASE_WRITERS, HIDE, other_org=HIDE, args=("lease",), method="post"),
    "api:claim_list": rule(EVERYONE),
    "api:ledger": rule(OVERSIGHT),
    "api:export_dwellings": rule(EVERYONE),
    "api:export_vacancies": rule(EVERYONE),
    "api:export_ledger": rule(OVERSIGHT),
    "api:export_cases": rule(MUNICIPAL, HIDE),
    "api:webhook_list": rule(REPORTERS),
    "api:webhook_detail": rule(REPORTERS, HIDE, other_org=HIDE, args=("webhook",), method="delete"),
    "api:webhook_deliveries": rule(REPORTERS, HIDE, other_org=HIDE, args=("webhook",)),
    "vacancies:vacancy_list": rule(EVERYONE),
    "vacancies:vacancy_report": rule(REPORTERS),
    "vacancies:inbox": rule(LEADS),
    "vacancies:void_rent": rule(EVERYONE),
    "vacancies:claim_list": rule(TENANCY_READERS),
    "vacancies:statement": rule(EVERYONE),
    "vacancies:statement_overview": rule(EVERYONE),
    # POST-only; checked with an empty POST (refused with 422, nothing is approved or written)
    "vacancies:statement_approve": rule(LEADS, method="post"),
    "vacancies:statement_correct": rule(LEADS, method="post"),
    "vacancies:claim_create": rule(REPORTERS, HIDE, other_org=HIDE, args=("lease",)),
    "vacancies:claim_decide": rule(LEADS, HIDE, args=("claim",)),
    "vacancies:vacancy_detail": owned_by_a(EVERYONE, ("vacancy",)),
    # POST-only outside the access check (the vacancy is already accepted: nothing changes)
    "vacancies:vacancy_accept": rule(LEADS, HIDE, args=("vacancy",), method="post"),
    "vacancies:vacancy_decline": rule(LEADS, HIDE, args=("vacancy",)),
    "vacancies:vacancy_let": rule(REPORTERS, HIDE, other_org=HIDE, args=("vacancy",)),
    "vacancies:vacancy_hand_back": rule(LEADS, HIDE, args=("vacancy",)),
    "vacancies:offer_create": rule(MUNICIPAL, HIDE, args=("vacancy",)),
    # the offer dialogue's citizen suggestions: POST only, like every name search
    "vacancies:offer_case_suggestions": rule(MUNICIPAL, HIDE, args=("vacancy",), method="post"),
    "vacancies:offer_accept": rule(MUNICIPAL, HIDE, args=("offer",)),
    "vacancies:offer_decline": rule(MUNICIPAL, HIDE, args=("offer",)),
    "vacancies:offer_withdraw": rule(MUNICIPAL, HIDE, args=("offer",)),
    "vacancies:offer_reject": rule(REPORTERS, HIDE, other_org=HIDE, args=("offer",)),
    "vacancies:lease_create": rule(LEASE_WRITERS, HIDE, other_org=HIDE, args=("offer",)),
    "vacancies:lease_cancel": rule(LEASE_WRITERS, HIDE, other_org=HIDE, args=("lease",)),
    # tenancies after move-in: the municipality and the lease's own organisation; the steering
    # group sees aggregates only (the governance dialogue), never a tenancy
    "tenancy:risk_list": rule(MUNICIPAL, HIDE),
    "tenancy:support_overview": rule(MUNICIPAL, HIDE),
    "tenancy:bulk_report": rule(REPORTERS),
    "tenancy:tenancy_detail": rule(TENANCY_READERS, HIDE, other_org=HIDE, args=("lease",)),
    "tenancy:event_report": rule(TENANCY_READERS, HIDE, other_org=HIDE, args=("lease",)),
    "tenancy:contacts": rule(TENANCY_READERS, HIDE, other_org=HIDE, args=("lease",)),
    "tenancy:task_acknowledge": rule(MUNICIPAL, HIDE, args=("tenancy_task",), method="post"),
    "tenancy:task_contact": rule(MUNICIPAL, HIDE, args=("tenancy_task",)),
    "dialogue:dialogue_list": rule(DIALOGUE_READERS),
    "dialogue:dialogue_detail": rule(DIALOGUE_READERS, HIDE, other_org=HIDE, args=("org_a",)),
    "dialogue:dialogue_pdf": rule(DIALOGUE_READERS, HIDE, other_org=HIDE, args=("org_a",)),
    "api:tenancy_event_list": rule(TENANCY_READERS),
}
