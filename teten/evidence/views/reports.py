"""The evidence reports: tables 1-3 and figure 2 of seed 004, the funnels, misuse and cost, and the
micro-loans' time to decision. Each page shows a chart with a data table next to it and offers the
same tables as CSV and XLSX. Counts only: no names, no CPR numbers.

The numbers come from `teten.evidence.reports`; this module only picks the programme, the cohort
and the month from the query string and turns the report into charts and tables.
"""

import datetime
from dataclasses import dataclass, field

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from teten.accounts.access import get_for_staff
from teten.accounts.decorators import staff_view
from teten.audit.models import AccessKind
from teten.audit.services import access_record
from teten.evidence import charts, exports
from teten.evidence.reports import Table, month_text
from teten.evidence.reports.demographics import demographics
from teten.evidence.reports.funnels import funnel
from teten.evidence.reports.history import FULL_TIME_YEAR_HOURS, PERIODS, history
from teten.evidence.reports.misuse import misuse
from teten.evidence.reports.spending import spending
from teten.evidence.reports.support import support
from teten.evidence.reports.timing import bucket_counts, bucket_labels, timing
from teten.programmes.models import Cohort, Programme, ProgrammeKind

BOTH = (ProgrammeKind.PERSONAL_BUDGET, ProgrammeKind.MICROLOAN)


@dataclass
class Spec:
    slug: str
    url_name: str
    title: object  # lazy text
    kinds: tuple
    intro: object = ""


REPORTS = [
    Spec(
        "demografi",
        "report_demographics",
        gettext_lazy("Who is in each group"),
        BOTH,
        gettext_lazy("Number, women, married, and Danish or non-Danish origin, by cohort (the source's table 1)."),
    ),
    Spec(
        "historik",
        "report_history",
        gettext_lazy("History before start"),
        BOTH,
        gettext_lazy("Work, self-support and activation in the 2 and 5 years before start (the source's table 2)."),
    ),
    Spec(
        "forsoergelse",
        "report_support",
        gettext_lazy("Share on public support"),
        BOTH,
        gettext_lazy("By cohort and month, with the control group (the source's table 3)."),
    ),
    Spec(
        "tragt",
        "report_funnel",
        gettext_lazy("Funnel"),
        BOTH,
        gettext_lazy("How many reached each step, from the offer or referral to leaving public support."),
    ),
    Spec(
        "forbrug",
        "report_spending",
        gettext_lazy("Spending by category"),
        (ProgrammeKind.PERSONAL_BUDGET,),
        gettext_lazy("What the budgets were spent on (the source's figure 2)."),
    ),
    Spec(
        "misbrug",
        "report_misuse",
        gettext_lazy("Misuse and cost per participant"),
        (ProgrammeKind.PERSONAL_BUDGET,),
        gettext_lazy("Misuse cases, the misused share of the granted amount, and the money paid out per participant."),
    ),
    Spec(
        "sagsbehandlingstid",
        "report_timing",
        gettext_lazy("Time to decision"),
        (ProgrammeKind.MICROLOAN,),
        gettext_lazy("Days from the finished course programme to the loan decision and the payout."),
    ),
]
BY_SLUG = {spec.slug: spec for spec in REPORTS}


@dataclass
class Figure:
    """A chart and the table with its numbers."""

    table: Table
    chart: str = ""


@dataclass
class Shown:
    figures: list[Figure]
    definitions: list[str] = field(default_factory=list)
    months: list[datetime.date] = field(default_factory=list)
    month: datetime.date | None = None

    @property
    def tables(self) -> list[Table]:
        return [f.table for f in self.figures]


def _cell_value(cell):
    return None if cell.value is None else cell.value


def _group_bars(table: Table, columns: list[int], names: list[str]) -> list[charts.Bar]:
    bars = []
    for row in table.rows:
        for series, column in enumerate(columns):
            cell = row.cells[column]
            text = f"{names[series]} {cell.text}" if len(columns) > 1 and cell.text else cell.text
            bars.append(charts.Bar(row.label, _cell_value(cell), text or "–", series, row.indented))
    return bars


