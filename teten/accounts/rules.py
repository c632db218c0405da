"""Who may do what: every permission in Teten is a rule in this file.

A permission without an object answers "may this person do this kind of thing at all" (role);
with an object it also answers "in this municipality". Views and selectors ask through `can()`.
Superuser flags are never consulted: only these rules grant access.
"""

import rules

from teten.accounts.models import Role


@rules.predicate
def is_municipal_staff(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and getattr(user, "municipality_id", None))


def has_role(*roles: Role):
    wanted = frozenset(roles)
    names = "_or_".join(sorted(wanted))

    @rules.predicate(name=f"has_role_{names}")
    def predicate(user) -> bool:
        return bool(getattr(user, "roles", frozenset()) & wanted)

    return predicate


@rules.predicate
def same_municipality(user, obj) -> bool:
    if obj is None:
        return True  # the role check alone; objects are always fetched inside the municipality
    return getattr(obj, "municipality_id", None) == user.municipality_id


# Roles that work with citizens' cases. Evaluators see pseudonymised data only; administrators
# manage staff, not cases.
CASE_ROLES = (
    Role.JOB_CONSULTANT,
    Role.BENEFITS_CASEWORKER,
    Role.COACH,
    Role.COORDINATOR,
    Role.FINANCE_OFFICER,
)
CASE_EDITORS = (Role.JOB_CONSULTANT, Role.BENEFITS_CASEWORKER)
# Paying through NemKonto and making decisions needs the whole CPR; reading a case does not.
CPR_READERS = (Role.JOB_CONSULTANT, Role.BENEFITS_CASEWORKER, Role.FINANCE_OFFICER)

# Money: caseworkers and finance officers turn decisions into payments; finance officers run
# batches and reconciliation; coordinators own programmes, pools and booking rules.
MONEY_READERS = (Role.BENEFITS_CASEWORKER, Role.FINANCE_OFFICER, Role.COORDINATOR)
PAYERS = (Role.BENEFITS_CASEWORKER, Role.FINANCE_OFFICER)

staff = is_municipal_staff & same_municipality

PERMISSIONS = {
    "citizens.view": staff & has_role(*CASE_ROLES),
    "citizens.search": staff & has_role(*CASE_ROLES),
    "citizens.change": staff & has_role(*CASE_EDITORS),
    "citizens.export": staff & has_role(*CASE_EDITORS),
    "citizens.reveal_cpr": staff & has_role(*CPR_READERS),
    "audit.view_access_log": staff & has_role(Role.ADMINISTRATOR),
    "accounts.manage_staff": staff & has_role(Role.ADMINISTRATOR),
    "accounts.use_staff_pages": is_municipal_staff,
    "programmes.view": staff & has_role(*CASE_ROLES),
    "programmes.manage": staff & has_role(Role.COORDINATOR),
    "payments.view": staff & has_role(*MONEY_READERS),
    "payments.create": staff & has_role(*PAYERS),
    "payments.batch": staff & has_role(Role.FINANCE_OFFICER),
    "payments.reconcile": staff & has_role(Role.FINANCE_OFFICER),
    "payments.recover": staff & has_role(*PAYERS),
    # A consultant who finds misuse raises the claim; settling it is for caseworkers and finance.
    "payments.claim": staff & has_role(Role.JOB_CONSULTANT, *PAYERS),
    "ledger.view": staff & has_role(Role.FINANCE_OFFICER, Role.COORDINATOR),
    "ledger.manage_accounts": staff & has_role(Role.FINANCE_OFFICER),
    "citizens.view_money": staff & has_role(Role.JOB_CONSULTANT, *MONEY_READERS),
    "budgets.view": staff & has_role(*CASE_ROLES),
    "budgets.work": staff & has_role(Role.JOB_CONSULTANT),
    "budgets.receipts": staff & has_role(Role.JOB_CONSULTANT, Role.BENEFITS_CASEWORKER),
    "budgets.configure": staff & has_role(Role.COORDINATOR),
    "loans.view": staff & has_role(*CASE_ROLES),
    "loans.refer": staff & has_role(Role.BENEFITS_CASEWORKER, Role.JOB_CONSULTANT),
    "loans.work": staff & has_role(Role.COACH, Role.BENEFITS_CASEWORKER, Role.JOB_CONSULTANT),
    "loans.recommend": staff & has_role(Role.COACH),
    # The central unit's benefits caseworkers decide loans (seed 001: one unit with authority).
    "loans.decide": staff & has_role(Role.BENEFITS_CASEWORKER),
    "loans.repayments": staff & has_role(Role.BENEFITS_CASEWORKER, Role.FINANCE_OFFICER),
    "loans.configure": staff & has_role(Role.COORDINATOR),
    # Evidence: coordinators run cohorts, draws and outcome imports and read the reports, which
    # hold counts only. Evaluators get the pseudonymised extract and nothing else.
    "evidence.manage": staff & has_role(Role.COORDINATOR),
    "evidence.reports": staff & has_role(Role.COORDINATOR),
    "evidence.extract": staff & has_role(Role.COORDINATOR, Role.EVALUATOR),
    # The end-of-programme survey: answers are anonymous, and results are shown as counts only.
    "surveys.manage": staff & has_role(Role.COORDINATOR),
    "surveys.results": staff & has_role(Role.COORDINATOR),
}

for name, predicate in PERMISSIONS.items():
    rules.add_perm(name, predicate)


def can(user, permission: str, obj=None) -> bool:
    if permission not in PERMISSIONS:
        raise KeyError(f"unknown permission {permission!r}")
    return rules.has_perm(permission, user, obj)
