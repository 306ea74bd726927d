from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Code from the authenticator app"),
        max_length=12,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


class InsightLookupForm(forms.Form):
    reference = forms.CharField(
        label=_("Case number, citizen reference or CPR number"),
        max_length=32,
        help_text=_("E.g. S-2026-00042."),
    )
