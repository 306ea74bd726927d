from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class PreferencesForm(forms.Form):
    notification_mode = forms.ChoiceField(
        label=_("E-mail me about new notifications"),
        choices=[
            ("immediate", _("At once, one e-mail per notification")),
            ("digest", _("Once a day, as a digest")),
        ],
        widget=forms.RadioSelect,
    )
