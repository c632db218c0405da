import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone, translation

from teten.core.daily import duties
from teten.core.models import DailyRun


class Command(BaseCommand):
    help = "Run every dated duty for one business date (idempotent: safe to run again)."

    def add_arguments(self, parser):
        parser.add_argument("--date", required=True, help="the business date, YYYY-MM-DD")
        parser.add_argument("--only", action="append", default=[], help="run only this duty (repeatable)")

    def handle(self, *args, date, only, **options):
        translation.activate(settings.LANGUAGE_CODE)
        try:
            business_date = datetime.date.fromisoformat(date)
        except ValueError:
            raise CommandError(f"--date must be YYYY-MM-DD, not {date!r}") from None
        selected = [d for d in duties() if not only or d.name in only]
        unknown = set(only) - {d.name for d in selected}
        if unknown:
            raise CommandError(f"unknown duty: {', '.join(sorted(unknown))}")
        for duty in selected:
            run, _ = DailyRun.objects.get_or_create(
                business_date=business_date, duty=duty.name, defaults={"started_at": timezone.now()}
            )
            run.started_at, run.finished_at, run.runs = timezone.now(), None, run.runs + 1
            run.save(update_fields=["started_at", "finished_at", "runs"])
            summary = duty.run(business_date)
            run.finished_at, run.summary = timezone.now(), summary
            run.save(update_fields=["finished_at", "summary"])
            self.stdout.write(f"{business_date} {duty.name}: {summary}")
