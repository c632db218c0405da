"""Denmark's 98 municipalities with their three-digit kommunekoder (the codes of the CPR and DAR
registers; Christiansø, 411, is not a municipality and is left out).

The population is approximate (about 2024, rounded to the nearest thousand; the smallest islands
to the nearest hundred) and is used only to share the benchmark's citizens out roughly as the
real country is: Copenhagen largest, Læsø smallest.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class RealMunicipality:
    code: str
    name: str
    population: int


MUNICIPALITIES = (
    # Region Hovedstaden
    RealMunicipality("101", "Københavns Kommune", 660_000),
    RealMunicipality("147", "Frederiksberg Kommune", 105_000),
    RealMunicipality("151", "Ballerup Kommune", 52_000),
    RealMunicipality("153", "Brøndby Kommune", 39_000),
    RealMunicipality("155", "Dragør Kommune", 14_000),
    RealMunicipality("157", "Gentofte Kommune", 75_000),
    RealMunicipality("159", "Gladsaxe Kommune", 70_000),
    RealMunicipality("161", "Glostrup Kommune", 24_000),
    RealMunicipality("163", "Herlev Kommune", 30_000),
    RealMunicipality("165", "Albertslund Kommune", 28_000),
    RealMunicipality("167", "Hvidovre Kommune", 54_000),
    RealMunicipality("169", "Høje-Taastrup Kommune", 58_000),
    RealMunicipality("173", "Lyngby-Taarbæk Kommune", 57_000),
    RealMunicipality("175", "Rødovre Kommune", 41_000),
    RealMunicipality("183", "Ishøj Kommune", 23_000),
    RealMunicipality("185", "Tårnby Kommune", 44_000),
    RealMunicipality("187", "Vallensbæk Kommune", 17_000),
    RealMunicipality("190", "Furesø Kommune", 42_000),
    RealMunicipality("201", "Allerød Kommune", 26_000),
    RealMunicipality("210", "Fredensborg Kommune", 41_000),
    RealMunicipality("217", "Helsingør Kommune", 64_000),
    RealMunicipality("219", "Hillerød Kommune", 53_000),
    RealMunicipality("223", "Hørsholm Kommune", 25_000),
    RealMunicipality("230", "Rudersdal Kommune", 58_000),
    RealMunicipality("240", "Egedal Kommune", 44_000),
    RealMunicipality("250", "Frederikssund Kommune", 46_000),
    RealMunicipality("260", "Halsnæs Kommune", 31_000),
    RealMunicipality("270", "Gribskov Kommune", 41_000),
    RealMunicipality("400", "Bornholms Regionskommune", 39_000),
    # Region Sjælland
    RealMunicipality("253", "Greve Kommune", 50_000),
    RealMunicipality("259", "Køge Kommune", 63_000),
    RealMunicipality("265", "Roskilde Kommune", 90_000),
    RealMunicipality("269", "Solrød Kommune", 24_000),
    RealMunicipality("306", "Odsherred Kommune", 33_000),
    RealMunicipality("316", "Holbæk Kommune", 73_000),
    RealMunicipality("320", "Faxe Kommune", 38_000),
    RealMunicipality("326", "Kalundborg Kommune", 49_000),
    RealMunicipality("329", "Ringsted Kommune", 36_000),
    RealMunicipality("330", "Slagelse Kommune", 80_000),
    RealMunicipality("336", "Stevns Kommune", 24_000),
    RealMunicipality("340", "Sorø Kommune", 31_000),
    RealMunicipality("350", "Lejre Kommune", 29_000),
    RealMunicipality("360", "Lolland Kommune", 40_000),
    RealMunicipality("370", "Næstved Kommune", 84_000),
    RealMunicipality("376", "Guldborgsund Kommune", 60_000),
    RealMunicipality("390", "Vordingborg Kommune", 45_000),
    # Region Syddanmark
    RealMunicipality("410", "Middelfart Kommune", 40_000),
    RealMunicipality("420", "Assens Kommune", 41_000),
    RealMunicipality("430", "Faaborg-Midtfyn Kommune", 51_000),
    RealMunicipality("440", "Kerteminde Kommune", 24_000),
    RealMunicipality("450", "Nyborg Kommune", 32_000),
    RealMunicipality("461", "Odense Kommune", 208_000),
    RealMunicipality("479", "Svendborg Kommune", 59_000),
    RealMunicipality("480", "Nordfyns Kommune", 30_000),
    RealMunicipality("482", "Langeland Kommune", 12_000),
    RealMunicipality("492", "Ærø Kommune", 6_000),
    RealMunicipality("510", "Haderslev Kommune", 55_000),
    RealMunicipality("530", "Billund Kommune", 27_000),
    RealMunicipality("540", "Sønderborg Kommune", 74_000),
    RealMunicipality("550", "Tønder Kommune", 37_000),
    RealMunicipality("561", "Esbjerg Kommune", 116_000),
    RealMunicipality("563", "Fanø Kommune", 3_500),
    RealMunicipality("573", "Varde Kommune", 50_000),
    RealMunicipality("575", "Vejen Kommune", 43_000),
    RealMunicipality("580", "Aabenraa Kommune", 59_000),
    RealMunicipality("607", "Fredericia Kommune", 52_000),
    RealMunicipality("621", "Kolding Kommune", 95_000),
    RealMunicipality("630", "Vejle Kommune", 122_000),
    # Region Midtjylland
    RealMunicipality("615", "Horsens Kommune", 99_000),
    RealMunicipality("657", "Herning Kommune", 90_000),
    RealMunicipality("661", "Holstebro Kommune", 59_000),
    RealMunicipality("665", "Lemvig Kommune", 19_000),
    RealMunicipality("671", "Struer Kommune", 21_000),
    RealMunicipality("706", "Syddjurs Kommune", 44_000),
    RealMunicipality("707", "Norddjurs Kommune", 37_000),
    RealMunicipality("710", "Favrskov Kommune", 50_000),
    RealMunicipality("727", "Odder Kommune", 24_000),
    RealMunicipality("730", "Randers Kommune", 100_000),
    RealMunicipality("740", "Silkeborg Kommune", 100_000),
    RealMunicipality("741", "Samsø Kommune", 3_700),
    RealMunicipality("746", "Skanderborg Kommune", 64_000),
    RealMunicipality("751", "Aarhus Kommune", 367_000),
    RealMunicipality("756", "Ikast-Brande Kommune", 42_000),
    RealMunicipality("760", "Ringkøbing-Skjern Kommune", 56_000),
    RealMunicipality("766", "Hedensted Kommune", 47_000),
    RealMunicipality("779", "Skive Kommune", 46_000),
    RealMunicipality("791", "Viborg Kommune", 98_000),
    # Region Nordjylland
    RealMunicipality("773", "Morsø Kommune", 20_000),
    RealMunicipality("787", "Thisted Kommune", 43_000),
    RealMunicipality("810", "Brønderslev Kommune", 36_000),
    RealMunicipality("813", "Frederikshavn Kommune", 59_000),
    RealMunicipality("820", "Vesthimmerlands Kommune", 36_000),
    RealMunicipality("825", "Læsø Kommune", 1_800),
    RealMunicipality("840", "Rebild Kommune", 31_000),
    RealMunicipality("846", "Mariagerfjord Kommune", 41_000),
    RealMunicipality("849", "Jammerbugt Kommune", 38_000),
    RealMunicipality("851", "Aalborg Kommune", 222_000),
    RealMunicipality("860", "Hjørring Kommune", 64_000),
)


def largest(count: int) -> list[RealMunicipality]:
    """The `count` most populous municipalities, in code order (all 98 for the full benchmark)."""
    if not 1 <= count <= len(MUNICIPALITIES):
        raise ValueError(f"choose between 1 and {len(MUNICIPALITIES)} municipalities, not {count}")
    chosen = sorted(MUNICIPALITIES, key=lambda m: (-m.population, m.code))[:count]
    return sorted(chosen, key=lambda m: m.code)


def share_out(total: int, municipalities: list[RealMunicipality]) -> dict[str, int]:
    """Split `total` citizens by population share (largest remainder), every municipality at least one."""
    if total < len(municipalities):
        raise ValueError(f"{total} citizens cannot be shared out over {len(municipalities)} municipalities")
    population = sum(m.population for m in municipalities)
    spare = total - len(municipalities)
    exact = {m.code: spare * m.population / population for m in municipalities}
    counts = {code: 1 + int(share) for code, share in exact.items()}
    by_remainder = sorted(exact, key=lambda code: (-(exact[code] - int(exact[code])), code))
    for code in by_remainder[: total - sum(counts.values())]:
        counts[code] += 1
    return counts
