"""An e-mail backend that keeps every message in the database (`OutboxMessage`), so that the
administrator of a demo or test installation reads the e-mails in the site (Drift → Udbakke)
instead of a mail server receiving them. Set `EMAIL_BACKEND` to SMTP in production."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.message import EmailMessage


class OutboxBackend(BaseEmailBackend):
    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        from .models import OutboxMessage

        rows = [
            OutboxMessage(
                from_email=str(message.from_email)[:300],
                to=", ".join(str(a) for a in [*message.to, *message.cc, *message.bcc]),
                subject=str(message.subject)[:300],
                body=str(message.body),
            )
            for message in email_messages
            if message.recipients()
        ]
        OutboxMessage.objects.bulk_create(rows)
        return len(rows)
