from django.utils.translation import gettext_lazy as _

from anvis.common.upload import upload_form

StockImportForm = upload_form(_("One row per dwelling. The columns are described on this page."))
#: An organisation's own stock: the 5 MB cap of the organisations' other uploads. The
#: administrator's form has none (the national stock is larger).
OrganisationStockImportForm = upload_form(
    _("One row per dwelling. The columns are described on this page."), capped=True
)
