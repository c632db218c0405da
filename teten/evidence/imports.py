"""Importing a monthly outcome file (format: `outcome_format`).

The upload is stored as it came (`documents.StoredFile`); the rows are then read in chunks of
`CHUNK` (`CHUNK_POSTGRES` on PostgreSQL), each chunk in one transaction: its good rows are
written (insert, or replace the citizen's month) and added to the citizens' `OutcomeSummary`, its
bad rows listed with their row numbers, and the progress counters moved on, so the page can show
a progress bar while a large file is read in the background. Re-importing a file, or importing
again after a stop half-way, gives the same rows as one clean import.
"""

import csv
import io
import logging
import threading

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import close_old_connections, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from teten.accounts.access import require
from teten.audit.models import AccessKind
from teten.audit.services import access_record, decision_record
from teten.citizens.models import Citizen
from teten.core.clock import now, today
from teten.core.db import quoted_table
from teten.documents.models import storage_path
from teten.documents.uploads import upload_store
from teten.evidence.models import ImportStatus, OutcomeImport, OutcomeMonth, OutcomeProblem
from teten.evidence.outcome_format import RowError, RowReader, header_columns
from teten.evidence.summary import summary_add

log = logging.getLogger(__name__)

CHUNK = 5000
# PostgreSQL: a chunk costs a round of statements and a commit whatever its size; 20 of them for
# a million rows instead of 200, and the progress bar still moves every 50,000 rows.
CHUNK_POSTGRES = 50_000
MAX_BYTES = 300 * 1024 * 1024  # 1,000,000 rows of about 60 bytes fit five times over
FIELDS = (
    "municipality_id",
    "citizen_id",
    "month",
    "on_support",
    "benefit",
    "hours",
    "self_employed",
    "activation",
    "married",
    "danish_origin",
    "source_id",
)


STAGING = "evidence_outcome_staging"  # PostgreSQL: one temporary table for the run


def _upsert_sql() -> str:
    """Insert, or replace the citizen's month: from the rows as parameters (SQLite), or from the
    chunk's temporary table (PostgreSQL)."""
    quote = connection.ops.quote_name
    names = ", ".join(quote(f) for f in FIELDS)
    updates = ", ".join(
        f"{quote(f)} = excluded.{quote(f)}" for f in FIELDS if f not in ("municipality_id", "citizen_id", "month")
    )
    if connection.vendor == "postgresql":
        rows = f"SELECT {names} FROM {STAGING}"  # noqa: S608 - names from the model
    else:
        rows = f"VALUES ({', '.join(['%s'] * len(FIELDS))})"
    # Names from the model, values bound.
    table = quoted_table(OutcomeMonth)
    return f"INSERT INTO {table} ({names}) {rows} ON CONFLICT (citizen_id, month) DO UPDATE SET {updates}"


def import_upload(*, actor, uploaded_file, background: bool | None = None) -> OutcomeImport:
    """Store an uploaded outcome file and start reading it (in the background where set)."""
    municipality = actor.municipality
    require(actor, "evidence.manage", None)
    with transaction.atomic():
        stored = upload_store(
            municipality=municipality,
            uploaded_file=uploaded_file,
            uploaded_by_staff=actor,
            max_bytes=MAX_BYTES,
            csv=True,
        )
        job = OutcomeImport.objects.create(
            municipality=municipality,
            file=stored,
            file_name=stored.original_name,
            sha256=stored.sha256,
            uploaded_by=actor,
            uploaded_at=now(),
        )
        decision_record(
            actor=actor,
            municipality=municipality,
            kind="evidence.outcome_import",
            obj=job,
            after={"file": stored.original_name, "sha256": stored.sha256, "size": stored.size},
        )
    if settings.TETEN_IMPORT_IN_BACKGROUND if background is None else background:
        threading.Thread(target=_run_in_thread, args=(job.pk,), daemon=True, name=f"outcome-import-{job.pk}").start()
    else:
        import_run(job.pk)
        job.refresh_from_db()
    return job


def _run_in_thread(job_id: int) -> None:
    close_old_connections()
    try:
        import_run(job_id)
    except Exception:  # the job row says it failed; the thread must not die silently
        log.exception("Outcome import %s failed", job_id)
    finally:
        connection.close()


def _open_text(job: OutcomeImport):
    handle = default_storage.open(storage_path(job.municipality.code, job.file.storage_name), "rb")
    return io.TextIOWrapper(handle, encoding="utf-8-sig", newline="")


def _count_rows(job: OutcomeImport) -> int:
    with _open_text(job) as text:
        rows = sum(1 for cells in csv.reader(text, delimiter=_delimiter(job)) if any(c.strip() for c in cells))
    return max(0, rows - 1)


def _delimiter(job: OutcomeImport) -> str:
    with _open_text(job) as text:
        first = text.readline()
    return ";" if first.count(";") >= first.count(",") else ","


