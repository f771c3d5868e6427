"""A dispatcher process for the concurrency tests (not a test module).

`python -m tests.notifications.dispatch_worker DATABASE_URL SMTP_PORT` builds the app, prints
`ready`, waits for a line on stdin (so several processes start their pass together), runs one
dispatch pass through the SMTP server on 127.0.0.1:SMTP_PORT and prints `sent N`.
"""

from __future__ import annotations

import sys

from booking import create_app
from booking.extensions import db
from booking.notifications.dispatcher import dispatch_due


def main() -> None:
    url, port = sys.argv[1], int(sys.argv[2])
    app = create_app(
        {"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": url, "MAIL_BACKEND": "smtp",
         "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": port}
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
