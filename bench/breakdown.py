"""Add up where the server's time went, from the headers `bench/server_timing.py` sets."""

from __future__ import annotations

from collections import defaultdict


def parse_server_timing(header: str) -> dict[str, tuple[float, str]]:
    """`app;dur=1.2, sql;dur=0.8;desc="9"` → {"app": (1.2, ""), "sql": (0.8, "9")}."""
    out: dict[str, tuple[float, str]] = {}
    for part in filter(None, (p.strip() for p in (header or "").split(","))):
        name, *params = part.split(";")
        dur, desc = 0.0, ""
        for param in params:
            key, _, value = param.partition("=")
            if key == "dur":
                dur = float(value)
            elif key == "desc":
                desc = value.strip('"')
        out[name] = (dur, desc)
    return out


def pct(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


class Breakdown:
    """Per-request server figures grouped by a label (e.g. confirmed / waitlisted)."""

    def __init__(self) -> None:
        self.rows: dict[str, list[dict[str, tuple[float, str]]]] = defaultdict(list)
        self.sql: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
        self.example: dict[str, str] = {}

    def add(self, label: str, headers: dict[str, str]) -> None:
        timing = parse_server_timing(headers.get("server-timing", ""))
        if not timing:
            return
        self.rows[label].append(timing)
        self.example.setdefault(label, headers.get("x-bench-sql", ""))
        for item in filter(None, headers.get("x-bench-sql", "").split(";")):
            kind, _, ms = item.rpartition("=")
            self.sql[label][kind].append(float(ms))

    def report(self, indent: str = "  ", seat: bool = True) -> str:
        """Per label: server time, CPU, SQL and statements; with `seat`, the seat UPDATE's
        row-lock wait and how long the lock was held (the rush's figures)."""
        lines = []
        for label, rows in sorted(self.rows.items()):
            n = len(rows)

            def mean(key, rows=rows, n=n):
                return sum(r.get(key, (0.0, ""))[0] for r in rows) / n

            def p99(key, rows=rows):
                return pct([r.get(key, (0.0, ""))[0] for r in rows], 99)

            stmts = sum(int(r.get("sql", (0, "0"))[1] or 0) for r in rows) / n
            seat_part = (
                f"seat UPDATE {mean('seat'):.1f} ms (p99 {p99('seat'):.0f}: the row-lock wait), "
                f"lock held to commit {mean('held'):.1f} ms (p99 {p99('held'):.0f}), "
                if seat
                else ""
            )
            lines.append(
                f"{indent}{label} ({n}): server {mean('app'):.1f} ms (p99 {p99('app'):.0f}), "
                f"CPU {mean('cpu'):.1f} ms, SQL {mean('sql'):.1f} ms in {stmts:.1f} statements, "
                f"{seat_part}commit {mean('commit'):.1f} ms"
            )
            kinds = sorted(self.sql[label].items(), key=lambda kv: -sum(kv[1]))
            lines.append(
                f"{indent}  statements per request: "
                + ", ".join(f"{k} {len(v) / n:.1f}× {sum(v) / n:.2f} ms" for k, v in kinds[:8])
            )
            order = [item.rpartition("=")[0] for item in self.example[label].split(";") if item]
            lines.append(f"{indent}  one request's statements in order: " + " → ".join(order))
        return "\n".join(lines)
