"""Demo data: the meeting and decision log of the three fora over the last quarters.

A few meetings per forum with decisions in every status, written directly (no audit rows; the
demo is loaded in one transaction). The same at national scale: the log is per agreement.
"""

from __future__ import annotations

import datetime as dt

from anvis.agreements.models import ForumKind, GovernanceForum
from anvis.demo.context import DemoContext
from anvis.reports.models import Decision, DecisionStatus, Meeting

DECISIONS = {
    ForumKind.POLITICAL: [
        ("Aftalen forlænges, og andelen til kommunal anvisning fastholdes på 25 %.", "", ""),
    ],
    ForumKind.STRATEGIC: [
        (
            "Boligorganisationerne kortlægger 1-rumsboliger under 3.500 kr. til næste møde.",
            "Opgørelse pr. afdeling sendes til anvisningen.",
            "Direktørerne i boligorganisationerne",
        ),
        (
            "Loftet pr. opgang drøftes igen ved næste evaluering.",
            "Anvisningen fremlægger tal for fastholdelse.",
            "Anvisningschefen",
        ),
    ],
    ForumKind.PRACTICAL: [
        (
            "Fremvisninger aftales inden for 3 arbejdsdage efter tilbud.",
            "Udlejningsmedarbejderne melder ledige tider ugentligt.",
            "Udlejningskonsulenterne",
        ),
    ],
}


def load(ctx: DemoContext) -> None:
    rng = ctx.rng_for("reports")
    fora = list(GovernanceForum.objects.order_by("pk"))
    lead = ctx.data.get("users", {}).get("anvisningsleder")
    statuses = list(DecisionStatus.values)
    meetings = 0
    for forum in fora:
        # One meeting in each of the last four quarters, some weeks into the quarter.
        for back in range(4):
            day = ctx.today - dt.timedelta(days=91 * back + rng.randint(10, 60))
            meeting = Meeting.objects.create(
                forum=forum,
                held_on=day,
                minutes=f"Møde i {forum.name}: status på aftalen, tal fra kvartalsrapporten.",
                created_by=lead,
            )
            meetings += 1
            for text, follow_up, responsible in DECISIONS.get(ForumKind(forum.kind), []):
                Decision.objects.create(
                    meeting=meeting,
                    text=text,
                    follow_up=follow_up,
                    responsible=responsible,
                    due_on=day + dt.timedelta(days=60),
                    status=DecisionStatus.OPEN if back == 0 else rng.choice(statuses),
                )
    ctx.log(f"reports: {meetings} meetings with decisions")
