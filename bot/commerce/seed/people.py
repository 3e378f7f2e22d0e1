"""Made-up but realistic shoppers for the demo data: names, e-mails, phones, addresses.

Postcodes follow each country's real shape (``#`` a digit, ``@`` a letter in templates);
phone numbers use ranges reserved for drama where they exist (UK 07700 900xxx, US 555-01xx).
"""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from bot.commerce.enums import Zone

EMAIL_DOMAINS = ("example.com", "example.net", "example.org")
# Letters that real postcodes use (NL excludes SA/SD/SS, UK never uses C, I, K, M, O, V inward).
_LETTERS = "ABEGHJLNPRTUWXYZ"


@dataclass(frozen=True)
class CountryData:
    """What a person and an address in one country look like."""

    code: str
    first_names: tuple[str, ...]
    last_names: tuple[str, ...]
    cities: tuple[tuple[str, str], ...]  # (city, postcode template)
    streets: tuple[str, ...]
    phone: str  # template
    number_first: bool = False  # "221 Baker Street" rather than "Kerkstraat 12"


def _c(
    code: str, first: str, last: str, cities: str, streets: str, phone: str, nf: bool = False
) -> CountryData:
    """Builds country data from compact ``|``-separated strings (``city=template`` pairs)."""
    pairs = tuple(tuple(item.split("=")) for item in cities.split("|"))
    return CountryData(
        code, tuple(first.split("|")), tuple(last.split("|")),
        pairs, tuple(streets.split("|")), phone, nf,  # type: ignore[arg-type]
    )  # fmt: skip


