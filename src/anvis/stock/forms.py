from django.utils.translation import gettext_lazy as _

from anvis.common.upload import upload_form

StockImportForm = upload_form(_("One row per dwelling. The columns are described on this page."))
