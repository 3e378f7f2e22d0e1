"""The shoppers' words for kinds of product, uses, features, colours and recipients, mapped to
what the catalogue says (subcategories, categories, tags, attribute words)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    """A kind of product as shoppers name it.

    A product is of the kind when its subcategory is in ``subcategories``, its category in
    ``categories``, or one of its tags in ``tags`` (tags only count inside ``within``, a
    category, when that is set).
    """

    label: str
    subcategories: frozenset[str] = frozenset()
    categories: frozenset[str] = frozenset()
    tags: frozenset[str] = frozenset()
    within: str | None = None


def _kind(label: str, subs: str = "", cats: str = "", tags: str = "", within: str = "") -> Kind:
    def split(text: str) -> frozenset[str]:
        return frozenset(part.strip() for part in text.split(";") if part.strip())

    return Kind(label, split(subs), split(cats), split(tags), within or None)


KITCHEN = (
    "Cookware;Knives;Chopping boards;Coffee & tea;Small appliances;Food storage;Tableware;Storage"
)
SHOES = (
    "Running shoes;Sneakers;Boots;Hiking boots;Hiking shoes;Slippers;Sandals;Loafers;Flats;"
    "Outdoor shoes;Rain boots;Dress shoes;Espadrilles;Kids' shoes"
)

# Phrase (a regular expression, matched on whole words) -> kind. Longer phrases are tried first,
# so "sleeping bag" is not read as "bag".
KINDS: dict[str, Kind] = {
    r"rain ?boots?|wellies|wellingtons?": _kind(
        "rain boots", "Rain boots", tags="rain", within="Shoes"
    ),
    r"hiking (?:boots?|shoes?)|walking (?:boots?|shoes?)": _kind(
        "hiking shoes", "Hiking boots;Hiking shoes"
    ),
    r"running shoes?|trainers|runners": _kind("running shoes", "Running shoes"),
    r"snow boots?": _kind("snow boots", "Boots", tags="winter", within="Shoes"),
    r"boots": _kind("boots", "Boots;Hiking boots;Rain boots"),
    r"sneakers?": _kind("sneakers", "Sneakers"),
    r"sandals?|flip[- ]?flops?": _kind("sandals", "Sandals;Espadrilles"),
    r"slippers?": _kind("slippers", "Slippers"),
    r"dress shoes|formal shoes|loafers?": _kind("dress shoes", "Dress shoes;Loafers"),
    r"shoes|footwear": _kind("shoes", SHOES),
    r"sleeping bags?": _kind("sleeping bag", "Sleeping bags"),
    r"dry ?bags?": _kind("dry bag", "Dry bags"),
    r"backpacks?|rucksacks?|day ?packs?|trekking packs?": _kind("backpack", "Backpacks"),
    r"suitcases?|luggage|carry[- ]on|weekender|duffel": _kind("luggage", "Luggage;Travel bags"),
    r"totes?|tote bags?": _kind("tote", "Totes"),
    r"wallets?|purses?|card holders?": _kind("wallet", "Wallets"),
    r"bags?|handbags?": _kind(
        "bag", "Backpacks;Crossbody bags;Totes;Travel bags;Sling bags;Luggage"
    ),
    r"belts?": _kind("belt", "Belts"),
    r"hats?|beanies?|caps?": _kind("hat", "Hats"),
    r"scarf|scarves": _kind("scarf", "Scarves"),
    r"sunglasses": _kind("sunglasses", "Sunglasses"),
    r"gloves": _kind("gloves", "Gloves"),
    r"umbrellas?": _kind("umbrella", "Umbrellas"),
    r"jewellery|jewelry|earrings": _kind("jewellery", "Jewellery"),
    r"watch(?:es)?": _kind("watch", "Watches"),
    r"sunscreen|sun ?cream|suncare": _kind("suncare", "Suncare"),
    r"skin ?care|(?:face|night|day) creams?|moisturi[sz]ers?|cleansers?|serums?": _kind(
        "skincare", "Skincare;Suncare"
    ),
    r"shampoo|conditioner|hair ?care|hair": _kind("haircare", "Haircare"),
    r"make-?up|mascara|lipstick|lip balm": _kind("make-up", "Make-up"),
    r"perfume|fragrance|scent": _kind("fragrance", "Fragrance"),
    r"shaving|razor|beard|grooming": _kind("grooming", "Men's grooming"),
    r"tooth ?brush(?:es)?|toothpaste": _kind("oral care", "Oral care"),
    r"hand cream": _kind("hand cream", "Hand care"),
    r"body wash|body care|body butter|bath salts": _kind("body care", "Body care;Bath"),
    r"beauty|cosmetics|toiletries": _kind("beauty", cats="Beauty & Care"),
    r"sweaters?|jumpers?|knitwear|cardigans?": _kind("sweater", "Sweaters;Cardigans"),
    r"t-?shirts?|tees?": _kind("t-shirt", "T-shirts"),
    r"rain ?jackets?|rain ?coats?": _kind("rain jacket", "Jackets", tags="rain", within="Clothing"),
    r"jackets?|coats?|vests?": _kind("jacket", "Jackets;Jackets & vests"),
    r"shirts?|overshirts?": _kind("shirt", "Shirts;Overshirts"),
    r"trousers|pants|chinos|joggers|sweatpants": _kind("trousers", "Trousers;Joggers"),
    r"jeans|denim": _kind("jeans", "Jeans"),
    r"dress(?:es)?": _kind("dress", "Dresses"),
    r"skirts?": _kind("skirt", "Skirts"),
    r"socks": _kind("socks", "Socks"),
    r"hoodies?|sweatshirts?": _kind("hoodie", "Hoodies"),
    r"fleeces?": _kind("fleece", "Fleeces"),
    r"pyjamas?|pajamas?|sleepwear": _kind("sleepwear", "Sleepwear"),
    r"swimsuits?|swimwear|bikinis?": _kind("swimwear", "Swimwear"),
    r"leggings|sports bra|activewear|gym clothes": _kind("activewear", "Activewear"),
    r"base ?layers?|thermals?": _kind("base layer", "Base layers"),
    r"clothes|clothing|apparel|outfit": _kind("clothing", cats="Clothing"),
    r"chargers?": _kind("charger", "Chargers;Wireless chargers"),
    r"cables?": _kind("cable", "Cables"),
    r"power ?banks?|portable batter(?:y|ies)": _kind("power bank", "Power banks"),
    r"headphones|earbuds|earphones|speakers?|audio": _kind("audio", "Audio"),
    r"phone cases?|cases? for my phone": _kind("phone case", "Phone cases"),
    r"laptop (?:sleeve|stand|accessor(?:y|ies))": _kind(
        "laptop accessory", "Laptop accessories;Hubs & adapters"
    ),
    r"mouse|keyboards?": _kind("computer accessory", "Computer accessories"),
    r"electronics|gadgets?|tech": _kind("electronics", cats="Electronics Accessories"),
    r"cookware|pans?|pots?|skillets?|dutch oven": _kind("cookware", "Cookware"),
    r"knife|knives": _kind("knife", "Knives"),
    r"coffee|tea|teapots?|kettles?": _kind("coffee & tea", "Coffee & tea;Small appliances"),
    r"mugs?|plates|tableware|dinnerware": _kind("tableware", "Tableware"),
    r"kitchen|cooking|cooks?|baking|chef": _kind("kitchen", KITCHEN),
    r"bedding|sheets?|duvet(?: cover)?|bed linen": _kind("bedding", "Bedding"),
    r"candles?|diffusers?|home fragrance": _kind("home fragrance", "Home fragrance"),
    r"garden(?:ing)?|plants?": _kind("garden", "Garden"),
    r"home|house|living room|flat": _kind("home", cats="Home & Kitchen"),
    r"tents?": _kind("tent", "Tents"),
    r"sleeping mats?|camping mats?": _kind("sleeping mat", "Sleeping mats"),
    r"lanterns?": _kind("lantern", tags="lantern", within="Outdoor & Camping"),
    r"head ?lamps?|head ?torch(?:es)?": _kind(
        "headlamp", tags="headlamp", within="Outdoor & Camping"
    ),
    r"torch(?:es)?|flashlights?|camping lights?": _kind("lighting", "Lighting"),
    r"stoves?|camp kitchen": _kind("camp kitchen", "Camp kitchen"),
    r"bottles?|flasks?|thermos": _kind("bottle", "Bottles"),
    r"camp(?:ing)? (?:chairs?|tables?|furniture)": _kind("camp furniture", "Camp furniture"),
    r"hammocks?": _kind("hammock", "Hammocks"),
}

# Activities: the kind when the shopper names no kind ("something for hiking"), otherwise a
# preference among the kind ("a backpack for hiking").
USES: dict[str, Kind] = {
    r"hik(?:e|es|ing|er|ers)|trekking|walking": _kind("hiking", tags="hiking;trekking;backpacking"),
    r"camp(?:ing|er|ers)?|festivals?": _kind(
        "camping", cats="Outdoor & Camping", tags="camping;festival"
    ),
    r"outdoors?": _kind("outdoor", cats="Outdoor & Camping", tags="outdoor;hiking"),
    r"runn(?:ing|er|ers)|jogging": _kind("running", tags="running"),
    r"travel(?:l?ing)?|trips?|holidays?|vacation|flights?": _kind("travel", tags="travel;carry-on"),
    r"office|work|commut(?:e|ing)": _kind("work", tags="office;home office;work;commuter"),
    r"cycling|bike|biking": _kind("cycling", tags="cycling;commuter"),
    r"yoga|gym|sports?|workouts?": _kind("sport", tags="activewear;yoga;sport"),
    r"winter|cold weather|snow": _kind("winter", tags="winter;insulated;wool;down"),
    r"summer|beach|hot weather": _kind("summer", tags="summer;beach;swimwear"),
    r"rain|rainy|wet weather": _kind("rain", tags="rain;waterproof"),
}

# Feature -> (phrase the shopper uses, words of the product that show it).
FEATURES: dict[str, tuple[str, tuple[str, ...]]] = {
    "waterproof": (r"water ?proof|rain ?proof", ("waterproof",)),
    "vegan": (r"vegan", ("vegan",)),
    "sensitive skin": (r"sensitive skin", ("sensitive skin",)),
    "dry skin": (r"dry skin", ("dry skin",)),
    "noise cancelling": (
        r"noise[- ]?cancel(?:l)?ing|\banc\b",
        ("noise cancelling", "noise-cancelling"),
    ),
    "wireless": (r"wireless|bluetooth|cordless", ("wireless", "bluetooth")),
    "plastic-free": (r"plastic[- ]free|zero[- ]waste", ("plastic-free",)),
    "organic": (r"organic", ("organic",)),
    "recycled": (r"recycled|sustainable|eco[- ]friendly", ("recycled",)),
    "merino": (r"merino", ("merino",)),
    "wool": (r"wool(?:len)?", ("wool", "merino", "lambswool")),
    "leather": (r"(?<!vegan )leather", ("leather",)),
    "linen": (r"linen", ("linen",)),
    "insulated": (r"insulated|warm", ("insulated", "down", "wool")),
    "lightweight": (r"light ?weight|ultra ?light|light", ("lightweight", "ultralight")),
    "rechargeable": (r"rechargeable", ("rechargeable", "usb-c")),
    "fragrance-free": (r"fragrance[- ]free|unscented", ("fragrance-free",)),
    "dishwasher safe": (r"dishwasher[- ]safe", ("dishwasher safe", "dishwasher-safe")),
    "induction": (r"induction", ("induction",)),
    "usb-c": (r"usb[- ]?c", ("usb-c",)),
    "packable": (r"packable|folds? (?:small|flat)", ("packable",)),
    "polarised": (r"polari[sz]ed", ("polarised",)),
    "windproof": (r"wind ?proof", ("windproof",)),
    "spf": (r"spf|sun protection", ("spf",)),
    "machine washable": (r"machine[- ]washable|washable", ("machine washable", "washable")),
    "cast iron": (r"cast[- ]iron", ("cast iron",)),
}
# Materials: asked for by name, stated by name ("a cashmere sweater" needs "cashmere").
for _material in (
    "cashmere", "silk", "cotton", "suede", "bamboo", "titanium", "stainless steel", "glass",
    "ceramic", "stoneware", "oak", "walnut", "canvas", "corduroy", "denim", "fleece", "shearling",
):  # fmt: skip
    FEATURES.setdefault(_material, (_material, (_material,)))

# Colour family -> words of the catalogue's colour attribute that belong to it.
COLOURS: dict[str, tuple[str, ...]] = {
    "blue": ("blue", "navy", "indigo", "teal"),
    "green": ("green", "olive", "sage", "moss", "forest", "lichen", "mint", "lime"),
    "red": ("red", "burgundy", "rust", "coral", "terracotta"),
    "black": ("black",),
    "white": ("white", "ivory", "off-white", "ecru"),
    "grey": ("grey", "gray", "charcoal", "graphite", "slate"),
    "brown": ("brown", "tan", "cognac", "chestnut", "camel", "walnut", "oak"),
    "beige": ("beige", "sand", "stone", "oat", "oatmeal", "natural"),
    "pink": ("pink", "rose", "dusty rose"),
    "yellow": ("yellow", "mustard", "ochre"),
    "orange": ("orange",),
    "gold": ("gold",),
    "silver": ("silver",),
}
COLOUR_WORDS = {"gray": "grey", "navy": "blue"}

RECIPIENTS: dict[str, str] = {
    r"mum|mom|mother|mama": "mum",
    r"dad|father|papa": "dad",
    r"wife|girlfriend|sister|daughter|grandma|grandmother|aunt": "her",
    r"husband|boyfriend|brother|son|grandpa|grandfather|uncle": "him",
    r"kids?|child|children|toddler|little one|boy|girl": "kid",
    r"friend|colleague|boss|teacher|neighbour|host": "friend",
    r"partner|couple|parents": "partner",
}
OCCASIONS: dict[str, str] = {
    r"gifts?|presents?": "gift",
    r"birthday": "birthday",
    r"wedding": "wedding",
    r"housewarming|new home": "housewarming",
    r"christmas|xmas|holiday season": "christmas",
    r"anniversary": "anniversary",
    r"mother'?s day": "mother's day",
    r"father'?s day": "father's day",
}