COUNTRIES: Mapping[str, CountryData] = MappingProxyType({c.code: c for c in (
    _c("NL", "Daan|Sem|Lotte|Sanne|Fleur|Bram|Ruben|Anouk|Julia|Thijs|Noor|Jesse|Maud|Lars",
       "de Vries|Jansen|van den Berg|Bakker|Visser|Smit|Meijer|de Boer|Mulder|de Groot|Bos|"
       "Vos|Peters|Hendriks|van Dijk|Kok",
       "Amsterdam=10## @@|Utrecht=35## @@|Rotterdam=30## @@|Den Haag=25## @@|"
       "Eindhoven=56## @@|Groningen=97## @@|Haarlem=20## @@|Nijmegen=65## @@|Leiden=23## @@|"
       "Amersfoort=38## @@|Zwolle=80## @@|Maastricht=62## @@",
       "Oudegracht|Kerkstraat|Prinsengracht|Dorpsstraat|Molenweg|Julianalaan|Nieuwe Gracht|"
       "Schoolstraat|Lindenlaan|Vondelstraat",
       "+31 6 #### ####"),
    _c("BE", "Lucas|Emma|Noah|Louise|Arthur|Olivia|Jules|Elise|Finn|Marie",
       "Peeters|Janssens|Maes|Claes|Jacobs|Mertens|Willems|Goossens|Wouters|Dubois",
       "Brussel=10#0|Antwerpen=20#0|Gent=9000|Leuven=3000|Brugge=8000|Liège=4000",
       "Kerkstraat|Stationsstraat|Rue de la Loi|Meir|Veldstraat|Rue Haute", "+32 4## ## ## ##"),
    _c("DE", "Lukas|Anna|Leon|Mia|Felix|Hannah|Jonas|Lea|Paul|Marie|Finn|Clara",
       "Müller|Schneider|Fischer|Weber|Meyer|Wagner|Becker|Schulz|Hoffmann|Koch|Richter|Wolf",
       "Berlin=10###|Hamburg=20###|München=80###|Köln=50###|Frankfurt am Main=60###|"
       "Leipzig=04###|Düsseldorf=40###|Stuttgart=70###",
       "Hauptstraße|Bergmannstraße|Gartenstraße|Bahnhofstraße|Schillerstraße|Lindenallee",
       "+49 15# ########"),
    _c("FR", "Camille|Louis|Chloé|Hugo|Léa|Jules|Manon|Arthur|Inès|Gabriel",
       "Dubois|Moreau|Laurent|Lefebvre|Michel|Garcia|Roux|Fournier|Girard|Bonnet",
       "Paris=7501#|Lyon=6900#|Marseille=1300#|Toulouse=31000|Bordeaux=33000|Lille=59000|"
       "Nantes=44000",
       "rue de la République|avenue Jean Jaurès|rue Victor Hugo|boulevard Voltaire|rue Pasteur",
       "+33 6 ## ## ## ##", True),
    _c("LU", "Luc|Sophie|Tom|Laura|Ben|Claire", "Schmit|Muller|Weber|Wagner|Hoffmann|Kieffer",
       "Luxembourg=L-1###|Esch-sur-Alzette=L-4###",
       "Grand-Rue|Avenue de la Liberté|Rue de Hollerich",
       "+352 621 ### ###"),
    _c("IT", "Giulia|Marco|Francesca|Luca|Chiara|Matteo|Sara|Alessandro",
       "Rossi|Russo|Ferrari|Esposito|Bianchi|Romano|Colombo|Ricci",
       "Milano=201##|Roma=001##|Torino=101##|Bologna=401##|Firenze=501##",
       "Via Torino|Via Roma|Corso Garibaldi|Via Dante|Via Mazzini", "+39 3## ### ####"),
    _c("ES", "Lucía|Pablo|María|Javier|Carmen|Daniel|Elena|Alejandro",
       "García|Martínez|López|Sánchez|Pérez|Gómez|Fernández|Ruiz",
       "Madrid=280##|Barcelona=080##|Valencia=460##|Sevilla=410##",
       "Calle Mayor|Gran Vía|Calle de Alcalá|Avenida Diagonal|Calle Real", "+34 6## ### ###"),
    _c("AT", "Maximilian|Sophie|Tobias|Katharina|Florian|Lena",
       "Gruber|Huber|Bauer|Wagner|Pichler|Steiner",
       "Wien=1##0|Graz=80#0|Salzburg=5020|Innsbruck=6020",
       "Mariahilfer Straße|Hauptplatz|Getreidegasse|Landstraße", "+43 660 #######"),
    _c("IE", "Aoife|Seán|Niamh|Conor|Ciara|Darragh", "Murphy|Kelly|O'Sullivan|Walsh|Byrne|Ryan",
       "Dublin=D0# @@##|Cork=T12 @@##|Galway=H91 @@##",
       "Grafton Street|Main Street|Patrick Street|Shop Street", "+353 8# ### ####", True),
    _c("PL", "Zofia|Jakub|Julia|Kacper|Maja|Szymon",
       "Nowak|Kowalski|Wiśniewski|Wójcik|Kamińska|Lewandowski",
       "Warszawa=00-###|Kraków=31-###|Gdańsk=80-###|Wrocław=50-###",
       "ul. Marszałkowska|ul. Floriańska|ul. Długa|ul. Świdnicka", "+48 5## ### ###"),
    _c("SE", "Elsa|Oskar|Maja|William|Alice|Hugo",
       "Andersson|Johansson|Karlsson|Nilsson|Eriksson|Larsson",
       "Stockholm=11# ##|Göteborg=41# ##|Malmö=21# ##",
       "Drottninggatan|Storgatan|Kungsgatan|Vasagatan", "+46 7# ### ## ##"),
    _c("DK", "Freja|Mikkel|Ida|Magnus|Clara|Emil", "Nielsen|Jensen|Hansen|Pedersen|Andersen|Larsen",
       "København=1###|Aarhus=8000|Odense=5000", "Strøget|Nørregade|Vestergade|Østergade",
       "+45 ## ## ## ##"),
    _c("PT", "Beatriz|Tiago|Inês|Rodrigo|Mariana|Diogo",
       "Silva|Santos|Ferreira|Pereira|Oliveira|Costa",
       "Lisboa=1###-###|Porto=4###-###", "Rua Augusta|Avenida da Liberdade|Rua de Santa Catarina",
       "+351 9## ### ###"),
    _c("FI", "Aino|Eetu|Helmi|Onni|Venla|Leo",
       "Korhonen|Virtanen|Mäkinen|Nieminen|Hämäläinen|Laine",
       "Helsinki=00###|Tampere=33###",
       "Mannerheimintie|Aleksanterinkatu|Hämeenkatu", "+358 4# ### ####"),
    _c("CZ", "Tereza|Jakub|Eliška|Tomáš|Anna|Vojtěch",
       "Novák|Svoboda|Novotná|Dvořák|Černá|Procházka",
       "Praha=1## 00|Brno=602 00", "Vinohradská|Národní|Masarykova", "+420 6## ### ###"),
    _c("GB", "Oliver|Amelia|Harry|Isla|George|Ava|Jack|Emily|Charlie|Sophie|Thomas|Grace",
       "Smith|Jones|Taylor|Brown|Williams|Wilson|Evans|Thomas|Roberts|Walker|Wright|Bennett",
       "London=SE1 #@@|London=N1 #@@|London=E8 #@@|Manchester=M4 #@@|Bristol=BS8 #@@|"
       "Edinburgh=EH3 #@@|Leeds=LS6 #@@|Glasgow=G12 #@@|Cardiff=CF10 #@@",
       "High Street|Station Road|Church Lane|Victoria Road|Park Avenue|Mill Lane",
       "+44 7700 900###", True),
    _c("US", "Jessica|Michael|Ashley|Christopher|Emily|Matthew|Sarah|Daniel|Olivia|Ethan",
       "Miller|Johnson|Davis|Garcia|Rodriguez|Wilson|Anderson|Thompson|Martinez|Clark",
       "Portland, OR=972##|Austin, TX=787##|Chicago, IL=606##|Boston, MA=021##|"
       "Denver, CO=802##|Seattle, WA=981##|Brooklyn, NY=112##",
       "Main Street|Oak Avenue|Maple Street|Pine Street|Cedar Lane|Washington Avenue",
       "+1 ###-555-01##", True),
    _c("CA", "Liam|Charlotte|Noah|Emma|Benjamin|Chloé",
       "Tremblay|Martin|Roy|Wilson|MacDonald|Gagnon",
       "Toronto, ON=M5V #@#|Vancouver, BC=V6B #@#|Montréal, QC=H2X #@#|Calgary, AB=T2P #@#",
       "Queen Street West|Granville Street|Rue Saint-Denis|Stephen Avenue",
       "+1 ###-555-01##", True),
)})  # fmt: skip

