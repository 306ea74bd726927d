from django.utils.translation import gettext_lazy as _

from anvis.common.nav import NavItem

ITEMS = [
    NavItem(_("Agreements"), "agreements:agreement_list", order=20),
    NavItem(_("Fair-share ledger"), "agreements:ledger", order=21),
    NavItem(_("Håndholdte requests"), "agreements:handheld_list", order=22),
]
