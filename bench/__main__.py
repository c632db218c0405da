"""python -m bench [platform | load | measure | budgets | budgets-… | loans | loans-…] — see bench/README.md.

load           make a database fresh, migrate it and fill it with the scale data
measure        time search and worklist on one loaded database (in this process)
platform       (the default) load what is missing, then measure SQLite and, if it answers, PostgreSQL
budgets        the same for personal budgets: the scale data plus 50,000 budget plans, in their own databases;
               budgets-load and budgets-measure are its two steps on one database;
               budgets-pages DIR writes the pages it times (and more) to files, to compare before and after a change
loans          the micro-loan benchmark: load what is missing, then measure SQLite and PostgreSQL
loans-load     make a database fresh and fill it with the micro-loan scale data
loans-measure  run `teten daily`'s loan duties twice and time the programme pages (uses the data up)
loans-profile  cProfile one request for the largest programme's page
evidence       the evidence benchmark: load what is missing, then time the outcome import and Table 3
evidence-load  make a database fresh and fill it with the evidence scale data
evidence-measure  time the import (and a raw bulk insert) and the Table 3 report on one database
money          the money benchmark: load what is missing, then measure SQLite and PostgreSQL, and pgbench
money-load     make a database fresh and fill it with the money scale data (100,000 open payments)
money-measure  time ledger postings and run `teten daily`'s payment duties twice (uses the data up)
money-pgbench  pgbench's TPC-B-like figure (one client) on this machine: the postings' ceiling
"""

import argparse
import datetime
import json
import os
import platform as host
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict
from pathlib import Path

from bench import databases
from bench.plan import (
    DEFAULT_SEED,
    EVIDENCE_SEED,
    LOAN_SEED,
    MONEY_SEED,
    BudgetScale,
    EvidencePlan,
    LoanPlan,
    MoneyPlan,
    Plan,
)


def _plan(args) -> Plan:
    return Plan(citizens=args.citizens, municipalities=args.municipalities, seed=args.seed)


def _plan_args(args) -> list[str]:
    return ["--citizens", str(args.citizens), "--municipalities", str(args.municipalities), "--seed", str(args.seed)]


def _timing_args(args) -> list[str]:
    return ["--iterations", str(args.iterations), "--warmup", str(args.warmup)]


def _fresh(url: str) -> tuple[float, float]:
    """Make the database empty and migrate it: (when that started, when the migration ended)."""
    from django.core.management import call_command

    started = time.perf_counter()
    databases.recreate(url)
    databases.use(url)
    call_command("migrate", verbosity=0)
    return started, time.perf_counter()


def load(args) -> None:
    from django.db import connection

    plan, url = _plan(args), args.database_url
    if args.if_missing and databases.exists(url):
        databases.use(url)
        from bench.scale_data import existing_counts

        if existing_counts() == (plan.municipalities, plan.citizens):
            print(f"{databases.vendor(url)}: already loaded ({plan.citizens:,} citizens), {url}")
            return
        connection.close()
    print(f"{databases.vendor(url)}: loading {plan.citizens:,} citizens in {plan.municipalities} municipalities")
    started, migrated = _fresh(url)

    from bench.scale_data import load as load_data

    report = load_data(plan)
    done = time.perf_counter()
    print(
        f"{databases.vendor(url)}: {report.municipalities} municipalities, {report.staff:,} staff, "
        f"{report.citizens:,} citizens, {report.benefit_periods:,} benefit periods in {done - started:.0f} s "
        f"(migrate {migrated - started:.1f} s, generate {report.generate_seconds:.0f} s, "
        f"insert {report.insert_seconds:.0f} s, analyse {report.analyse_seconds:.1f} s)"
    )


def measure(args) -> None:
    databases.use(args.database_url)
    from django.db import connection

    from bench import platform
    from bench.report import table
    from bench.scale_data import existing_counts

    municipalities, citizens = existing_counts()
    if not citizens:
        sys.exit(f"No scale data in {args.database_url}: run `python -m bench load --database-url {args.database_url}`")
    busy = os.getloadavg()[0]
    print(f"{connection.vendor}: {citizens:,} citizens in {municipalities} municipalities, load average {busy:.2f}")
    results = platform.run(iterations=args.iterations, warmup=args.warmup)
    print(table(results))
    if args.json:
        if connection.vendor == "sqlite":
            version = connection.Database.sqlite_version
        else:
            version = f"{connection.pg_version // 10000}.{connection.pg_version % 10000}"
        Path(args.json).write_text(
            json.dumps({"version": version, "load": busy, "results": [asdict(r) for r in results]})
        )


def _budget_scale(args) -> BudgetScale:
    return BudgetScale(base=_plan(args), plans=args.plans)