# How orders spread over zones and, within a zone, over countries.
ZONE_WEIGHTS: Mapping[Zone, int] = MappingProxyType(
    {Zone.NL: 40, Zone.EU1: 25, Zone.EU2: 15, Zone.UK: 10, Zone.NA: 10}
)
ZONE_COUNTRIES: Mapping[Zone, tuple[tuple[str, int], ...]] = MappingProxyType({
    Zone.NL: (("NL", 1),),
    Zone.EU1: (("DE", 45), ("BE", 25), ("FR", 25), ("LU", 5)),
    Zone.EU2: (("IT", 18), ("ES", 18), ("AT", 12), ("IE", 12), ("PL", 10), ("SE", 8),
               ("DK", 7), ("PT", 6), ("FI", 5), ("CZ", 4)),
    Zone.UK: (("GB", 1),),
    Zone.NA: (("US", 75), ("CA", 25)),
})  # fmt: skip


def fill_template(template: str, rng: random.Random) -> str:
    """Replaces ``#`` with a random digit and ``@`` with a random postcode letter."""
    out = []
    for char in template:
        if char == "#":
            out.append(str(rng.randint(0, 9)))
        elif char == "@":
            out.append(rng.choice(_LETTERS))
        else:
            out.append(char)
    return "".join(out)


def ascii_slug(text: str) -> str:
    """``"Wiśniewski"`` → ``"wisniewski"``, ``"de Vries"`` → ``"devries"`` (for e-mails)."""
    text = text.replace("ß", "ss").replace("ø", "o").replace("æ", "ae").replace("ł", "l")
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in plain.lower() if ch.isalnum())


def pick_country(rng: random.Random) -> str:
    """A country code, drawn with the shop's zone and country weights."""
    zone = rng.choices(list(ZONE_WEIGHTS), weights=list(ZONE_WEIGHTS.values()))[0]
    countries = ZONE_COUNTRIES[zone]
    codes = [code for code, _ in countries]
    return rng.choices(codes, weights=[weight for _, weight in countries])[0]


@dataclass(frozen=True)
class PersonData:
    """A made-up shopper before it becomes a ``Customer`` row."""

    first_name: str
    last_name: str
    email: str
    phone: str
    country: str


def make_person(rng: random.Random, country: str, taken_emails: set[str]) -> PersonData:
    """A person from ``country`` with an e-mail address not in ``taken_emails`` (then added)."""
    data = COUNTRIES[country]
    first, last = rng.choice(data.first_names), rng.choice(data.last_names)
    f, la = ascii_slug(first), ascii_slug(last)
    local = rng.choice((f"{f}.{la}", f"{f}{la}", f"{f[0]}.{la}", f"{f}.{la}{rng.randint(1, 99)}"))
    domain = rng.choice(EMAIL_DOMAINS)
    email, n = f"{local}@{domain}", 1
    while email in taken_emails:
        n += 1
        email = f"{local}{n}@{domain}"
    taken_emails.add(email)
    return PersonData(first, last, email, fill_template(data.phone, rng), country)


@dataclass(frozen=True)
class AddressData:
    """A made-up street address."""

    line1: str
    line2: str | None
    postcode: str
    city: str
    country: str


def make_address(rng: random.Random, country: str) -> AddressData:
    """A street address in ``country`` with a postcode of the right shape for its city."""
    data = COUNTRIES[country]
    city, template = rng.choice(data.cities)
    street, number = rng.choice(data.streets), rng.randint(1, 240)
    line1 = f"{number} {street}" if data.number_first else f"{street} {number}"
    line2 = None
    if rng.random() < 0.15:
        line2 = rng.choice(("Apt {n}", "Flat {n}", "2nd floor", "Unit {n}")).format(
            n=rng.randint(1, 40)
        )
    return AddressData(line1, line2, fill_template(template, rng), city, country)
