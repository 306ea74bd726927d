from django import forms
from django.core.validators import FileExtensionValidator
from django.utils.translation import gettext_lazy as _


class MonitoringImportForm(forms.Form):
    file = forms.FileField(
        label=_("File (CSV or XLSX)"),
        help_text=_("The columns are described on this page."),
        validators=[
            FileExtensionValidator(["csv", "xlsx"], message=_("Use a .csv or .xlsx file."))
        ],
    )


class RecomputeForm(forms.Form):
    confirm = forms.BooleanField(label=_("Recompute all statuses now"), required=True)
