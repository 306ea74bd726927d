from django.utils.translation import gettext_lazy as _

from anvis.common.nav import NavItem

# The bulk vacancy report lives in the vacancies app; its menu item is listed here so that
# the vacancies app's own files stay unchanged.
ITEMS = [
    NavItem(_("Report vacancies from a file"), "vacancies:bulk_report", order=34),
]
