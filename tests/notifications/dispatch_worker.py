"""A dispatcher process for the concurrency tests (not a test module).

`python -m tests.notifications.dispatch_worker DATABASE_URL SMTP_PORT NOW` builds the app on the
test's clock (set to NOW, an ISO 8601 instant, and running on from there), prints
`ready`, waits for a line on stdin (so several processes start their pass together), runs one
dispatch pass through the SMTP server on 127.0.0.1:SMTP_PORT and prints `sent N`.
"""

from __future__ import annotations

import sys
from datetime import datetime

from booking import create_app
from booking.extensions import db
from booking.notifications.dispatcher import dispatch_due
from tests.clock import TravellingClock


def main() -> None:
    url, port, now = sys.argv[1], int(sys.argv[2]), datetime.fromisoformat(sys.argv[3])
    app = create_app(
        {"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": url, "MAIL_BACKEND": "smtp",
         "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": port, "CLOCK": TravellingClock(now)}
    )  # fmt: skip
    with app.app_context():
        db.session.execute(db.text("SELECT 1"))  # connect before the start line
        db.session.commit()
        print("ready", flush=True)
        sys.stdin.readline()
        sent = dispatch_due(limit=20)
        print(f"sent {sent}", flush=True)
        db.engine.dispose()


if __name__ == "__main__":
    main()
