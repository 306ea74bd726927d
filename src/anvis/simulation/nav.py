from django.utils.translation import gettext_lazy as _

from anvis.common.nav import NavItem

ITEMS = [NavItem(_("Simulator"), "simulation:run_list", order=80)]
