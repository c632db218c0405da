"""Deterministic, realistic citizens for the demo municipality and the benchmarks.

Everything is drawn from a `random.Random` seeded by the caller, so the same seed always gives
the same people. CPR numbers follow the real century rules (python-stdnum accepts them all);
about half fail modulus 11, as real post-2007 numbers may.
"""

import datetime
import random
from dataclasses import dataclass

from faker import Faker

from teten.citizens.models import BenefitType, Readiness


def make_cpr(rng: random.Random, birth: datetime.date, female: bool) -> str:
    if 1900 <= birth.year <= 1999:
        first = rng.choice("0123")
    elif 2000 <= birth.year <= 2036:
        first = "4"
    else:
        raise ValueError(f"no CPR century rule for {birth.year}")
    middle = f"{rng.randrange(100):02d}"
    last = rng.choice("02468" if female else "13579")
    return f"{birth:%d%m%y}{first}{middle}{last}"


@dataclass
class PersonSeed:
    cpr: str
    first_name: str
    last_name: str
    address: str
    postal_code: str
    city: str
    phone: str
    email: str


@dataclass
class PeriodSeed:
    benefit_type: str
    readiness: str
    start_date: datetime.date
    end_date: datetime.date | None


class CitizenGenerator:
    def __init__(self, seed: int, today: datetime.date):
        self.rng = random.Random(seed)
        self.fake = Faker("da_DK")
        self.fake.seed_instance(seed)
        self.today = today
        self.used_cprs: set[str] = set()

    def person(self) -> PersonSeed:
        rng = self.rng
        female = rng.random() < 0.5
        while True:
            age_days = rng.randint(18 * 365, 66 * 365)
            birth = self.today - datetime.timedelta(days=age_days)
            cpr = make_cpr(rng, birth, female)
            if cpr not in self.used_cprs:
                self.used_cprs.add(cpr)
                break
        first = self.fake.first_name_female() if female else self.fake.first_name_male()
        last = self.fake.last_name()
        postcode = self.fake.postcode()
        handle = f"{first}.{last}".lower().replace(" ", "")
        for a, b in (("æ", "ae"), ("ø", "oe"), ("å", "aa"), ("é", "e"), ("ü", "u")):
            handle = handle.replace(a, b)
        return PersonSeed(
            cpr=cpr,
            first_name=first,
            last_name=last,
            address=self.fake.street_address(),
            postal_code=postcode,
            city=self.fake.city(),
            phone=self.fake.numerify("########"),
            email=f"{handle}{rng.randrange(10, 99)}@eksempel.dk",
        )

    def benefit_history(self, birth: datetime.date) -> list[PeriodSeed]:
        """A plausible history: most are on cash benefit now, many for years; some have been
        sick or in education; a few are on disability pension or revalidering."""
        rng, today = self.rng, self.today
        age = (today - birth).days // 365
        periods: list[PeriodSeed] = []
        roll = rng.random()
        if roll < 0.62:
            kind = BenefitType.EDUCATION_BENEFIT if age < 30 and rng.random() < 0.6 else BenefitType.CASH_BENEFIT
            readiness = Readiness.JOB_READY if rng.random() < 0.55 else Readiness.ACTIVITY_READY
            months = int(rng.triangular(1, 96, 14))
        elif roll < 0.72:
            kind, readiness, months = BenefitType.SICKNESS_BENEFIT, Readiness.NOT_ASSESSED, rng.randint(1, 12)
        elif roll < 0.80:
            kind, readiness, months = BenefitType.REVALIDERING, Readiness.NOT_ASSESSED, rng.randint(2, 30)
        elif roll < 0.86:
            kind, readiness, months = BenefitType.DISABILITY_PENSION, Readiness.NOT_ASSESSED, rng.randint(12, 180)
        else:
            kind, readiness, months = BenefitType.OTHER, Readiness.NOT_ASSESSED, rng.randint(1, 24)
        start = today - datetime.timedelta(days=int(months * 30.44))
        adult = birth + datetime.timedelta(days=18 * 366)
        start = max(start, adult)
        ended = rng.random() < 0.12
        end = today - datetime.timedelta(days=rng.randint(1, 60)) if ended else None
        if end is not None and end < start:
            end = None
        periods.append(PeriodSeed(kind, readiness, start, end))
        # An earlier, finished spell for some.
        if rng.random() < 0.35 and start - adult > datetime.timedelta(days=400):
            earlier_end = start - datetime.timedelta(days=rng.randint(30, 300))
            earlier_start = max(adult, earlier_end - datetime.timedelta(days=rng.randint(60, 700)))
            earlier_kind = rng.choice([BenefitType.CASH_BENEFIT, BenefitType.SICKNESS_BENEFIT, BenefitType.OTHER])
            if earlier_start < earlier_end:
                periods.append(
                    PeriodSeed(
                        earlier_kind,
                        Readiness.JOB_READY if earlier_kind == BenefitType.CASH_BENEFIT else Readiness.NOT_ASSESSED,
                        earlier_start,
                        earlier_end,
                    )
                )
        return periods
