"""Production settings (govopen.settings, as the environment sets them) with the benchmark's URLs.

Used only by the gunicorn server of ``manage.py benchmark`` (devtools.benchmark.http_server): normal runs
never mount the minimal view.
"""
from govopen.settings import *  # noqa: F403

ROOT_URLCONF = "devtools.benchmark.http_urls"
