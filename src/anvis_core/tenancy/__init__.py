"""After move-in: tenancy events, follow-up deadlines, support flags and housing retention.

Pure functions, no framework. `events` says which events there are, who reports them, which
are early warnings and how a move-out counts; `deadlines` computes the follow-up deadline in
Danish working days; `support` flags support that is missing, late or off its CTI course;
`survival` is the Kaplan–Meier estimator with Greenwood variance and log-log confidence bands.
"""
