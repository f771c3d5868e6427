"""Entry point for `flask --app wsgi` and for gunicorn (`gunicorn wsgi:app`).

TSUNAGU_ENV picks the configuration class: development (default) or production.
"""

import os

from booking import create_app
from booking.heap import freeze_long_lived

app = create_app(os.environ.get("TSUNAGU_ENV", "development"))
freeze_long_lived()
