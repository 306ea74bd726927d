import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "anvis.config.settings")
application = get_wsgi_application()

# Load the URLconf, and with it every view module, while the worker starts rather than in the
# first request it serves: Django loads it lazily, so each new worker's first user (often one
# logging in) waited for it, 0.4 s and more.
get_resolver().url_patterns  # noqa: B018
