from django import forms
from django.utils.translation import gettext_lazy as _

from anvis.common.upload import upload_form

MonitoringImportForm = upload_form(_("The columns are described on this page."))


class RecomputeForm(forms.Form):
    confirm = forms.BooleanField(label=_("Recompute all statuses now"), required=True)
