"""The URLconf loads without numpy, statsmodels or openpyxl.

They take seconds to import on a busy machine, and the URLconf is loaded by every `manage.py`
command and by a new server process's first request (which a browser then waits for). The effect
estimate and the XLSX export import them when they run.
"""

import os
import subprocess
import sys

HEAVY = ("numpy", "scipy", "pandas", "statsmodels", "openpyxl")


def test_loading_the_urlconf_imports_no_heavy_library():
    code = (
        "import sys, django; django.setup(); import teten.urls; "
        f"print(' '.join(m for m in {HEAVY!r} if m in sys.modules))"
    )
    env = {**os.environ, "TETEN_ENV": "test", "DJANGO_SETTINGS_MODULE": "teten.settings"}
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""