def import_run(job_id: int) -> OutcomeImport:
    """Read the file's rows into OutcomeMonth. Safe to run again on the same job."""
    job = OutcomeImport.objects.all_municipalities().select_related("municipality", "file").get(pk=job_id)
    municipality = job.municipality
    OutcomeImport.objects.all_municipalities().filter(pk=job.pk).update(
        status=ImportStatus.RUNNING, rows_total=_count_rows(job), rows_done=0, rows_imported=0, rows_rejected=0
    )
    OutcomeProblem.objects.filter(outcome_import=job).delete()
    citizens = dict(Citizen.objects.for_municipality(municipality).values_list("cpr", "id"))
    latest = today().replace(day=1)
    seen: dict[tuple[int, object], int] = {}  # (citizen id, month) → the row it was first in
    touched: set[int] = set()
    months: set = set()
    sql = _upsert_sql()
    size = CHUNK_POSTGRES if connection.vendor == "postgresql" else CHUNK
    _staging_create()
    try:
        with _open_text(job) as text:
            records = csv.reader(text, delimiter=_delimiter(job))
            try:
                reader = RowReader(header_columns(next(records)), latest)
            except StopIteration:
                raise RowError(_("The file is empty.")) from None
            chunk: list[tuple[int, list[str]]] = []
            for number, cells in enumerate(records, start=2):
                if not any(c.strip() for c in cells):
                    continue
                chunk.append((number, cells))
                if len(chunk) == size:
                    _write_chunk(job, chunk, reader, citizens, seen, touched, months, sql)
                    chunk = []
            _write_chunk(job, chunk, reader, citizens, seen, touched, months, sql)
    except RowError as exc:
        return _finish(job, ImportStatus.FAILED, error=str(exc))
    except (UnicodeDecodeError, csv.Error) as exc:
        return _finish(job, ImportStatus.FAILED, error=_("The file could not be read as CSV in UTF-8: %s") % exc)
    finally:
        _staging_drop()
    access_record(
        actor=job.uploaded_by,
        municipality=municipality,
        kind=AccessKind.CHANGE,
        purpose=_("Monthly outcomes imported from %(file)s") % {"file": job.file_name},
        citizens=sorted(touched),
    )
    return _finish(job, ImportStatus.DONE, months=[f"{month:%Y-%m}" for month in sorted(months)])


def _finish(job: OutcomeImport, status: str, *, error: str = "", months=()) -> OutcomeImport:
    OutcomeImport.objects.all_municipalities().filter(pk=job.pk).update(
        status=status, error=error, months=list(months), finished_at=timezone.now()
    )
    job.refresh_from_db()
    return job


@transaction.atomic
def _write_chunk(job, chunk, reader, citizens, seen, touched, months, sql) -> None:
    if not chunk:
        return
    good, problems = [], []
    municipality_id, source_id = job.municipality_id, job.pk
    for number, cells in chunk:
        try:
            cpr, month, *values = reader.values(cells)
            citizen_id = citizens.get(cpr)
            if citizen_id is None:
                raise RowError(_("no citizen with this CPR number in the municipality's register"))
            earlier = seen.get((citizen_id, month))
            if earlier is not None:
                raise RowError(_("the same citizen and month as row %(row)s") % {"row": earlier})
        except RowError as exc:
            problems.append(OutcomeProblem(outcome_import=job, row=number, reason=str(exc)[:300]))
            continue
        seen[(citizen_id, month)] = number
        touched.add(citizen_id)
        months.add(month)
        good.append((municipality_id, citizen_id, month, *values, source_id))
    if good:
        _upsert(good, sql)
        summary_add(row[:4] for row in good)  # (municipality, citizen, month, on support)
    OutcomeProblem.objects.bulk_create(problems)
    OutcomeImport.objects.all_municipalities().filter(pk=job.pk).update(
        rows_done=F("rows_done") + len(chunk),
        rows_imported=F("rows_imported") + len(good),
        rows_rejected=F("rows_rejected") + len(problems),
    )


def _upsert(rows: list[tuple], sql: str) -> None:
    """Insert the rows, or replace the citizen's month. PostgreSQL gets them by COPY into a
    temporary table and one INSERT … SELECT … ON CONFLICT (an executemany of the upsert sends and
    plans 5,000 statements); SQLite, in process, runs the upsert once per row."""
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.executemany(sql, rows)
            return
        names = ", ".join(connection.ops.quote_name(f) for f in FIELDS)
        # Emptied here rather than ON COMMIT: inside an outer transaction the chunk is a savepoint.
        cursor.execute(f"TRUNCATE {STAGING}")
        with cursor.cursor.copy(f"COPY {STAGING} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        cursor.execute(sql)


def _staging_create() -> None:
    """PostgreSQL: the temporary table the chunks are COPY'd into, one for the run."""
    if connection.vendor != "postgresql":
        return
    names = ", ".join(connection.ops.quote_name(f) for f in FIELDS)
    table = quoted_table(OutcomeMonth)
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMPORARY TABLE IF NOT EXISTS {STAGING} AS SELECT {names} FROM {table} WITH NO DATA"  # noqa: S608
        )


def _staging_drop() -> None:
    """After the run; not in a transaction that has failed (its rollback takes the table with it)."""
    if connection.vendor == "postgresql" and not connection.needs_rollback:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {STAGING}")
