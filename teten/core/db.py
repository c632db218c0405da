"""Database expressions that SQLite and PostgreSQL answer alike."""

from django.db import connection
from django.db.models import Func, IntegerField
from django.utils.functional import cached_property


class DaysBetween(Func):
    """Whole days from the date `start` to the date `end` (negative if `end` is earlier; NULL if
    either is NULL), counted by the database: reports over thousands of rows then read integers
    rather than parse two dates a row in Python."""

    output_field = IntegerField()
    arity = 2

    def __init__(self, start, end, **extra):
        super().__init__(end, start, **extra)

    @cached_property
    def convert_value(self):
        # Both databases return an integer already: no converter to call for every row.
        return self._convert_value_noop

    def as_sqlite(self, compiler, connection, **extra):
        # Dates are ISO text in SQLite; julianday() turns them into day numbers.
        return self.as_sql(
            compiler,
            connection,
            template="CAST(julianday(%(expressions)s) AS INTEGER)",
            arg_joiner=") - julianday(",
            **extra,
        )

    def as_postgresql(self, compiler, connection, **extra):
        # date - date is an integer number of days in PostgreSQL.
        return self.as_sql(compiler, connection, template="(%(expressions)s)", arg_joiner=" - ", **extra)


def quoted_table(model) -> str:
    """The model's table name, quoted for the database, for the few statements written as SQL."""
    return connection.ops.quote_name(model._meta.db_table)
