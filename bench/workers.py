"""The gunicorn workers' memory, read from /proc (Linux): the bench prints it after the rush."""

from __future__ import annotations

from pathlib import Path

FIELDS = ("VmRSS", "RssAnon", "RssFile", "RssShmem")


def children(pid: int) -> list[int]:
    """The processes whose parent is `pid` (gunicorn's workers, for its master)."""
    found = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            lines = status.read_text().splitlines()
        except OSError:
            continue
        ppid = next((line.split()[1] for line in lines if line.startswith("PPid:")), None)
        if ppid == str(pid):
            found.append(int(status.parent.name))
    return sorted(found)


def memory_kb(pid: int) -> dict[str, int]:
    """VmRSS and its parts (anonymous, file-backed, shared memory) in kB."""
    out = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in FIELDS:
            out[key] = int(value.split()[0])
    return out


def private_kb(pid: int) -> int:
    """What the process alone holds (not shared with the master or the other workers)."""
    total = 0
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        if line.startswith(("Private_Clean:", "Private_Dirty:")):
            total += int(line.split()[1])
    return total


def worker_memory(master_pid: int, target_mb: float = 120) -> str:
    """One line per worker and the largest VmRSS against the target; "" off Linux."""
    try:
        workers = {
            pid: memory_kb(pid) | {"private": private_kb(pid)} for pid in children(master_pid)
        }
        master = memory_kb(master_pid)
    except OSError:
        return ""
    if not workers:
        return ""
    lines = [
        f"  worker {pid}: VmRSS {m['VmRSS'] / 1024:.1f} MB (anonymous {m.get('RssAnon', 0) / 1024:.1f}"
        f", file {m.get('RssFile', 0) / 1024:.1f}, shared memory {m.get('RssShmem', 0) / 1024:.1f}"
        f"; its own, not shared with other processes: {m['private'] / 1024:.1f})"
        for pid, m in workers.items()
    ]
    largest = max(m["VmRSS"] for m in workers.values()) / 1024
    lines.append(
        f"  largest worker VmRSS {largest:.1f} MB (target ≤ {target_mb:.0f} MB); "
        f"master {master['VmRSS'] / 1024:.1f} MB"
    )
    return "gunicorn worker memory after the rush:\n" + "\n".join(lines)
