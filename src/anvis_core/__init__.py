"""The pure core of Anvis: rules and mathematics, with no Django and no database.

Django apps in `anvis` convert their models into the plain objects used here.
"""

__version__ = "0.1.0"
