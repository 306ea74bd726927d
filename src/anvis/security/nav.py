from django.utils.translation import gettext_lazy as _

from anvis.common.nav import NavItem

ITEMS = [
    NavItem(_("Insight"), "security:insight_lookup", order=80),
    NavItem(_("Audit trail"), "security:audit_list", order=90),
    NavItem(_("Two-factor login"), "security:two_factor_setup", order=99),
]
