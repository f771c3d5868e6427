"""Benchmark: how fast the outbox dispatcher delivers, against a bare smtplib loop.

    .venv/bin/python bench/dispatch.py [--full | --messages N] [--database-url postgresql://…]

Plans N due messages in PostgreSQL, then delivers them to a local aiosmtpd sink with 1 and then
2 dispatcher processes (each one `dispatch_due` pass, started together), and compares each
with a bare loop that sends the same N prepared messages with smtplib over one connection,
measured in the same run. A dispatcher's time runs from "go" to the end of the last pass (its
last mark committed, its SMTP connection quit), not to the exit of its process: a scheduler's
dispatcher outlives its passes, and the interpreter's teardown (~0.5 s, the cyclic GC walking
the app's objects once more) delays no mail. The figure counting the exit, as the bench
measured before, is printed beside it, and so is how long the last dispatcher went on alone
after the first ran dry. Prints messages/s, the ratios and where each dispatcher's time went
(ms per message: its CPU, claim, check, render (with flattening for the wire), SMTP, and the
wait for marks; SMTP and the marks run in a sender thread, overlapping the checks and
rendering, and SMTP includes the wait for the previous mark before each message's final
"."), and the sink's CPU per message. A second, stricter reference sends the same messages
flattened beforehand (what `send_message` would write), the least any sender can do; and
the time of one committed single-row UPDATE, the floor of a dispatcher's cycle per message
(each "sent" mark is committed before the next message's final "."). Target: 2 dispatchers
≥ 80 % of the bare loop in every run. The default run uses 1,500 messages (under two minutes
on a quiet machine); `--full` uses the issue's 5,000. The database (default
tsunagu_notify_bench) must exist; its outbox is emptied.
"""

from __future__ import annotations

import argparse
import os
import smtplib
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/tsunagu_notify_bench"


class CountingSink:
    """An aiosmtpd handler that only counts what it accepts."""

    def __init__(self):
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        return "250 OK"


def sink_process(port: int) -> None:
    """The SMTP sink, in a process of its own (it must not share a GIL with what it measures).

    Answers each line on stdin with the number of messages accepted so far.
    """
    from aiosmtpd.controller import Controller

    handler = CountingSink()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    print("ready", flush=True)
    for _line in sys.stdin:
        print(handler.count, flush=True)
    controller.stop()


class Sink:
    def __init__(self):
        from tests.notifications.conftest import free_port

        self.port = free_port()
        self.proc = subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve()), "--sink", str(self.port)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT,
            env=dict(os.environ, PYTHONPATH=str(ROOT)),
        )  # fmt: skip
        assert self.proc.stdout.readline().strip() == "ready"

    def cpu(self) -> float:
        """Seconds of CPU the sink has used (Linux), to show its share per message."""
        try:
            fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return 0.0
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    @property
    def count(self) -> int:
        self.proc.stdin.write("count\n")
        self.proc.stdin.flush()
        return int(self.proc.stdout.readline())

    def stop(self) -> None:
        self.proc.stdin.close()
        self.proc.wait(timeout=10)
        self.proc.stdout.close()


def make_app(url: str, port: int):
    from booking import create_app

    return create_app(
        {"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": url, "MAIL_BACKEND": "smtp",
         "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": port}
    )  # fmt: skip


def plan(app, n: int) -> None:
    from sqlalchemy import insert, text

    from booking.extensions import db
    from booking.notifications.models import OutboxMessage
    from booking.timefmt import now_utc

    with app.app_context():
        db.session.execute(text("TRUNCATE outbox_messages RESTART IDENTITY"))  # no dead rows
        due = now_utc() - timedelta(seconds=1)
        db.session.execute(
            insert(OutboxMessage),
            [
                {"dedupe_key": f"bench:{i}", "recipient": f"member{i}@example.jp",
                 "template": "account_reset", "due_at": due, "status": "pending",
                 "context": {"name": f"会員 {i}", "url": f"http://tsunagu.test/r/{i}", "hours": 2}}
                for i in range(n)
            ],
        )  # fmt: skip
        db.session.commit()
        db.session.execute(text("ANALYZE outbox_messages"))  # as a long-lived table would be
        db.session.commit()


