from django.utils.translation import gettext_lazy as _

from anvis.common.nav import NavItem

ITEMS = [
    NavItem(_("Housing stock"), "stock:department_list", order=50),
    NavItem(_("Import stock"), "stock:import", order=51),
]
