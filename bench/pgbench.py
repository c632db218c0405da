"""pgbench's TPC-B-like figure on this machine: the ceiling for the ledger postings (one client,
each transaction committed). Free of Django: pgbench works on its own database.

`pgbench -i -s 10` makes pgbench_accounts (1,000,000 rows), branches, tellers and history; the run,
`pgbench -c 1 -j 1 -T 60`, repeats its default script: three UPDATEs of a balance (account, teller,
branch), one SELECT of it and one INSERT into history, in one transaction that is committed.
"""

import glob
import os
import re
import shutil
import subprocess
import time

from psycopg.conninfo import conninfo_to_dict

from bench import databases
from bench.money_report import PgbenchMeasurement


def pgbench_binary() -> str:
    found = shutil.which("pgbench") or max(glob.glob("/usr/lib/postgresql/*/bin/pgbench"), default=None)
    if not found:
        raise RuntimeError("pgbench not found: it comes with the postgresql package")
    return found


def pgbench_init(url: str, *, scale: int) -> float:
    """A fresh database with pgbench's tables at `scale` (100,000 accounts per unit); its seconds."""
    databases.recreate(url)
    started = time.perf_counter()
    subprocess.run(  # noqa: S603 - pgbench, with our own arguments
        [pgbench_binary(), "-i", "-q", "-s", str(scale), conninfo_to_dict(url)["dbname"]],
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - started


def parse_pgbench(output: str) -> tuple[int, float, float]:
    """(transactions, tps, average latency in ms) from pgbench's report."""
    transactions = re.search(r"number of transactions actually processed: (\d+)", output)
    tps = re.search(r"tps = ([\d.]+) \(without initial connection time\)", output)
    latency = re.search(r"latency average = ([\d.]+) ms", output)
    if not (transactions and tps and latency):
        raise RuntimeError(f"could not read pgbench's report:\n{output}")
    return int(transactions.group(1)), float(tps.group(1)), float(latency.group(1))


def pgbench(url: str, *, scale: int, seconds: int) -> PgbenchMeasurement:
    """One client, one thread, TPC-B-like (pgbench's default script), for `seconds`."""
    before = os.getloadavg()[0]
    done = subprocess.run(  # noqa: S603 - pgbench, with our own arguments
        [pgbench_binary(), "-c", "1", "-j", "1", "-T", str(seconds), conninfo_to_dict(url)["dbname"]],
        check=True,
        capture_output=True,
        text=True,
    )
    transactions, tps, latency = parse_pgbench(done.stdout)
    return PgbenchMeasurement(scale, seconds, transactions, tps, latency, [before, os.getloadavg()[0]])