def bare_loop(app, n: int, port: int, flat: bool = False) -> float:
    """The baseline: the same messages, rendered beforehand, over one smtplib connection.

    `flat`: flattened beforehand too (the bytes `send_message` would write, sent with
    `sendmail`): the least any sender can do per message, shown as a stricter reference.
    """
    from booking.extensions import db
    from booking.notifications.dispatcher import render_message
    from booking.notifications.models import OutboxMessage
    from booking.notifications.wire import prepare

    with app.app_context():
        rows = db.session.scalars(db.select(OutboxMessage).order_by(OutboxMessage.id)).all()
        prepared = [render_message(row) for row in rows[:n]]
        db.session.rollback()
    if flat:
        prepared = [prepare(message) for message in prepared]
    started = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port) as smtp:
        for message in prepared:
            if flat:
                smtp.sendmail(message.sender, list(message.recipients), message.data)
            else:
                smtp.send_message(message)
    return n / (time.perf_counter() - started)


def commit_floor(app, count: int = 300) -> float:
    """Milliseconds per single-row UPDATE committed on its own (synchronous commit, as every
    "sent" mark is): the floor under a dispatcher's per-message cycle, in this run."""
    from sqlalchemy import text

    from booking.extensions import db

    with app.app_context(), db.engine.connect() as connection:
        connection = connection.execution_options(isolation_level="AUTOCOMMIT")
        statement = text("UPDATE outbox_messages SET updated_at = now() WHERE id = 1")
        started = time.perf_counter()
        for _ in range(count):
            connection.execute(statement)
        return (time.perf_counter() - started) * 1000 / count


def run_dispatchers(url: str, port: int, count: int, n: int, sink: Sink) -> tuple[float, float]:
    """Messages/s of `count` dispatcher processes, from "go" to the end of the last pass (its
    last mark committed, its SMTP connection closed), and to the exit of the last process.

    The first is the delivery rate, the headline: a dispatcher process outlives its passes
    (`flask scheduler run`), so its interpreter teardown, ~0.5 s here (the cyclic GC walks
    the whole app's objects once more), delays no mail. Before, the bench counted it too.
    """
    before, sink_cpu = sink.count, sink.cpu()
    command = [sys.executable, str(Path(__file__).resolve()), "--worker", url, str(port)]
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    procs = [
        subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                         cwd=ROOT, env=env)
        for _ in range(count)
    ]  # fmt: skip
    for proc in procs:
        assert proc.stdout.readline().strip() == "ready"
    # time.monotonic() is CLOCK_MONOTONIC on Linux, one clock for every process: each worker
    # reports when its pass ended on it.
    started = time.monotonic()
    for proc in procs:
        proc.stdin.write("go\n")
        proc.stdin.flush()
    outputs = [proc.communicate()[0] for proc in procs]
    exited = time.monotonic() - started
    sent = [int(out.split()[-1]) for out in outputs]
    ends = [float(out.split()[-3]) - started for out in outputs]
    delivered = sink.count - before
    if sum(sent) != n or delivered != n:
        raise SystemExit(f"expected {n} deliveries, got {delivered} (reported {sent})")
    took = ", ".join(out.split()[1] for out in outputs)
    sink_ms = (sink.cpu() - sink_cpu) * 1000 / n
    print(f"  {count} dispatcher(s) ran: messages per process {sent}, pass took {took}, "
          f"sink CPU {sink_ms:.2f} ms/msg")  # fmt: skip
    print(f"    last pass ended {max(ends):.2f}s after go ({max(ends) - min(ends):.2f}s after the "
          f"first), last process exited {exited:.2f}s")  # fmt: skip
    for i, out in enumerate(outputs):
        print(f"    dispatcher {i + 1}, ms per message: {' '.join(out.split()[2:-4])}")
    return n / max(ends), n / exited


