import datetime
from datetime import time

from django.utils import timezone

from teten.audit.retention import access_log_purge
from teten.core.daily import duty


@duty("audit_purge", order=900)
def purge_access_log(business_date: datetime.date) -> str:
    """Delete access-log rows past retention, judged from the end of the business date."""
    end_of_day = timezone.make_aware(datetime.datetime.combine(business_date, time.max))
    return f"{access_log_purge(now=end_of_day)} rows past retention deleted"
