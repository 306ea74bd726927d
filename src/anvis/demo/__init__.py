"""The demo data: a fictional municipality (Aalborg's size, or national scale), deterministic.

One module per app's data (`stock`, `accounts`, …), each with `load(ctx: DemoContext)`;
`LOADERS` runs them in order, `manage.py load_demo` in one transaction. The apps know nothing of
the demo: it reaches them through their services and models.
"""
