from django.core.management.base import BaseCommand

from teten.audit.retention import access_log_cutoff, access_log_purge


class Command(BaseCommand):
    help = "Delete access-log rows older than TETEN_ACCESS_LOG_RETENTION_DAYS."

    def handle(self, *args, **options):
        cutoff = access_log_cutoff()
        deleted = access_log_purge()
        self.stdout.write(f"Deleted {deleted} access-log rows older than {cutoff:%Y-%m-%d %H:%M}.")
