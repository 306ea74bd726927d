from django.utils.translation import gettext_lazy as _

from anvis.common.nav import NavItem

ITEMS = [
    NavItem(_("Monitoring"), "monitoring:department_list", order=60),
    NavItem(_("Step proposals"), "monitoring:step_proposals", order=61),
    NavItem(_("Import indicators"), "monitoring:indicators_import", order=62),
]