def worker(url: str, port: int) -> None:
    from datetime import UTC, datetime

    from booking.extensions import db
    from booking.notifications.dispatcher import dispatch_due, render_message
    from booking.notifications.models import OutboxMessage

    app = make_app(url, port)
    with app.app_context():
        # Warm, as a scheduler's dispatcher is after its first pass: the claim statement is
        # compiled (a pass in 2000, when nothing is due) and the templates are loaded.
        dispatch_due(now=datetime(2000, 1, 1, tzinfo=UTC))
        render_message(db.session.scalars(db.select(OutboxMessage).limit(1)).one())
        db.session.commit()
        print("ready", flush=True)
        sys.stdin.readline()
        started, cpu = time.perf_counter(), time.process_time()
        timings: dict = {}
        sent = dispatch_due(limit=100, timings=timings)
        ended = time.monotonic()
        took, cpu = time.perf_counter() - started, time.process_time() - cpu
        # Where the pass's time went, in ms per message sent (claim and check/render run in
        # the dispatching thread, SMTP and the marks in the sender thread, overlapping them).
        parts = " ".join(
            f"{k}={timings.get(k, 0) * 1000 / max(sent, 1):.2f}"
            for k in ("claim", "check", "render", "smtp", "mark")
        )
        print(f"took {took:.2f}s cpu/msg={cpu * 1000 / max(sent, 1):.2f} {parts} "
              f"ended {ended:.6f} sent {sent}", flush=True)  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--messages", type=int, default=1500, help="default 1500 (short run)")
    parser.add_argument("--full", action="store_true", help="the issue's size: 5,000 messages")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--worker", nargs=2, metavar=("URL", "PORT"), help=argparse.SUPPRESS)
    parser.add_argument("--sink", type=int, metavar="PORT", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.sink:
        sink_process(args.sink)
        return
    if args.worker:
        worker(args.worker[0], int(args.worker[1]))
        return

    from config import normalise_database_url

    url = normalise_database_url(args.database_url)
    n = 5000 if args.full else args.messages
    sink = Sink()
    port = sink.port
    try:
        app = make_app(url, port)
        from booking.extensions import db

        with app.app_context():
            db.create_all()
        print(f"{n} messages, PostgreSQL, aiosmtpd sink (own process) on 127.0.0.1:{port}")
        plan(app, n)
        sink_cpu = sink.cpu()
        bare_before = bare_loop(app, n, port)
        sink_ms = (sink.cpu() - sink_cpu) * 1000 / n
        print(f"  bare smtplib loop, one connection: {bare_before:6.0f} messages/s "
              f"(sink CPU {sink_ms:.2f} ms/msg)")  # fmt: skip
        results = {}
        for count in (1, 2):
            plan(app, n)
            results[count] = run_dispatchers(url, port, count, n, sink)
        # The machine may be shared: measure the baseline again, compare with the mean of both.
        bare_after = bare_loop(app, n, port)
        bare = (bare_before + bare_after) / 2
        print(
            f"  bare smtplib loop, again:          {bare_after:6.0f} messages/s (mean {bare:.0f})"
        )
        flat = bare_loop(app, n, port, flat=True)
        print(f"  bare loop of pre-flattened bytes:  {flat:6.0f} messages/s (stricter reference)")
        print(f"  one committed single-row UPDATE:   {commit_floor(app):6.2f} ms (a mark's floor)")
        for count, (rate, with_exit) in results.items():
            share = rate / bare
            print(f"  {count} dispatcher(s):                   {rate:6.0f} messages/s = {share:.1%}"
                  f" ({rate / flat:.1%} of the pre-flattened loop); counting the processes' "
                  f"exit, as before: {with_exit:.0f}/s = {with_exit / bare:.1%}")  # fmt: skip
        verdict = "met" if results[2][0] >= 0.8 * bare else "NOT met"
        print(f"target (2 dispatchers >= 80% of the bare loop): {verdict}; "
              f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")  # fmt: skip
        with app.app_context():
            db.engine.dispose()
    finally:
        sink.stop()


if __name__ == "__main__":
    main()