def _demographics(programme, cohort, request) -> Shown:
    table = demographics(programme, cohort).table()
    names = [_("Women"), _("Danish origin")]
    chart = charts.bar_chart(
        key="demografi",
        title=_("Share of women and of Danish origin, by group"),
        desc=_("Horizontal bars, two per group: women (solid) and Danish origin (hatched). The table has the numbers."),
        bars=_group_bars(table, [1, 3], names),
        legend=names,
        maximum=1,
    )
    return Shown([Figure(table, chart)])


def _history(programme, cohort, request) -> Shown:
    table = history(programme, cohort).table()
    chart = charts.bar_chart(
        key="historik",
        title=_("Self-supporting before start, by group"),
        desc=_("Horizontal bars, two per group: the last 2 years (solid) and the last 5 years (hatched)."),
        bars=_group_bars(table, [2, 6], [_("2 years"), _("5 years")]),
        legend=[_("2 years"), _("5 years")],
        maximum=1,
    )
    years = ", ".join(str(m // 12) for m in PERIODS)
    definitions = [
        _("Period: the whole months before the month of each member's start (%(years)s years).") % {"years": years},
        _(
            "Hours worked: ordinary hours over the whole period, on average per member with data in the period. "
            "One full-time year is %(hours)s hours."
        )
        % {"hours": f"{FULL_TIME_YEAR_HOURS:,}".replace(",", ".")},
        _("Self-supporting: the share of the members' months with data in which they were not on public support."),
        _("Activation: the share of those months with activation of any kind."),
        _(
            "… of which company-based: the share of the same months with company-based activation (work placement "
            "or wage subsidy); it is part of the activation share."
        ),
        _("A group of 1-2 citizens is not shown."),
    ]
    return Shown([Figure(table, chart)], definitions)


def _month(request) -> datetime.date | None:
    value = request.GET.get("maaned", "")
    try:
        return datetime.date(int(value[:4]), int(value[5:7]), 1) if len(value) == 7 and value[4] == "-" else None
    except ValueError:
        return None


def _support(programme, cohort, request) -> Shown:
    report = support(programme, cohort, _month(request))
    table = report.table()
    bars = [charts.Bar(row.label, row.cells[3].value, row.cells[3].text or "–", 0, row.indented) for row in table.rows]
    month = month_text(report.month) if report.month else ""
    bar = charts.bar_chart(
        key="andel",
        title=table.title,
        desc=_("Horizontal bars, one per group: the share on public support in %(month)s.") % {"month": month},
        bars=bars,
        maximum=1,
    )
    months_table = report.months_table()
    lines = [
        charts.Line(label, [row.cells[i].value for row in months_table.rows])
        for i, label in enumerate(months_table.columns[1:])
    ]
    line = charts.line_chart(
        key="forloeb",
        title=months_table.title,
        desc=_(
            "One line per group, each with its own dash and marker shape and its name at its end; "
            "the table below has every month."
        ),
        x_labels=[row.label for row in months_table.rows],
        lines=lines,
        every=max(1, len(months_table.rows) // 8),
    )
    return Shown([Figure(table, bar), Figure(months_table, line)], months=report.months, month=report.month)


def _funnel(programme, cohort, request) -> Shown:
    table = funnel(programme, cohort).table()
    bars = [charts.Bar(row.label, row.cells[0].value, row.cells[0].text, 0) for row in table.rows]
    chart = charts.bar_chart(
        key="tragt",
        title=_("Funnel: how many reached each step"),
        desc=_("Horizontal bars, one per step, with the number written after each bar."),
        bars=bars,
    )
    return Shown([Figure(table, chart)])


def _spending(programme, cohort, request) -> Shown:
    table = spending(programme, cohort).table()
    categories = table.rows[:-2]
    bars = [charts.Bar(row.label, row.cells[1].value, row.cells[1].text or "–", 0) for row in categories]
    chart = charts.bar_chart(
        key="forbrug",
        title=_("Share of the participants with each category"),
        desc=_("Horizontal bars, one per category, with the share of the participants written after each bar."),
        bars=bars,
        maximum=1,
    )
    return Shown([Figure(table, chart)])


def _misuse(programme, cohort, request) -> Shown:
    table = misuse(programme, cohort).table()
    rows = {row.label: row for row in table.rows}
    picked = [rows[_("Share of participants with misuse")], rows[_("Misused share of the granted amount")]]
    chart = charts.bar_chart(
        key="misbrug",
        title=_("Misuse"),
        desc=_(
            "Two horizontal bars: the share of participants with misuse and the misused share of the granted amount."
        ),
        bars=[charts.Bar(row.label, row.cells[0].value, row.cells[0].text or "–", i) for i, row in enumerate(picked)],
        maximum=1,
    )
    return Shown([Figure(table, chart)])


def _timing(programme, cohort, request) -> Shown:
    report = timing(programme, cohort)
    bars = []
    for label, decided, paid in zip(
        bucket_labels(), bucket_counts(report.to_decision), bucket_counts(report.to_payout), strict=True
    ):
        bars.append(charts.Bar(label, decided, f"{_('decision')} {decided}", 0))
        bars.append(charts.Bar(label, paid, f"{_('payout')} {paid}", 1))
    chart = charts.bar_chart(
        key="tid",
        title=_("Days from finished courses to decision and payout"),
        desc=_(
            "Horizontal bars, two per interval: to decision (solid) and to payout (hatched), with the count written."
        ),
        bars=bars,
        legend=[_("To decision"), _("To payout")],
    )
    return Shown([Figure(report.table()), Figure(report.distribution_table(), chart)])


BUILDERS = {
    "demografi": _demographics,
    "historik": _history,
    "forsoergelse": _support,
    "tragt": _funnel,
    "forbrug": _spending,
    "misbrug": _misuse,
    "sagsbehandlingstid": _timing,
}


def _choices(request, spec: Spec):
    """The programmes this report fits, the chosen one (404 for another municipality's) and cohort."""
    programmes = (
        Programme.objects.for_municipality(request.user.municipality).filter(kind__in=spec.kinds).order_by("pk")
    )
    programme = None
    if request.GET.get("program", "").isdigit():
        programme = get_for_staff(
            programmes, user=request.user, permission="evidence.reports", pk=request.GET["program"]
        )
    elif "program" in request.GET and request.GET["program"]:
        raise Http404
    else:
        programme = programmes.first()
    cohorts = Cohort.objects.for_municipality(request.user.municipality).filter(programme=programme)
    cohort = None
    if programme is not None and request.GET.get("hold", "").isdigit():
        cohort = get_for_staff(cohorts, user=request.user, permission="evidence.reports", pk=request.GET["hold"])
    return programmes, programme, cohorts.order_by("starts_on", "name"), cohort


@staff_view("evidence.reports")
def report_page(request, slug: str):
    spec = BY_SLUG[slug]
    programmes, programme, cohorts, cohort = _choices(request, spec)
    shown = BUILDERS[slug](programme, cohort, request) if programme is not None else None
    return render(
        request,
        "evidence/report.html",
        {
            "spec": spec,
            "reports": REPORTS,
            "programmes": programmes,
            "programme": programme,
            "cohorts": cohorts,
            "cohort": cohort,
            "shown": shown,
            "query": request.GET.urlencode(),
            "nav": "evidence",
        },
    )


@staff_view("evidence.reports")
def report_index(request):
    return render(request, "evidence/reports.html", {"reports": REPORTS, "nav": "evidence"})


@staff_view("evidence.reports")
def report_export(request, slug: str, fmt: str):
    """The page's tables as a file. Logged as an export with no citizens: it holds counts only."""
    spec = BY_SLUG.get(slug)
    if spec is None or fmt not in ("csv", "xlsx"):
        raise Http404
    _programmes, programme, _cohorts, cohort = _choices(request, spec)
    if programme is None:
        raise Http404
    shown = BUILDERS[slug](programme, cohort, request)
    heading = " – ".join(str(part) for part in (spec.title, programme.name, cohort.name if cohort else "") if part)
    access_record(
        actor=request.user,
        municipality=programme.municipality,
        kind=AccessKind.EXPORT,
        purpose=_("Evaluation: report exported (counts only)"),
        criterion=f"{slug}.{fmt} {request.GET.urlencode()}",
    )
    name = f"{slug}-{programme.pk}" + (f"-hold-{cohort.pk}" if cohort else "")
    if fmt == "csv":
        response = HttpResponse(exports.to_csv(shown.tables, heading=heading), content_type=exports.CSV_TYPE)
    else:
        response = HttpResponse(exports.to_xlsx(shown.tables, heading=heading), content_type=exports.XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response
