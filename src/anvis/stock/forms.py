from django import forms
from django.core.validators import FileExtensionValidator
from django.utils.translation import gettext_lazy as _


class StockImportForm(forms.Form):
    file = forms.FileField(
        label=_("File (CSV or XLSX)"),
        help_text=_("One row per dwelling. The columns are described on this page."),
        validators=[
            FileExtensionValidator(["csv", "xlsx"], message=_("Use a .csv or .xlsx file."))
        ],
    )
