from django.utils.translation import gettext_lazy as _

from anvis.common.nav import NavItem

ITEMS = [NavItem(_("Operations"), "background:task_list", order=95)]
