from django.utils.translation import gettext_lazy as _

from anvis.common.nav import NavItem

ITEMS = [
    NavItem(_("Vacancies"), "vacancies:vacancy_list", order=30),
    NavItem(_("Awaiting answer"), "vacancies:inbox", order=31),
    NavItem(_("Void rent"), "vacancies:void_rent", order=32),
    NavItem(_("Guarantee claims"), "vacancies:claim_list", order=33),
]
