from django.utils.translation import gettext_lazy as _

from anvis.common.nav import NavItem

ITEMS = [
    NavItem(_("Homes at risk"), "tenancy:risk_list", order=34),
    NavItem(_("Support in the home"), "tenancy:support_overview", order=35),
    NavItem(_("Tenancy events from a file"), "tenancy:bulk_report", order=36),
    NavItem(_("Governance dialogue"), "dialogue:dialogue_list", order=75),
]
