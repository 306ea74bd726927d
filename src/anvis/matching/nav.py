from django.utils.translation import gettext_lazy as _

from anvis.common.nav import NavItem

ITEMS = [NavItem(_("Matching"), "matching:run_list", order=35)]
