"""A logging filter that masks anything shaped like a CPR number before it is written."""

import logging

from teten.core.cpr import redact


class CprRedactingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact(message)
        if redacted != message:
            record.msg = redacted
            record.args = ()
        return True
