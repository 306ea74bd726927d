from django.utils.translation import gettext_lazy as _

from anvis.common.nav import NavItem

ITEMS = [
    NavItem(_("Cases"), "cases:case_list", order=20),
    NavItem(_("New case"), "cases:case_create", order=21),
]
