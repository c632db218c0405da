import getpass
import os

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from teten.accounts.models import Role
from teten.accounts.services import staff_create
from teten.core.models import Municipality


class Command(BaseCommand):
    help = "Create a municipality and its first administrator (who then creates everyone else)."

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True, help='e.g. "Aarhus Kommune"')
        parser.add_argument("--code", required=True, help="the three-digit kommunekode, e.g. 751")
        parser.add_argument("--admin", required=True, help="username of the first administrator")
        parser.add_argument(
            "--password-env",
            help="read the administrator's password from this environment variable instead of asking",
        )

    def handle(self, *args, name, code, admin, password_env=None, **options):
        if password_env:
            password = os.environ.get(password_env) or ""
        else:
            password = getpass.getpass(f"Password for {admin}: ")
        try:
            with transaction.atomic():
                municipality = Municipality(name=name, code=code)
                municipality.full_clean()
                municipality.save()
                staff_create(
                    actor=None,
                    municipality=municipality,
                    username=admin,
                    password=password,
                    roles={Role.ADMINISTRATOR},
                )
        except ValidationError as exc:
            raise CommandError("; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())) from None
        self.stdout.write(self.style.SUCCESS(f"{name} ({code}) created; {admin} can log in as administrator."))