def budgets_load(args) -> None:
    from django.db import connection

    scale, url = _budget_scale(args), args.database_url
    wanted = f"{scale.plans:,} budget plans among {scale.base.citizens:,} citizens in {scale.base.municipalities}"
    if args.if_missing and databases.exists(url):
        databases.use(url)
        from bench.budget_data import existing_plan_count
        from bench.scale_data import existing_counts

        if (
            existing_counts() == (scale.base.municipalities, scale.base.citizens)
            and existing_plan_count() == scale.plans
        ):
            print(f"{databases.vendor(url)}: already loaded ({wanted} municipalities), {url}")
            return
        connection.close()
    print(f"{databases.vendor(url)}: loading {wanted} municipalities")
    started, migrated = _fresh(url)

    from bench.budget_data import load as load_budgets
    from bench.scale_data import load as load_platform

    base = load_platform(scale.base)
    platform_done = time.perf_counter()
    report = load_budgets(scale)
    done = time.perf_counter()
    statuses = ", ".join(f"{status} {n:,}" for status, n in sorted(report.by_status.items(), key=lambda i: -i[1]))
    print(
        f"{databases.vendor(url)}: {base.citizens:,} citizens and {base.benefit_periods:,} benefit periods "
        f"in {platform_done - migrated:.0f} s; {report.plans:,} budget plans ({statuses}), {report.lines:,} lines, "
        f"{report.payments:,} payments, {report.receipts:,} receipts, {report.rows:,} budget rows in all "
        f"in {done - platform_done:.0f} s (generate {report.generate_seconds:.0f} s, "
        f"insert {report.insert_seconds:.0f} s, "
        f"analyse {report.analyse_seconds:.1f} s); total {done - started:.0f} s with migrate {migrated - started:.1f} s"
    )


def budgets_measure(args) -> None:
    databases.use(args.database_url)
    from django.db import connection

    from bench import budgets
    from bench.budget_data import existing_plan_count
    from bench.report import table

    plans = existing_plan_count()
    if not plans:
        sys.exit(f"No budget data in {args.database_url}: run `python -m bench budgets-load --database-url ...`")
    busy = os.getloadavg()[0]
    print(f"{connection.vendor}: {plans:,} budget plans, load average {busy:.2f}")
    results = budgets.run(iterations=args.iterations, warmup=args.warmup)
    busy_after = os.getloadavg()[0]
    print(f"load average {busy_after:.2f} at the end")
    print(table(results, targets=True))
    if args.json:
        Path(args.json).write_text(
            json.dumps(
                {
                    "version": _db_version(connection),
                    "load": busy,
                    "load_after": busy_after,
                    "results": [asdict(r) for r in results],
                }
            )
        )


def budgets_pages(args) -> None:
    databases.use(args.database_url)
    from bench.budget_data import probe_usernames
    from bench.budget_pages import write

    written = write(args.directory, usernames=probe_usernames())
    print(f"{written} pages written to {args.directory}")


def _db_version(connection) -> str:
    if connection.vendor == "sqlite":
        return connection.Database.sqlite_version
    return f"{connection.pg_version // 10000}.{connection.pg_version % 10000}"


def budgets_all(args) -> None:
    from bench.report import Measurement, query_counts_constant, table

    targets = [args.sqlite_url]
    if databases.reachable(args.postgres_url):
        targets.append(args.postgres_url)
    else:
        print(f"PostgreSQL does not answer at {args.postgres_url}: measuring SQLite only")
    results, versions = [], {}
    for url in targets:
        _child("budgets-load", "--if-missing", "--database-url", url, *_plan_args(args), "--plans", str(args.plans))
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "results.json"
            _child("budgets-measure", "--database-url", url, *_timing_args(args), "--json", str(out))
            data = json.loads(out.read_text())
        versions[databases.vendor(url)] = (
            f"{data['version']} (load average {data['load']:.2f} at the start, {data['load_after']:.2f} at the end)"
        )
        results += [Measurement(**r) for r in data["results"]]
    print()
    print(
        f"Teten budgets benchmark, {datetime.date.today()}: {args.plans:,} budget plans among "
        f"{args.citizens:,} citizens, {_machine()}"
    )
    print("; ".join(f"{vendor} {version}" for vendor, version in versions.items()))
    print(f"{args.iterations} requests per row after {args.warmup} to warm up; times in milliseconds, in-process")
    print("CPU: this process's CPU time per request; server CPU: the PostgreSQL backend's, a mean per request")
    print()
    print(table(results, targets=True))
    print()
    failures = [
        f"{r.database}: {r.scenario}: p95 {r.p95_ms:.1f} ms > {r.target_ms:g} ms" for r in results if not r.meets_target
    ]
    for vendor in versions:
        constant = query_counts_constant([r for r in results if r.database == vendor])
        for group, same in constant.items():
            verdict = "the same number of queries for few rows and many" if same else "QUERY COUNT GROWS"
            print(f"{vendor}: {group}: {verdict}")
            if not same:
                failures.append(f"{vendor}: {group}: the query count differs with the rows shown")
    if failures:
        sys.exit("Targets missed:\n  " + "\n  ".join(failures))


