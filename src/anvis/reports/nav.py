from django.utils.translation import gettext_lazy as _

from anvis.common.nav import NavItem

ITEMS = [
    NavItem(_("Steering group"), "reports:dashboard", order=80),
    NavItem(_("Meetings and decisions"), "reports:meeting_list", order=81),
]
