"""Write the budget pages the benchmark times, and more of their kind, to files: to check that a
change made for speed leaves every page the same for its user.

`python -m bench budgets-pages DIR [--database-url ...]` writes, on the data's business day, the
worklist of both probe consultants, the page of every plan they have, and the running total for
several amounts (a new line and a change to a line; good, empty, junk and over the cap), with the
CSRF token masked. Run it before and after a change on the same loaded database and compare the
directories with `diff -r`. Viewing a page logs the access, as it does when measured; nothing else
is written.
"""

import re
from pathlib import Path

from django.test import Client
from django.urls import reverse

from bench.budgets import _total_scenarios
from bench.plan import DATA_DATE
from teten.accounts.models import User
from teten.budgets.models import BudgetLine, BudgetPlan
from teten.core.clock import acting_on

TOKEN = re.compile(rb'(csrfmiddlewaretoken" value="|"X-CSRFToken": ")[^"]+"')
AMOUNTS = ("4.500", "3.250", "", "abc", "-5", "60.000", "49.999,99")


def _masked(content: bytes) -> bytes:
    return TOKEN.sub(rb'\1(token)"', content)


def write(directory: Path, *, usernames: tuple[str, ...]) -> int:
    """Write the pages; returns how many."""
    directory.mkdir(parents=True, exist_ok=True)
    written = 0

    def save(name: str, response) -> None:
        nonlocal written
        (directory / f"{name}.html").write_bytes(f"HTTP {response.status_code}\n".encode() + _masked(response.content))
        written += 1

    with acting_on(DATA_DATE):
        for username in usernames:
            user = User.objects.get(username=username)
            client = Client()
            client.force_login(user)
            client.get(reverse("budgets:worklist"))  # the first page after login stores the session's clock
            save(f"worklist-{username}", client.get(reverse("budgets:worklist")))
            plans = BudgetPlan.objects.for_municipality(user.municipality).filter(consultant=user).order_by("id")
            for plan_id in plans.values_list("id", flat=True):
                save(f"plan-{username}-{plan_id}", client.get(reverse("budgets:plan", args=[plan_id])))
        new_line, changing = _total_scenarios(User.objects.get(username=usernames[0]))
        client = new_line.login()
        client.raise_request_exception = False  # a page that fails is written as its status
        changing.post = {**changing.post, "csrfmiddlewaretoken": new_line.post["csrfmiddlewaretoken"]}
        for scenario, kind in ((new_line, "new"), (changing, "change")):
            for number, amount in enumerate(AMOUNTS):
                scenario.post = {**scenario.post, "amount": amount}
                save(f"total-{kind}-{number}", scenario.request(client))
        other = BudgetLine.objects.exclude(plan=new_line.citizen_plan).order_by("id").values_list("id", flat=True)[0]
        for number, line_id in enumerate(("0", "junk", "-1", "99999999999", str(other))):
            scenario.post = {**changing.post, "amount": "1.000", "line_id": line_id}
            save(f"total-line-{number}", scenario.request(client))
    return written