def _child(*args: str) -> None:
    """Run `python -m bench ...` in a new process: Teten's settings serve one database per process."""
    done = subprocess.run([sys.executable, "-m", "bench", *args], check=False)  # noqa: S603 - our own command
    if done.returncode:
        sys.exit(f"python -m bench {' '.join(args)} failed (exit code {done.returncode})")


def _machine() -> str:
    memory = next(line for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal"))
    gib = int(memory.split()[1]) / 1024**2
    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
    cpu = next((line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name")), host.processor())
    return f"{os.cpu_count()} cores ({cpu}), {gib:.0f} GiB RAM, Python {host.python_version()}"


def platform_all(args) -> None:
    from bench.report import Measurement, table

    targets = [args.sqlite_url]
    if databases.reachable(args.postgres_url):
        targets.append(args.postgres_url)
    else:
        print(f"PostgreSQL does not answer at {args.postgres_url}: measuring SQLite only")
    results, versions = [], {}
    for url in targets:
        _child("load", "--if-missing", "--database-url", url, *_plan_args(args))
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "results.json"
            _child("measure", "--database-url", url, *_timing_args(args), "--json", str(out))
            data = json.loads(out.read_text())
        versions[databases.vendor(url)] = f"{data['version']} (load average {data['load']:.2f} at the start)"
        results += [Measurement(**r) for r in data["results"]]
    print()
    print(f"Teten platform benchmark, {datetime.date.today()}: {args.citizens:,} citizens, {_machine()}")
    print("; ".join(f"{vendor} {version}" for vendor, version in versions.items()))
    print(f"{args.iterations} requests per row after {args.warmup} to warm up; times in milliseconds, in-process")
    print()
    print(table(results))
    if not all(r.meets_target for r in results):
        sys.exit("Some p95 is over the 100 ms target")


def _loan_plan(args) -> LoanPlan:
    return LoanPlan(loans=args.loans, municipalities=args.municipalities, seed=args.seed)


def _loan_plan_args(args) -> list[str]:
    return ["--loans", str(args.loans), "--municipalities", str(args.municipalities), "--seed", str(args.seed)]


def _vendor_version(connection) -> str:
    if connection.vendor == "sqlite":
        return connection.Database.sqlite_version
    return f"{connection.pg_version // 10000}.{connection.pg_version % 10000}"


def loans_load(args) -> None:
    from django.db import connection

    plan, url = _loan_plan(args), args.database_url
    if args.if_missing and databases.exists(url):
        databases.use(url)
        from bench.loan_data import loan_counts

        if loan_counts() == (plan.loans, 0):
            print(f"{databases.vendor(url)}: already loaded ({plan.loans:,} loans, daily not yet run), {url}")
            return
        connection.close()
    print(f"{databases.vendor(url)}: loading {plan.loans:,} loans in {plan.municipalities} municipalities")
    started, migrated = _fresh(url)

    from bench.loan_data import load as load_loans

    r = load_loans(plan)
    done = time.perf_counter()
    print(
        f"{databases.vendor(url)}: {r.loans:,} loans ({r.open_loans:,} open, {r.in_arrears:,} in arrears, "
        f"{r.rescheduled:,} rescheduled, {r.repaid:,} repaid), {r.instalments:,} instalments "
        f"in {done - started:.0f} s (migrate {migrated - started:.1f} s, generate {r.generate_seconds:.0f} s, "
        f"insert {r.insert_seconds:.0f} s, analyse {r.analyse_seconds:.1f} s)"
    )


def loans_measure(args) -> None:
    databases.use(args.database_url)
    from django.db import connection

    from bench import loans
    from bench.loan_data import loan_counts
    from bench.loan_report import daily_table, page_table

    count, _sent = loan_counts()
    if not count:
        sys.exit(
            f"No loans in {args.database_url}: run `python -m bench loans-load --database-url {args.database_url}`"
        )
    busy = os.getloadavg()[0]
    print(f"{connection.vendor}: {count:,} loans, load average {busy:.2f}")
    on = LoanPlan.business_date
    # The two halves can run apart: the reminder day's letters take minutes and have no target,
    # so on a shared machine the timed page requests can wait for a quiet moment (or a lock).
    daily = [] if args.skip_daily else loans.daily(on)
    pages = (
        [] if args.skip_pages else loans.pages(on, iterations=args.iterations, warmup=args.warmup, budget=args.budget)
    )
    if daily:
        print(daily_table(daily))
    if pages:
        print(page_table(pages))
    if args.json:
        Path(args.json).write_text(
            json.dumps(
                {
                    "version": _vendor_version(connection),
                    "load": busy,
                    "daily": [asdict(r) for r in daily],
                    "pages": [asdict(r) for r in pages],
                }
            )
        )


def loans_profile(args) -> None:
    databases.use(args.database_url)
    from bench import loans

    print(loans.profile_page(LoanPlan.business_date, top=args.top))


def loans_all(args) -> None:
    from bench.loan_report import TARGET_P95_MS, DailyMeasurement, PageMeasurement, daily_table, page_table

    targets = [args.sqlite_url]
    if databases.reachable(args.postgres_url):
        targets.append(args.postgres_url)
    else:
        print(f"PostgreSQL does not answer at {args.postgres_url}: measuring SQLite only")
    daily, pages, versions = [], [], {}
    for url in targets:
        _child("loans-load", "--if-missing", "--database-url", url, *_loan_plan_args(args))
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "results.json"
            _child("loans-measure", "--database-url", url, *_loan_timing_args(args), "--json", str(out))
            data = json.loads(out.read_text())
        versions[databases.vendor(url)] = f"{data['version']} (load average {data['load']:.2f} at the start)"
        daily += [DailyMeasurement(**r) for r in data["daily"]]
        pages += [PageMeasurement(**r) for r in data["pages"]]
    print()
    print(f"Teten micro-loan benchmark, {datetime.date.today()}: {args.loans:,} loans, {_machine()}")
    print("; ".join(f"{vendor} {version}" for vendor, version in versions.items()))
    print(f"teten daily --date {LoanPlan.business_date} --only loan_payouts --only loan_reminders, twice:")
    print()
    print(daily_table(daily))
    print()
    print(f"The coordinator's programme page: up to {args.iterations} requests after {args.warmup} to warm up")
    print(f"(at least 3, at most {args.budget:.0f} s of them); times in milliseconds, in-process")
    print()
    print(page_table(pages))
    if not all(r.meets_target for r in pages):
        sys.exit(f"Some programme page's p95 is over the {TARGET_P95_MS} ms target")


def _loan_timing_args(args) -> list[str]:
    return ["--iterations", str(args.iterations), "--warmup", str(args.warmup), "--budget", str(args.budget)]


def _evidence_plan(args) -> EvidencePlan:
    return EvidencePlan(citizens=args.citizens, seed=args.seed)


def _evidence_env(url: str) -> None:
    """The uploaded outcome files go next to the benchmark's database, not into var/media."""
    os.environ["TETEN_MEDIA_ROOT"] = str(databases.REPO / "var" / "bench-evidence-media")


def evidence_load(args) -> None:
    from django.db import connection

    plan, url = _evidence_plan(args), args.database_url
    _evidence_env(url)
    rows = plan.citizens * plan.history_months
    if args.if_missing and databases.exists(url):
        databases.use(url)
        from bench.evidence_data import existing_counts

        if existing_counts() == (plan.citizens, rows):
            print(f"{databases.vendor(url)}: already loaded ({plan.citizens:,} citizens, {rows:,} outcomes), {url}")
            _migrate_loaded()
            return
        connection.close()
    print(f"{databases.vendor(url)}: loading {plan.citizens:,} citizens and {rows:,} outcome months")
    started, migrated = _fresh(url)

    from bench.evidence_data import load as load_evidence

    r = load_evidence(plan)
    done = time.perf_counter()
    print(
        f"{databases.vendor(url)}: {r.citizens:,} citizens, {r.members:,} in cohorts and control groups "
        f"({r.offers:,} offers, {r.draw_entries:,} draw entries), {r.outcomes:,} outcome months "
        f"in {done - started:.0f} s (migrate {migrated - started:.1f} s, generate {r.generate_seconds:.0f} s, "
        f"insert {r.insert_seconds:.0f} s, summary {r.summary_seconds:.0f} s, analyse {r.analyse_seconds:.1f} s)"
    )


def _migrate_loaded() -> None:
    """A database loaded before a new migration gets it (an index on 12 million rows takes a while)."""
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if not pending:
        return
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    from bench.evidence_data import analyse

    analyse()
    names = ", ".join(f"{m.app_label}.{m.name}" for m, _backwards in pending)
    print(f"{connection.vendor}: applied {names} and analysed in {time.perf_counter() - started:.0f} s")


def evidence_measure(args) -> None:
    _evidence_env(args.database_url)
    databases.use(args.database_url)
    from django.db import connection

    from bench import evidence
    from bench.evidence_data import existing_counts

    plan = _evidence_plan(args)
    citizens, outcomes = existing_counts()
    if not outcomes:
        sys.exit(f"No evidence data in {args.database_url}: run `python -m bench evidence-load --database-url ...`")
    busy = os.getloadavg()[0]
    print(f"{connection.vendor}: {citizens:,} citizens, {outcomes:,} outcome months, load average {busy:.2f}")
    if args.profile:
        print(evidence.profile_report())
        return
    # The report first, on the data as loaded: the import's inserts and deletes leave dead rows
    # behind that autovacuum would clear some time later.
    report = (
        []
        if args.skip_report
        else evidence.reports(plan, iterations=args.iterations, warmup=args.warmup, budget=args.budget)
    )
    after_report = os.getloadavg()[0]
    imported = [] if args.skip_import else evidence.imports(plan, workdir=databases.REPO / "var")
    print(evidence.import_table(imported))
    print(evidence.report_table(report))
    if args.json:
        Path(args.json).write_text(
            json.dumps(
                {
                    "version": _vendor_version(connection),
                    "load": [busy, after_report, os.getloadavg()[0]],
                    "imports": [asdict(r) for r in imported],
                    "reports": [asdict(r) for r in report],
                }
            )
        )


def evidence_all(args) -> None:
    from bench.evidence import ImportMeasurement, ReportMeasurement, import_table, report_table

    targets = [args.sqlite_url]
    if databases.reachable(args.postgres_url):
        targets.append(args.postgres_url)
    else:
        print(f"PostgreSQL does not answer at {args.postgres_url}: measuring SQLite only")
    imported, report, versions = [], [], {}
    plan_args = ["--citizens", str(args.citizens), "--seed", str(args.seed)]
    timing = ["--iterations", str(args.iterations), "--warmup", str(args.warmup), "--budget", str(args.budget)]
    for url in targets:
        _child("evidence-load", "--if-missing", "--database-url", url, *plan_args)
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "results.json"
            _child("evidence-measure", "--database-url", url, *plan_args, *timing, "--json", str(out))
            data = json.loads(out.read_text())
        loads = " → ".join(f"{x:.2f}" for x in data["load"])
        versions[databases.vendor(url)] = f"{data['version']} (load average {loads}: start, after the report, end)"
        imported += [ImportMeasurement(**r) for r in data["imports"]]
        report += [ReportMeasurement(**r) for r in data["reports"]]
    print()
    print(f"Teten evidence benchmark, {datetime.date.today()}: {args.citizens:,} citizens, {_machine()}")
    print("; ".join(f"{vendor} {version}" for vendor, version in versions.items()))
    print()
    print(import_table(imported))
    print()
    print(report_table(report))
    failures = [f"{r.database}: {r.step}: {r.ratio:.2f} × raw" for r in imported if r.ratio and r.ratio > 3]
    failures += [f"{r.database}: {r.scenario}: p95 {r.p95_ms:.0f} ms" for r in report if not r.meets_target]
    if failures:
        sys.exit("Targets missed:\n  " + "\n  ".join(failures))


def _money_plan(args) -> MoneyPlan:
    return MoneyPlan(payments=args.payments, municipalities=args.municipalities, seed=args.seed)


def _money_plan_args(args) -> list[str]:
    return ["--payments", str(args.payments), "--municipalities", str(args.municipalities), "--seed", str(args.seed)]


def money_load(args) -> None:
    from django.db import connection

    plan, url = _money_plan(args), args.database_url
    if args.if_missing and databases.exists(url):
        databases.use(url)
        from bench.money_data import money_counts

        if money_counts(plan.business_date) == (plan.payments, 0):
            print(
                f"{databases.vendor(url)}: already loaded ({plan.payments:,} open payments, daily not yet run), {url}"
            )
            return
        connection.close()
    print(f"{databases.vendor(url)}: loading {plan.payments:,} open payments in {plan.municipalities} municipalities")
    started, migrated = _fresh(url)

    from bench.money_data import load as load_money

    r = load_money(plan)
    done = time.perf_counter()
    print(
        f"{databases.vendor(url)}: {r.grants:,} grants, {r.payments:,} open payments ({r.due:,} due on "
        f"{plan.business_date}, {r.later:,} later, {r.invoices:,} invoices of which {r.in_batches:,} in "
        f"{r.batches} batches), {r.ledger_transactions:,} ledger transactions in {done - started:.0f} s "
        f"(migrate {migrated - started:.1f} s, generate {r.generate_seconds:.0f} s, insert {r.insert_seconds:.0f} s, "
        f"analyse {r.analyse_seconds:.1f} s)"
    )


def _money_env() -> None:
    """The batch reminders' mails are kept in memory (Django's locmem backend), not printed."""
    os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"


def money_measure(args) -> None:
    _money_env()
    databases.use(args.database_url)
    from django.db import connection

    from bench import money
    from bench.money_data import money_counts
    from bench.money_report import daily_table, posting_table

    on = MoneyPlan.business_date
    payments, _runs = money_counts(on)
    if not payments:
        sys.exit(f"No money data in {args.database_url}: run `python -m bench money-load --database-url ...`")
    busy = os.getloadavg()[0]
    print(f"{connection.vendor}: {payments:,} payments, load average {busy:.2f}")
    if args.profile:
        print(money.profile(on, count=args.profile_count))
        return
    posted = [] if args.skip_postings else money.postings(args.postings, on)
    after_postings = os.getloadavg()[0]
    daily = [] if args.skip_daily else money.daily(on)
    if posted:
        print(posting_table(posted))
    if daily:
        print(daily_table(daily))
    if args.json:
        Path(args.json).write_text(
            json.dumps(
                {
                    "version": _vendor_version(connection),
                    "load": [busy, after_postings, os.getloadavg()[0]],
                    "postings": [asdict(r) for r in posted],
                    "daily": [asdict(r) for r in daily],
                }
            )
        )


def money_pgbench(args) -> None:
    from bench import pgbench
    from bench.money_report import pgbench_line

    if not databases.reachable(args.database_url):
        sys.exit(f"PostgreSQL does not answer at {args.database_url}")
    if not args.skip_init:
        seconds = pgbench.pgbench_init(args.database_url, scale=args.scale)
        print(f"pgbench -i -s {args.scale} into {args.database_url}: {seconds:.0f} s")
    result = pgbench.pgbench(args.database_url, scale=args.scale, seconds=args.seconds)
    print(pgbench_line(result))
    if args.json:
        Path(args.json).write_text(json.dumps(asdict(result)))


def money_all(args) -> None:
    from bench.money_report import (
        DailyMeasurement,
        PgbenchMeasurement,
        PostingMeasurement,
        daily_table,
        pgbench_line,
        posting_table,
    )

    targets = [args.sqlite_url]
    if databases.reachable(args.postgres_url):
        targets.append(args.postgres_url)
    else:
        print(f"PostgreSQL does not answer at {args.postgres_url}: measuring SQLite only, and no pgbench")
    posted, daily, versions = [], [], {}
    for url in targets:
        _child("money-load", "--if-missing", "--database-url", url, *_money_plan_args(args))
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "results.json"
            _child("money-measure", "--database-url", url, "--postings", str(args.postings), "--json", str(out))
            data = json.loads(out.read_text())
        loads = " → ".join(f"{x:.2f}" for x in data["load"])
        versions[databases.vendor(url)] = f"{data['version']} (load average {loads}: start, after postings, end)"
        posted += [PostingMeasurement(**r) for r in data["postings"]]
        daily += [DailyMeasurement(**r) for r in data["daily"]]
    ceiling = None
    if len(targets) > 1:
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "pgbench.json"
            _child(
                "money-pgbench",
                "--database-url",
                args.pgbench_url,
                "--scale",
                str(args.scale),
                "--seconds",
                str(args.seconds),
                "--json",
                str(out),
            )
            ceiling = PgbenchMeasurement(**json.loads(out.read_text()))
    print()
    print(f"Teten money benchmark, {datetime.date.today()}: {args.payments:,} open payments, {_machine()}")
    print("; ".join(f"{vendor} {version}" for vendor, version in versions.items()))
    print(f"Postings: {args.postings:,} each, one process, each its own transaction")
    print()
    print(posting_table(posted))
    print()
    if ceiling:
        print(pgbench_line(ceiling))
        two = next(r for r in posted if r.database == "postgresql" and r.scenario.startswith("2 legs, new"))
        four = next(r for r in posted if r.database == "postgresql" and r.scenario.startswith("4 legs, new"))
        print(
            f"Teten on PostgreSQL: 2 legs {two.per_second:,.0f} postings/s = {two.per_second / ceiling.tps:.2f} × "
            f"pgbench; 4 legs {four.per_second:,.0f} postings/s = {four.per_second / ceiling.tps:.2f} × pgbench"
        )
    print("SQLite: no pgbench ceiling (pgbench is PostgreSQL's); postings/s only")
    print()
    print(f"teten daily --date {MoneyPlan.business_date} --only payments_due --only batch_reminders, twice:")
    print()
    print(daily_table(daily))


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command")

    def plan_options(p):
        p.add_argument("--citizens", type=int, default=200_000)
        p.add_argument("--municipalities", type=int, default=98)
        p.add_argument("--seed", type=int, default=DEFAULT_SEED)

    def timing_options(p):
        p.add_argument("--iterations", type=int, default=200, help="timed requests per scenario")
        p.add_argument("--warmup", type=int, default=20, help="untimed requests before them")

    p_load = commands.add_parser("load", help="make a database fresh and load the scale data")
    plan_options(p_load)
    p_load.add_argument("--database-url", default=databases.SQLITE_URL)
    p_load.add_argument("--if-missing", action="store_true", help="keep a database that already has this plan's data")
    p_load.set_defaults(func=load)

    p_measure = commands.add_parser("measure", help="measure one loaded database")
    p_measure.add_argument("--database-url", default=databases.SQLITE_URL)
    timing_options(p_measure)
    p_measure.add_argument("--json", help="also write the results to this file")
    p_measure.set_defaults(func=measure)

    p_platform = commands.add_parser("platform", help="load if missing, then measure SQLite and PostgreSQL")
    plan_options(p_platform)
    timing_options(p_platform)
    p_platform.add_argument("--sqlite-url", default=databases.SQLITE_URL)
    p_platform.add_argument("--postgres-url", default=os.environ.get("BENCH_POSTGRES_URL", databases.POSTGRES_URL))
    p_platform.set_defaults(func=platform_all)

    def budget_options(p):
        plan_options(p)
        p.add_argument("--plans", type=int, default=50_000, help="budget plans (about 6 lines each)")

    p_bload = commands.add_parser("budgets-load", help="make a database fresh and load the budget scale data")
    budget_options(p_bload)
    p_bload.add_argument("--database-url", default=databases.BUDGETS_SQLITE_URL)
    p_bload.add_argument("--if-missing", action="store_true", help="keep a database that already has this data")
    p_bload.set_defaults(func=budgets_load)

    p_bmeasure = commands.add_parser("budgets-measure", help="measure the budget pages on one loaded database")
    p_bmeasure.add_argument("--database-url", default=databases.BUDGETS_SQLITE_URL)
    timing_options(p_bmeasure)
    p_bmeasure.add_argument("--json", help="also write the results to this file")
    p_bmeasure.set_defaults(func=budgets_measure)

    p_bpages = commands.add_parser(
        "budgets-pages", help="write the budget pages to files, to compare before and after a change"
    )
    p_bpages.add_argument("directory", type=Path)
    p_bpages.add_argument("--database-url", default=databases.BUDGETS_SQLITE_URL)
    p_bpages.set_defaults(func=budgets_pages)

    p_budgets = commands.add_parser("budgets", help="load if missing, then measure the budget pages on both databases")
    budget_options(p_budgets)
    timing_options(p_budgets)
    p_budgets.add_argument("--sqlite-url", default=databases.BUDGETS_SQLITE_URL)
    p_budgets.add_argument(
        "--postgres-url", default=os.environ.get("BENCH_BUDGETS_POSTGRES_URL", databases.BUDGETS_POSTGRES_URL)
    )
    p_budgets.set_defaults(func=budgets_all)

    def loan_plan_options(p):
        p.add_argument("--loans", type=int, default=LoanPlan.loans)
        p.add_argument("--municipalities", type=int, default=LoanPlan.municipalities)
        p.add_argument("--seed", type=int, default=LOAN_SEED)

    def loan_timing_options(p):
        p.add_argument("--iterations", type=int, default=100, help="most timed requests per page")
        p.add_argument("--warmup", type=int, default=10, help="untimed requests before them (1 if a page is slow)")
        p.add_argument("--budget", type=float, default=120, help="seconds of timed requests per page (3 at least)")

    p_loans_load = commands.add_parser("loans-load", help="make a database fresh and load the micro-loan data")
    loan_plan_options(p_loans_load)
    p_loans_load.add_argument("--database-url", default=databases.LOANS_SQLITE_URL)
    p_loans_load.add_argument(
        "--if-missing", action="store_true", help="keep a database with this plan's loans whose daily job has not run"
    )
    p_loans_load.set_defaults(func=loans_load)

    p_loans_measure = commands.add_parser("loans-measure", help="measure one loaded micro-loan database")
    p_loans_measure.add_argument("--database-url", default=databases.LOANS_SQLITE_URL)
    loan_timing_options(p_loans_measure)
    p_loans_measure.add_argument("--json", help="also write the results to this file")
    p_loans_measure.add_argument("--skip-daily", action="store_true", help="time the pages only")
    p_loans_measure.add_argument("--skip-pages", action="store_true", help="run the daily job only")
    p_loans_measure.set_defaults(func=loans_measure)

    p_loans_profile = commands.add_parser("loans-profile", help="cProfile the largest programme's page")
    p_loans_profile.add_argument("--database-url", default=databases.LOANS_SQLITE_URL)
    p_loans_profile.add_argument("--top", type=int, default=30, help="functions to show, by each ordering")
    p_loans_profile.set_defaults(func=loans_profile)

    p_loans = commands.add_parser("loans", help="load if missing, then measure the loans on SQLite and PostgreSQL")
    loan_plan_options(p_loans)
    loan_timing_options(p_loans)
    p_loans.add_argument("--sqlite-url", default=databases.LOANS_SQLITE_URL)
    p_loans.add_argument(
        "--postgres-url", default=os.environ.get("BENCH_LOANS_POSTGRES_URL", databases.LOANS_POSTGRES_URL)
    )
    p_loans.set_defaults(func=loans_all)

    def evidence_options(p):
        p.add_argument("--citizens", type=int, default=EvidencePlan.citizens)
        p.add_argument("--seed", type=int, default=EVIDENCE_SEED)

    def evidence_timing(p):
        p.add_argument("--iterations", type=int, default=50, help="most timed calls per scenario")
        p.add_argument("--warmup", type=int, default=2, help="untimed calls before them")
        p.add_argument("--budget", type=float, default=120, help="seconds of timed calls per scenario (3 at least)")

    p_eload = commands.add_parser("evidence-load", help="make a database fresh and load the evidence data")
    evidence_options(p_eload)
    p_eload.add_argument("--database-url", default=databases.EVIDENCE_SQLITE_URL)
    p_eload.add_argument("--if-missing", action="store_true", help="keep a database that already has this data")
    p_eload.set_defaults(func=evidence_load)

    p_emeasure = commands.add_parser("evidence-measure", help="time the import and the report on one database")
    evidence_options(p_emeasure)
    evidence_timing(p_emeasure)
    p_emeasure.add_argument("--database-url", default=databases.EVIDENCE_SQLITE_URL)
    p_emeasure.add_argument("--skip-import", action="store_true", help="time the report only")
    p_emeasure.add_argument("--skip-report", action="store_true", help="time the import only")
    p_emeasure.add_argument("--profile", action="store_true", help="cProfile one support() instead")
    p_emeasure.add_argument("--json", help="also write the results to this file")
    p_emeasure.set_defaults(func=evidence_measure)

    p_evidence = commands.add_parser("evidence", help="load if missing, then measure import and report on both")
    evidence_options(p_evidence)
    evidence_timing(p_evidence)
    p_evidence.add_argument("--sqlite-url", default=databases.EVIDENCE_SQLITE_URL)
    p_evidence.add_argument(
        "--postgres-url", default=os.environ.get("BENCH_EVIDENCE_POSTGRES_URL", databases.EVIDENCE_POSTGRES_URL)
    )
    p_evidence.set_defaults(func=evidence_all)

    def money_plan_options(p):
        p.add_argument("--payments", type=int, default=MoneyPlan.payments, help="open payments")
        p.add_argument("--municipalities", type=int, default=MoneyPlan.municipalities)
        p.add_argument("--seed", type=int, default=MONEY_SEED)

    def pgbench_options(p):
        p.add_argument("--scale", type=int, default=10, help="pgbench -i -s: 100,000 accounts per unit")
        p.add_argument("--seconds", type=int, default=60, help="pgbench -T")

    p_mload = commands.add_parser("money-load", help="make a database fresh and load the money data")
    money_plan_options(p_mload)
    p_mload.add_argument("--database-url", default=databases.MONEY_SQLITE_URL)
    p_mload.add_argument(
        "--if-missing",
        action="store_true",
        help="keep a database with this plan's payments whose daily job has not run",
    )
    p_mload.set_defaults(func=money_load)

    p_mmeasure = commands.add_parser("money-measure", help="time postings and the daily job on one loaded database")
    p_mmeasure.add_argument("--database-url", default=databases.MONEY_SQLITE_URL)
    p_mmeasure.add_argument("--postings", type=int, default=5_000, help="postings with 2 legs, and as many with 4")
    p_mmeasure.add_argument("--skip-postings", action="store_true", help="run the daily job only")
    p_mmeasure.add_argument("--skip-daily", action="store_true", help="time the postings only (the data stays)")
    p_mmeasure.add_argument(
        "--profile", action="store_true", help="cProfile postings and payments made due (rolled back), nothing else"
    )
    p_mmeasure.add_argument("--profile-count", type=int, default=1000, help="postings and payments profiled")
    p_mmeasure.add_argument("--json", help="also write the results to this file")
    p_mmeasure.set_defaults(func=money_measure)

    p_mpgbench = commands.add_parser("money-pgbench", help="pgbench's one-client TPC-B-like tps on this machine")
    p_mpgbench.add_argument("--database-url", default=databases.PGBENCH_URL)
    pgbench_options(p_mpgbench)
    p_mpgbench.add_argument("--skip-init", action="store_true", help="reuse the tables of an earlier pgbench -i")
    p_mpgbench.add_argument("--json", help="also write the result to this file")
    p_mpgbench.set_defaults(func=money_pgbench)

    p_money = commands.add_parser("money", help="load if missing, then measure both databases and pgbench")
    money_plan_options(p_money)
    pgbench_options(p_money)
    p_money.add_argument("--postings", type=int, default=5_000, help="postings with 2 legs, and as many with 4")
    p_money.add_argument("--sqlite-url", default=databases.MONEY_SQLITE_URL)
    p_money.add_argument(
        "--postgres-url", default=os.environ.get("BENCH_MONEY_POSTGRES_URL", databases.MONEY_POSTGRES_URL)
    )
    p_money.add_argument("--pgbench-url", default=databases.PGBENCH_URL)
    p_money.set_defaults(func=money_all)

    argv = sys.argv[1:] if argv is None else argv
    if not argv or (argv[0].startswith("-") and argv[0] not in ("-h", "--help")):
        argv = ["platform", *argv]
    args = parser.parse_args(argv)
    args.func(args)


if __name__ == "__main__":
    main()
