import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "anvis.config.settings")
application = get_wsgi_application()

# Load the URLconf, and with it every view module, while the worker starts rather than in the
# first request it serves: Django loads it lazily, so each new worker's first user (often one
# logging in) waited for it, 0.4 s and more.
get_resolver().url_patterns  # noqa: B018

# Everything loaded by now (settings, apps, models, the URLconf and every view module) lives as
# long as the worker. It is moved out of the cyclic garbage collector's reach, so that a full
# collection no longer walks it: about 150,000 objects, which made every full collection take
# 80-90 ms of a request on a slow host (docs/benchmarks.md). Reference counting still frees
# what is dropped; only cycles among these objects would outlive them.
gc.collect()
gc.freeze()
