"""Loading the URLconf (every web worker, the background worker and any command that resolves a
URL) does not import the heavy libraries that only some pages use: matplotlib and scipy are
imported where a chart is drawn or a statistic computed. Together they took about 0.8 s of the
1.3 s the URLconf took to load."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

PROBE = """
import sys
import django

django.setup()
from django.urls import reverse

reverse("vacancies:vacancy_detail", args=[1])
heavy = sorted(m for m in ("matplotlib", "scipy") if m in sys.modules)
print(",".join(heavy))
"""


def _modules_after_urlconf(extra: str = "") -> str:
    result = subprocess.run(
        [sys.executable, "-c", PROBE + extra],
        cwd=ROOT,
        env={
            **os.environ,
            "PYTHONPATH": str(ROOT / "src"),
            "DJANGO_SETTINGS_MODULE": "anvis.config.settings",
        },
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return result.stdout


def test_the_urlconf_loads_without_matplotlib_and_scipy() -> None:
    assert _modules_after_urlconf().splitlines() == [""]


def test_drawing_a_chart_still_sets_matplotlib_up() -> None:
    # The probe sees imports: a chart drawn after the URLconf brings matplotlib in, set up for
    # Anvis (no display, text kept as text, stable ids so the same chart is the same SVG).
    out = _modules_after_urlconf(
        "from anvis.common.charts import homeless_over_time\n"
        "uri = homeless_over_time([], xlabel='År', ylabel='Antal')\n"
        "import matplotlib\n"
        "print(uri[:26], matplotlib.get_backend(), matplotlib.rcParams['svg.fonttype'],"
        " matplotlib.rcParams['svg.hashsalt'])\n"
        "print(','.join(m for m in ('matplotlib', 'scipy') if m in sys.modules))\n"
    )
    before, drawn, after = out.splitlines()
    assert before == ""
    assert drawn == "data:image/svg+xml;base64, Agg none anvis-reports"
    assert after == "matplotlib"


def _in_a_web_worker(code: str) -> list[str]:
    """What `code` prints in a fresh process that first starts as a web worker does."""
    result = subprocess.run(
        [sys.executable, "-c", "import anvis.config.wsgi\n" + code],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return result.stdout.split()


def test_a_web_worker_loads_the_urlconf_when_it_starts() -> None:
    assert _in_a_web_worker(
        "import sys\n"
        "print('anvis.config.urls' in sys.modules, 'anvis.vacancies.views' in sys.modules)\n"
    ) == ["True", "True"]


def test_a_web_worker_keeps_its_start_up_objects_out_of_full_collections() -> None:
    # A full collection walked every object the worker loaded at start (about 150,000) and took
    # 80-90 ms of some request; frozen, they are skipped, and a collection walks only what the
    # requests made since (here nothing).
    assert _in_a_web_worker(
        "import gc\n"
        "from anvis.vacancies import views\n"
        "print(gc.get_freeze_count() > 100_000, len(gc.get_objects()) < 1_000)\n"
    ) == ["True", "True"]
