"""The `teten` command: Django's management commands under the product's name.

`teten daily --date 2026-11-23` runs the dated duties; `teten demo` loads the demo municipality.
"""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "teten.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["teten", *sys.argv[1:]])
