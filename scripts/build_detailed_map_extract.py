"""Build ``gazetteer/places/detailed_map.csv`` from Wikipedia's war-map modules.

Source
    Wikipedia's "Syrian Civil War detailed map" and "Iraqi insurgency detailed map"
    Lua modules (``Module:Syrian_Civil_War_detailed_map``,
    ``Module:Iraqi_insurgency_detailed_map``), as archived in the public GitHub repository
    ``MASangys/wikipedia.zh`` (``Page/模块:Syrian_Civil_War_detailed_map.md`` and
    ``Page/模块:Iraqi_insurgency_detailed_map.md``, a Markdown rendering of the module text).
    Each map mark is one line such as::

        { lat = 36.185, long = 37.584, mark = m.gov_air, marksize = 11,
          label = "[[Kuweires Airbase]]", link = "Kuweires Military Airbase", ... }

    (in the archived copy the ``label`` wikilink appears as Markdown:
    ``[`Kuweires``   ``Airbase`](https://zh.wikipedia.org/wiki/Kuweires_Airbase "wikilink")``).
    The marker icon says what the place is (``m.gov_air`` an airbase, ``m.IS_hill`` a hill,
    ``m.SDF_base`` a base, ``m.opp_oil`` an oil field, ``m.gov_industry`` a plant or factory,
    ``BSicon ...`` a dam, ``m.pass_*`` a border crossing); the label and link give the name.

Licence
    The modules are Wikipedia text, licensed CC BY-SA 4.0
    (https://creativecommons.org/licenses/by-sa/4.0/). The CSV this script writes is a
    derivative and stays under CC BY-SA 4.0, in its own file, with the module named in every
    row's ``source``. This script itself is part of geomap.

What it keeps
    Only the war's own places that bulk gazetteers lack: airbases, military bases, dams, oil
    and gas sites, plants and factories, hills and mountains, border crossings, and city
    neighbourhoods (plain control marks inside the big cities). Ordinary towns and villages
    are skipped (GeoNames and Who's On First cover them), as are labels that are only a
    generic description ("Grain Silos", "Radio tower"), and any place already in
    ``gazetteer/places/syria.csv`` or ``iraq_libya_turkey_region.csv`` (same kind, or same
    name, within ~3 km).

How to run
    1. Save the module text (the raw text returned for the files above, or the mark lines
       of it) to files, e.g. ``/tmp/detailed_map/Syrian_Civil_War_detailed_map.md`` and
       ``/tmp/detailed_map/Iraqi_insurgency_detailed_map.md``. The file name says which
       module a file holds (it must contain ``Syrian`` or ``Iraqi``).
    2. ``python scripts/build_detailed_map_extract.py /tmp/detailed_map/*.md``
       (``--out`` to write elsewhere; default ``gazetteer/places/detailed_map.csv``).
    Needs ``shapely`` (for the governorate of each point, from ``gazetteer/geo``).
    The output is sorted by id, so the same input gives the same file.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import re
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GAZ = ROOT / "gazetteer"
COLUMNS = ("id", "name", "kind", "lat", "lon", "country", "admin1", "near", "population",
           "aliases", "source", "notes")

MODULES = {
    "Syrian": "Syrian_Civil_War_detailed_map",
    "Iraqi": "Iraqi_insurgency_detailed_map",
}

# ----------------------------------------------------------------------------- parsing
_NUM = r'"?\s*(-?\d+(?:\.\d+)?)\.?\s*"?'
_LAT = re.compile(r"\blat\s*=\s*" + _NUM)
_LON = re.compile(r"\blong\s*=\s*" + _NUM)
_MARK = re.compile(r'\bmark\s*=\s*(m\.\w+|"[^"]*")')
_LINK = re.compile(r'(?<![\w])link\s*=\s*"([^"]*)"')
# label = "<markdown wikilink>" or label = "plain"
_LABEL_MD = re.compile(r'label\s*=\s*"(.*?)\]\((\S+?)\s+\\?"wikilink\\?"\)')
_LABEL_PLAIN = re.compile(r'label\s*=\s*"([^"`\[]+)"')


def _clean_display(text: str) -> str:
    """The shown text of a Markdown-rendered wikilink label."""
    text = re.sub(r"(?<=\w)`(?=\w)", "'", text)  # a backtick inside a word is an ʿayn
    text = text.replace("`", " ")
    text = re.sub(r"</?small>", " ", text)
    text = text.replace("[", " ").replace("]", " ")
    text = text.replace("\\", "")
    return re.sub(r"\s+", " ", text).strip(" ,")


def _title_from_url(url: str) -> str:
    """``https://zh.wikipedia.org/wiki/Kuweires_Airbase`` -> ``Kuweires Airbase``."""
    if "/wiki/" not in url:
        return ""  # ../Page/<Chinese title>.md: no English title
    title = url.split("/wiki/", 1)[1]
    title = title.replace("\\", "").replace("_", " ")
    return re.sub(r"\s+", " ", title).strip()


def parse_marks(text: str) -> list[dict]:
    """Every labelled mark of a module text: lat, lon, mark, label, url title, link."""
    marks = []
    for line in text.splitlines():
        if "lat" not in line or "long" not in line:
            continue
        code = line.strip().strip("`").strip()
        if code.startswith("--"):  # commented-out mark
            continue
        lat, lon, mark = _LAT.search(line), _LON.search(line), _MARK.search(line)
        if not (lat and lon and mark):
            continue
        label, title = "", ""
        md = _LABEL_MD.search(line)
        if md:
            label = _clean_display(md.group(1))
            title = _title_from_url(md.group(2))
        else:
            plain = _LABEL_PLAIN.search(line)
            if plain:
                label = _clean_display(plain.group(1))
        link = _LINK.search(line)
        if not label:
            continue
        marks.append({
            "lat": float(lat.group(1)),
            "lon": float(lon.group(1)),
            "mark": mark.group(1).strip('"'),
            "label": label,
            "title": title,
            "link": link.group(1).strip() if link else "",
        })
    return marks


# ------------------------------------------------------------------------- classing
HILL_WORDS = ("tal", "tall", "tell", "tel", "til", "jabal", "jebel", "jbel", "mount", "hill",
              "hills", "mountain", "mountains", "height", "heights", "rujm", "dahr", "dahret",
              "shir", "ruwayssat", "talat", "tallat", "tulul", "taloul", "zumlat", "thaniyat",
              "thanīyat", "ridge", "peak", "summit", "volcano", "tappah", "tepe", "kat")
BASE_WORDS = ("base", "brigade", "regiment", "division", "battalion", "barracks", "academy",
              "school", "college", "camp", "checkpoint", "headquarters", "hq", "branch",
              "garages", "hangars", "complex", "castle", "citadel", "fort", "fortress",
              "centre", "center", "facility", "factories", "battery", "post", "position",
              "depot", "depots", "storages", "storage", "garrison", "heliport")
FACILITY_WORDS = ("plant", "factory", "silo", "silos", "station", "prison", "hospital",
                  "university", "mill", "cemetery", "monastery", "quarry", "quarries",
                  "industrial", "area", "farm", "farms", "resort", "ruins", "stadium",
                  "palace", "complex", "storage", "dairy", "sawmills", "works", "company",
                  "substation", "depot", "center", "centre", "hotel", "plant", "zone", "port", "terminal", "establishment")
OIL_WORDS = ("oil", "gas", "refinery", "petroleum", "petrochemical", "field", "fields",
             "pumping", "t2", "t3", "well", "wells")
AIR_WORDS = ("airbase", "airport", "airfield", "airstrip", "air", "heliport", "helipad")
GENERIC = {
    "grain", "silos", "silo", "radio", "tower", "military", "camp", "housing", "fuel",
    "storage", "base", "water", "pumping", "plant", "station", "gas", "army", "checkpoint",
    "communications", "communication", "facility", "driving", "school", "sugar", "factory",
    "free", "zone", "production", "electrical", "grid", "fortified", "defensive", "position",
    "bunkers", "and", "guardtower", "the", "of", "soap", "cork", "carton", "train",
    "research", "scientific", "battalion", "college", "missiles", "brigade", "air", "defense",
    "defence", "ammunition", "quarry", "mountain", "hill", "power", "thermal", "roundabout",
    "fortification", "syrian", "turkish", "cement", "industrial", "area", "hospital",
    "prison", "university", "airbase", "airport", "farms", "cemetery", "old", "new",
    "national", "stadium", "security", "branch", "headquarters", "hq", "police",
    "oil", "field", "tanks", "tank", "depot", "workshop", "warehouses", "warehouse",
    "railway", "bridge", "crossroad", "junction", "intersection", "sawmills", "chemical",
    "airstrip", "helicopter", "heliport", "artillery", "electronic", "fields", "radar", "nne", "nw", "ne", "sw", "se",
}


def _words(text: str) -> list[str]:
    return re.findall(r"[a-zA-ZÀ-ɏḀ-ỿ'’‘`]+|\d+", text.lower())


def classify(mark: dict) -> str | None:
    """The place kind of a mark, or None for an ordinary settlement."""
    m = mark["mark"]
    label = mark["label"]
    words = set(_words(label))
    if m.startswith("m.pass") or "border crossing" in label.lower() or "crossing" in words:
        return "border_crossing"
    if m.startswith("BSicon") or ("dam" in words and not m.endswith(("_hill",))):
        return "dam"
    if re.search(r"_(air|heli)$", m):
        return "airbase"
    if re.search(r"_oil$", m):
        return "oilfield"
    if re.search(r"_hill$", m):
        if words & {"quarry", "quarries"}:
            return "facility"
        return "mountain"
    if re.search(r"_industry$", m):
        if words & {"oil", "gas", "refinery", "petroleum"}:
            return "oilfield"
        return "facility"
    if re.search(r"_naval$", m):
        return "facility" if "port" in words else "military_base"
    if re.search(r"_base$", m):
        if words & {"hospital", "prison", "university", "cemetery", "monastery", "farms",
                    "resort", "ruins", "stadium", "hotel", "school"} and not words & {
                        "army", "military"}:
            return "facility"
        return "military_base"
    # A plain control mark: only kept when its label names a feature.
    if words & {"district", "neighbourhood", "neighborhood", "quarter"}:
        return "neighbourhood"
    if words & {"airbase", "airport", "airfield", "airstrip"}:
        return "airbase"
    if words & {"oilfield"} or ("oil" in words and "field" in words) or (
            "gas" in words and "field" in words):
        return "oilfield"
    return None


def is_generic(name: str) -> bool:
    """A label that is only a description ("Grain Silos", "Military checkpoint")."""
    if unit_aliases(name) or re.fullmatch(r"(?:Hill|Height|Point)\s+\d+", name.strip(), re.I):
        return False  # "Brigade 80", "Hill 500": a number makes it a name
    words = [w for w in _words(name) if not w.isdigit()]
    return not words or all(w in GENERIC for w in words)


# --------------------------------------------------------------------- naming
_HEIGHT = re.compile(r"\s*\(\s*\d+(?:\.\d+)?\s*m?\s*\)|\s*\(\s*\d{4}\s*\)|\s*\d{3,4}\s*m\b")


def split_label(label: str) -> tuple[str, list[str]]:
    """Main name and alternate names of a label ("A (B)", "A/B")."""
    label = label.replace("’", "'").replace("‘", "'")
    label = _HEIGHT.sub("", label).strip()
    alts: list[str] = []
    for inner in re.findall(r"\(([^()]*)\)", label):
        if inner.strip() and not re.fullmatch(r"[\d\s.m-]+", inner):
            alts.extend(p.strip() for p in inner.split(",") if p.strip())
    main = re.sub(r"\s*\([^()]*\)", "", label).strip()
    main = re.sub(r"\(\s*$", "", main).strip()
    if "/" in main:
        parts = [p.strip() for p in main.split("/") if p.strip()]
        main, alts = parts[0], parts[1:] + alts
    main = re.sub(r"\s+", " ", main).strip(" -,")
    return main, [re.sub(r"\s+", " ", a).strip(" -,") for a in alts if a.strip(" -,")]


def ascii_slug(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("ı", "i").replace("'", "").replace("’", "").replace("‘", "")
    text = text.replace("`", "").replace("ʿ", "").replace("ʾ", "")
    text = re.sub(r"[^a-zA-Z0-9]+", "-", text.lower()).strip("-")
    return text


def _ordinal(n: int) -> str:
    if 10 <= n % 100 <= 20:
        return f"{n}th"
    return f"{n}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th') }".replace(" ", "")


_UNIT_ADJ = (r"(?:(?:Armou?red|Mechani[sz]ed|Artillery|Special\s+Forces|Air\s+[Dd]efen[cs]e"
             r"|Engineering|Tank|Infantry|Missile|Radar)\s+)?")


def unit_aliases(name: str) -> list[str]:
    """ "Brigade 137" <-> "137th Brigade" (also Regiment, Division, Battalion)."""
    out = []
    for unit in ("Brigade", "Regiment", "Division", "Battalion"):
        m = re.search(rf"\b{unit}\s+(\d+)\b", name, re.IGNORECASE)
        if m:
            n = int(m.group(1))
            out += [f"{unit} {n}", f"{_ordinal(n)} {unit}", f"{unit} {n} base",
                    f"{_ordinal(n)} {unit} base"]
        m = re.search(rf"\b(\d+)(?:st|nd|rd|th)?\s+{_UNIT_ADJ}{unit}\b", name, re.IGNORECASE)
        if m:
            n = int(m.group(1))
            out += [f"{unit} {n}", f"{_ordinal(n)} {unit}", f"{_ordinal(n)} {unit} base"]
    return out


_HILL_PREFIX = re.compile(r"^(?:Tal|Tall|Tell|Tel|Til)\s+", re.IGNORECASE)
_JABAL_PREFIX = re.compile(r"^(?:Jabal|Jebel|Jbel)\s+", re.IGNORECASE)
_MOUNT_PREFIX = re.compile(r"^Mount\s+", re.IGNORECASE)
_MOUNTAIN_SUFFIX = re.compile(r"\s+(?:mountain|mountains)$", re.IGNORECASE)
_HILL_SUFFIX = re.compile(r"\s+hills?$", re.IGNORECASE)


def hill_aliases(name: str) -> list[str]:
    out = []
    if re.match(r"(?:Western|Eastern|Northern|Southern)\b", name):
        return out
    if (m := _JABAL_PREFIX.match(name)) or (m := _MOUNT_PREFIX.match(name)):
        rest = name[m.end():]
        out += [f"Jabal {rest}", f"Jebel {rest}", f"Mount {rest}"]
        # English copy puts the word after: "the Jazal Mountains" = Jabal al-Jazal
        out += [f"{rest} mountain", f"{rest} mountains"]
    elif m := _MOUNTAIN_SUFFIX.search(name):
        rest = name[: m.start()]
        out += [f"Jabal {rest}", f"Jebel {rest}", f"Mount {rest}", f"{rest} mountain",
                f"{rest} mountains"]
    elif m := _HILL_PREFIX.match(name):
        rest = name[m.end():]
        out += [f"Tal {rest}", f"Tell {rest}", f"Tall {rest}"]
        bare = re.sub(r"^(?:al|el|at|as|ad|ar|an|ash|az|adh)[- ]", "", rest, flags=re.I)
        if len(bare) > 3:
            out.append(f"{bare} hill")
    elif m := _HILL_SUFFIX.search(name):
        rest = name[: m.start()]
        out += [f"Tal {rest}", f"{rest} hill"]
    return out


def has_hill_word(name: str) -> bool:
    return bool(set(_words(name)) & set(HILL_WORDS))


def has_feature_word(name: str, kind: str) -> bool:
    words = set(_words(name))
    if kind == "mountain":
        return has_hill_word(name)
    if kind == "airbase":
        return bool(words & set(AIR_WORDS))
    if kind == "dam":
        return "dam" in words
    if kind == "oilfield":
        return bool(words & set(OIL_WORDS)) or bool(words & {"plant", "station", "facility"})
    if kind == "military_base":
        return bool(words & set(BASE_WORDS)) or bool(unit_aliases(name))
    if kind == "facility":
        return bool(words & set(FACILITY_WORDS)) or bool(words & set(BASE_WORDS))
    if kind == "border_crossing":
        return bool(words & {"crossing", "gate", "border"})
    return True


FEATURE_SUFFIX = {
    "mountain": "hill",
    "military_base": "base",
    "facility": "facility",
    "airbase": "airbase",
    "dam": "Dam",
    "oilfield": "oil field",
    "border_crossing": "border crossing",
}

_GENERIC_ARTICLE = re.compile(
    r"^(?:Cities and towns during|Battle of|Siege of|Talk:|Combat operations|Operation |"
    r"Aleppo offensive|East Aleppo offensive|Northern Aleppo offensive|Western al-Bab|"
    r"Kuweires offensive|\d{4} |Quneitra offensive|Tishrin Dam offensive|Manbij offensive|"
    r"Al-Nusra Front|Battle |Palmyra offensive|Homs offensive|Hama offensive|"
    r"Deir ez-Zor offensive|Raqqa campaign|Mosul offensive|Battle for|.*offensive|"
    r".*\b(?:Battle|Siege|campaign|clashes|insurgency|Jaish|Front|Army)\b)",
    re.IGNORECASE,
)


def link_names(mark: dict) -> list[str]:
    """English names from the label's URL and the ``link`` field (article or section)."""
    out = []
    for raw in (mark["title"], mark["link"]):
        if not raw:
            continue
        page, _, section = raw.partition("#")
        page, section = page.strip(), section.strip().replace("_", " ")
        if page and not _GENERIC_ARTICLE.match(page) and section.lower() not in (
                "civilwar", "syrian civil war", "syrian civil war"):
            out.append(page)
        elif section and section.lower() not in ("civilwar", "syrian civil war",
                                                 "the police academy during the syrian civil war",
                                                 "railway", "modern era"):
            out.append(section)
    return out


# ----------------------------------------------------------------------- curation
# Labels that need a hand: a clearer name, news spellings, or a kind the icon gets wrong.
# label -> dict(name=..., kind=..., aliases=[...], notes=..., skip=True, no_units=True,
#                only_aliases=True)
OVERRIDES: dict[str, dict] = {
    # --- Iraqi module
    "Ruwayshid Air Base": {"skip": True},  # in Jordan; the module's point is doubtful
    "H-3 Highway Strip": {"name": "H-3 highway strip airfield",
                          "aliases": ["H-3 Highway Strip", "H3 highway strip"]},
    "H-3 Northwest AFB": {"name": "H-3 Northwest air base",
                          "aliases": ["H-3 Northwest AFB", "H3 Northwest AFB",
                                      "H-3 Northwest airbase", "H3 Northwest air base"]},
    "H-3 Southwest AB": {"name": "H-3 Southwest air base",
                         "aliases": ["H-3 Southwest AB", "H3 Southwest AB",
                                     "H-3 Southwest airbase", "H3 Southwest air base"]},
    "Bashike Military Airfield": {"name": "Bashiqa camp", "kind": "military_base",
                                  "aliases": ["Bashike Military Airfield", "Bashiqa base",
                                              "Bashiqa military base", "Bashiqa camp"],
                                  "notes": "module label 'Bashike Military Airfield' "
                                           "(base marker)"},
    "Mosul Water Plant": {"name": "Mosul water plant", "kind": "facility",
                          "aliases": ["Mosul water treatment plant"]},
    "Ramadi Barrage": {"name": "Ramadi Barrage", "aliases": ["Ramadi barrage dam",
                                                             "Ramadi dam"]},
    "FOB Caldwell": {"name": "FOB Caldwell", "aliases": ["Kirkush Military Base",
                                                         "Kirkush base",
                                                         "Forward Operating Base Caldwell",
                                                         "Camp Caldwell"]},
    "Muthana Chemical Weapons Facility": {"kind": "facility",
                                          "aliases": ["Muthanna chemical weapons facility",
                                                      "al-Muthanna chemical weapons site"]},
    "Camp Al-Istiqlal": {"aliases": ["Muthenna Air Base", "Muthanna air base",
                                     "al-Muthanna airbase"]},
    "Camp Ashraf": {"aliases": ["Ashraf camp"]},
    "Kilo 160": {"name": "Kilo 160 base", "aliases": ["K160", "Kilo 160"],
                 "notes": "desert waypoint/base on the Rutba road"},
    "Faculty of Agriculture and Forestry - University of Mosul": {
        "name": "Mosul University Faculty of Agriculture and Forestry",
        "aliases": ["Faculty of Agriculture and Forestry - University of Mosul",
                    "Mosul agriculture college"]},
    "Fallujah Train Station": {"name": "Fallujah train station", "kind": "facility",
                               "aliases": ["Fallujah railway station"]},
    "Al Azrakiyah Water Treatment Plant": {"kind": "facility",
                                           "aliases": ["Azrakiyah water treatment plant",
                                                       "Azrakiyah water plant"]},
    "Nazim ath Tharthar Dam": {"aliases": ["Tharthar Dam", "Tharthar regulator",
                                           "Nazim al-Tharthar dam"]},
    "al Anbar hill top": {"name": "Anbar hilltop near Saqlawiyah",
                          "aliases": ["al Anbar hill top"],
                          "notes": "module label 'al Anbar hill top'"},
    "Haditha asphalt factory": {"kind": "facility"},
    "Al-Karmah warehouses": {"name": "Al-Karmah warehouses base",
                             "aliases": ["Karmah warehouses"]},
    "Mount Hasbi Outpost": {"kind": "military_base"},
    "Mount Juspi Base": {"kind": "military_base"},
    "Muthana State Establishment": {"kind": "facility",
                                    "aliases": ["Muthanna State Establishment",
                                                "al-Muthanna State Establishment"]},
    "Tullaiha": {"name": "Tullaiha base", "aliases": []},
    "Umm Qasr Port & Naval Base": {"name": "Umm Qasr naval base", "kind": "military_base",
                                   "aliases": ["Umm Qasr Port & Naval Base", "Umm Qasr port",
                                               "port of Umm Qasr"]},
    "Tikrit Air Academy (Camp Speicher)": {"name": "Camp Speicher",
                                           "aliases": ["Tikrit Air Academy", "Speicher base",
                                                       "Camp Speicher air base",
                                                       "Speicher airbase"]},
    # --- Syrian module
    "Jabal Sha'er": {"skip": True},  # = sy-jabal-shaer (the range, as a region)
    "Jihar gas/oil fields": {"name": "Jihar gas field", "only_aliases": True,
                             "aliases": ["Jihar oil field", "Jihar gas fields", "Jihar field",
                                         "Jazal-Jihar gas field"]},
    "Sukhna gas/oil fields": {"name": "Sukhna gas field", "only_aliases": True,
                              "aliases": ["Sukhna oil field", "Sukhna gas fields",
                                          "Sukhnah gas field"]},
    "Tuweinan oil/gas field": {"name": "Tuweinan gas field", "only_aliases": True,
                               "aliases": ["Tuweinan oil field", "Tuwainan gas field",
                                           "Tuweinan field"]},
    "Al Mahr oil/gas fields": {"name": "Al Mahr gas field", "only_aliases": True,
                               "aliases": ["Al Mahr oil field", "Mahr gas field",
                                           "al-Mahr field"]},
    "Jordanian Military hospital": {"name": "Jordanian military hospital", "kind": "facility",
                                    "aliases": ["Jordanian field hospital in Fallujah"]},
    "Army Vehicle Training Ground(al-Buthaynah)": {
        "name": "al-Buthaynah army vehicle training ground", "kind": "military_base",
        "aliases": ["Buthaynah training ground", "Army Vehicle Training Ground (al-Buthaynah)"]},
    "Sha'er Gas Fields": {"skip": True},  # = sy-shaer-gasfield
    "Port of Tartus and Russian Naval Base": {"skip": True},  # = sy-tartus-naval-base
    "Baniyas Naval Port": {"name": "Baniyas naval port", "kind": "military_base",
                           "aliases": ["Baniyas naval base", "Banias naval port"]},
    "Radar Base (Tall Kharouf)": {"name": "Tall Kharouf radar base", "kind": "military_base",
                                  "aliases": ["Tall Kharouf", "Tal Kharouf radar base",
                                              "Tell Kharouf"]},
    "Electronic Battalion Base": {"name": "Baradun electronic battalion base",
                                  "aliases": ["Electronic Battalion base near Baradun"],
                                  "notes": "module label is only 'Electronic Battalion Base'"},
    "Yarmouk/Ad Dar'iyad district": {"name": "Yarmouk district",
                                     "aliases": ["Ad Dar'iyad district", "al-Yarmouk district"],
                                     "notes": "district of Raqqa city"},
    "Tabqah": {"name": "Tabqah base (Ithriya road)", "aliases": [],
               "notes": "module label is only 'Tabqah' (link 'Tabqah, base'); a government "
                        "position on the Ithriya-Tabqa road, not the town or the airbase"},
    "New Zeyzoun": {"name": "New Zeyzoun base", "aliases": []},
    "Bassel al-Assad Int'l Airport and Khmeimim airbase": {"skip": True},  # = sy-hmeimim-airbase
    "Aleppo International Airport & Nayrab Airbase": {
        "name": "Nayrab air base", "aliases": ["Nayrab airbase", "Nayrab military airport",
                                              "Al-Nayrab airbase"]},
    "Kuweires Airbase": {"aliases": ["Kweires airbase", "Kuweiris airbase",
                                     "Kuweires military airport", "Kweiris airbase",
                                     "Quweires airbase"]},
    "Aleppo Prison/Security Branch": {
        "name": "Aleppo Central Prison", "kind": "facility",
        "aliases": ["Aleppo central prison", "Aleppo prison"]},
    "Minakh (Menagh, Meng) Airbase": {
        "name": "Menagh air base", "aliases": ["Minakh airbase", "Menagh airbase",
                                              "Mennagh airbase", "Minnigh airbase",
                                              "Menagh military airport"]},
    "Tell Mahrouqat (Brigade 552)": {
        "name": "Tell Mahrouqat", "kind": "military_base",
        "aliases": ["Brigade 552", "552nd Brigade", "Tal Mahrouqat", "Tal Mahruqat"]},
    "Mahmyat Al-Ghazal (Ghazalan Camp)": {
        "name": "Ghazalan camp", "aliases": ["Mahmiyat al-Ghazal camp", "Ghazalan military camp"],
        "kind": "military_base"},
    "Saint Simeon Citadel(Qalat Semaan)": {
        "name": "Qalaat Semaan", "kind": "military_base",
        "aliases": ["Saint Simeon citadel", "Qal'at Sim'an", "Church of Saint Simeon",
                    "Qalat Semaan"]},
    "SDF/Russian Military Base(Kafr Jana camp)": {
        "name": "Kafr Jannah camp", "aliases": ["Kafr Jana camp", "Kafr Janna base"]},
    "ICARDA": {"name": "ICARDA research station", "kind": "facility",
               "aliases": ["ICARDA", "ICARDA centre", "Tel Hadya research station"]},
    "ICARDA Farms": {"name": "ICARDA Farms", "kind": "facility"},
    "Burqush": {"name": "Burqush military position",
                "aliases": ["Burqush base", "Burqush hill"]},
    "Nabi Idris": {"skip": True},  # a shrine/hill name; kind unclear
    "Qasr al-Hayr al-Sharqi": {"name": "Qasr al-Hayr al-Sharqi castle", "kind": "facility",
                               "aliases": ["Qasr al-Hayr al-Sharqi fortress"]},
    "Al-Safira Base & Defense Factories": {
        "name": "Al-Safira defence factories",
        "aliases": ["Safira defense factories", "al-Safira military base",
                    "Safira military complex", "Safira defence plants"]},
    "Al-Safira Military Research Facility": {
        "name": "Al-Safira military research facility",
        "aliases": ["Safira research centre", "Scientific Studies and Research Centre al-Safira"]},
    "Aleppo Thermal power plant": {"aliases": ["Aleppo thermal power station",
                                               "Aleppo thermal plant",
                                               "thermal power plant east of Aleppo"]},
    "Hanano Army Base": {"aliases": ["Hanano barracks", "Hanano military base"]},
    "Al-Assad Military Academy": {"aliases": ["Assad military academy",
                                              "Al-Assad Academy for Military Engineering"]},
    "Artillery Army Base (Zahraa)": {"name": "Zahraa artillery base",
                                    "aliases": ["Artillery base (Zahraa)",
                                                "Al-Zahraa artillery base"]},
    "Air Defence (SAM) Base (Al-Zahraa)": {"name": "Zahraa air defence base",
                                          "aliases": ["Al-Zahraa air defense base"]},
    "Air Defense (Brigade 599)": {"name": "Brigade 599",
                                  "aliases": ["Air defence brigade 599", "599th Brigade"]},
    "Air Defense Battalion (Mount Azzan)": {"name": "Mount Azzan air defence base",
                                            "aliases": ["Azzan air defense battalion",
                                                        "Jabal Azzan base"]},
    "Air Defense Intelligence Branch": {"name": "Aleppo Air Force Intelligence branch",
                                        "skip": True},
    "Khan al-Asal Police Academy": {"aliases": ["Khan Tuman police academy"], "skip": False},
    "Tadef roundabout": {"skip": True},
    "Kateeb Roundabout": {"skip": True},
    "Al Kadi Villa": {"skip": True},
    "Journalists Housing": {"skip": True},
    "Driving school": {"skip": True},
    "Communication Tower": {"skip": True},
    "Roman ruins of Qasr al-Hayr": {"skip": True},
    "Zannobia Resort": {"skip": True},
    "Ancient Quarries": {"skip": True},
    "Tell Mu'tah": {"kind": "mountain"},
    "Al-Khafsah Water Pumping Station": {
        "name": "Al-Khafsah water pumping station",
        "aliases": ["Khafsah pumping station", "Khafsah water station"]},
    "Al-Khafsah Water Treatment Plant": {
        "name": "Al-Khafsah water treatment plant",
        "aliases": ["Khafsah water plant", "Khafsah water treatment station"]},
    "Lafarge Cement Plant": {"aliases": ["Lafarge cement factory", "Lafarge factory",
                                         "Jalabiya cement plant", "Lafarge plant"]},
    "Lafarge Helicopter airfield": {"name": "Lafarge airfield", "kind": "airbase",
                                    "aliases": ["Lafarge helicopter base"]},
    "Tishrin Dam": {"aliases": ["Tishreen Dam"]},
    "Tishreen Power Plant": {"name": "Tishreen power plant",
                             "aliases": ["Tishrin power plant", "Tishreen thermal power station"]},
    "Mezzeh Military Airport": {"aliases": ["Mezzeh airbase", "Mezze military airport",
                                            "Mezze airbase"]},
    "Jirah Airbase": {"aliases": ["Jirah military airport", "Al-Jarrah airbase",
                                  "Jarrah airbase"]},
    "Qabr As Sitt Air Base": {"name": "Qabr al-Sitt heliport",
                              "aliases": ["Qabr as Sitt air base", "Sayyida Zeinab heliport",
                                          "Aqraba helicopter base"]},
    "Ramla 910m-Airstrip": {"name": "Ramla airstrip",
                            "aliases": ["Ramla airfield", "Ramla airbase"]},
    "Tilifê airbase (780m-airstrip)": {"name": "Tilifê airbase",
                                       "aliases": ["Tilife airbase", "Tilifê airstrip",
                                                   "Tilife airstrip"]},
    "Tel Rifaat NNE Fortified defensive base": {"skip": True},
    "Castello complex & Tal": {"name": "Castello complex",
                               "aliases": ["Castello hill", "Castello military complex"]},
    "Al-Zaytuni Poultry Frarm": {"name": "Al-Zaytuni poultry farm",
                                 "aliases": ["Zaytuni poultry farm", "al-Zaytuni poultry"]},
    "Turkish Military Base - Zilif": {"name": "Zilif Turkish base",
                                      "aliases": ["Turkish military base at Zilif"]},
    "Turkish Military Base - Kaljibrin": {"name": "Kaljibrin Turkish base",
                                          "aliases": ["Turkish military base at Kaljibrin"]},
    "Turkish Military Base - Dabiq": {"name": "Dabiq Turkish base",
                                      "aliases": ["Turkish military base at Dabiq"]},
    "Turkish Military Base - Sheikh Aqil": {"name": "Sheikh Aqil Turkish base",
                                            "aliases": ["Turkish military base at Sheikh Aqil",
                                                        "Turkish observation post Sheikh Aqil"]},
    "Khirbat al-Qusayr": {"name": "Khirbat al-Qusayr hill"},
    "Hill 500": {"name": "Hill 500", "aliases": ["Height 500"]},
    "Point 1 (Thurdah hill 1)": {"name": "Thurdah hill 1", "kind": "mountain",
                                 "aliases": ["Jabal Thurdah point 1", "Tharda hill 1",
                                             "Jabal Tharda 1"]},
    "Point 2 (Thurdah hill 2)": {"name": "Thurdah hill 2", "kind": "mountain",
                                 "aliases": ["Jabal Thurdah point 2", "Tharda hill 2",
                                             "Jabal Tharda 2"]},
    "Point 3 (Thurdah hill 3)": {"name": "Thurdah hill 3", "kind": "mountain",
                                 "aliases": ["Jabal Thurdah point 3", "Tharda hill 3",
                                             "Jabal Tharda 3"]},
    "Tel Hamad base (Brigade 82)": {"name": "Tel Hamad base", "kind": "military_base",
                                    "no_units": True, "aliases": ["Tal Hamad base"]},
    "235th Branch Military Intelligence & Palestinian security branch": {
        "name": "Palestine Branch", "kind": "military_base",
        "aliases": ["Branch 235", "Military Intelligence Branch 235", "Palestine branch prison",
                    "Far' Falastin"]},
    "Tell Abyad": {"skip": True},  # a hill near Hama; the name is the border town's
    "Abd al Aziz": {"name": "Abd al-Aziz mountains", "kind": "mountain",
                    "aliases": ["Mount Abdulaziz", "Jabal Abdulaziz", "Jabal Abd al-Aziz",
                                "Abdulaziz mountains", "Abd al-Aziz mountain",
                                "Jabal Abdul Aziz", "Abdul Aziz mountains"]},
    "East Dam": {"name": "Hasakah East Dam", "aliases": ["East Hasakah Dam", "Hasakah eastern dam",
                                                        "al-Hasakah East Dam"]},
    "South Hasakah Dam": {"aliases": ["Hasakah South Dam", "Hasakah southern dam",
                                      "al-Hasakah South Dam"]},
    "Southern Dam": {"name": "Shaykh Maskin southern dam",
                     "aliases": ["Sheikh Miskin dam", "Shaykh Maskin dam"]},
    "Damascus Int'l Airport": {"name": "Damascus International Airport",
                               "aliases": ["Damascus airport", "Damascus international airport",
                                           "Damascus Int'l Airport"]},
    "Abu Hajar Airport (Rmelan Airbase)": {
        "name": "Abu Hajar airport", "aliases": ["Rmelan airbase", "Rmeilan airbase",
                                                "Rmelan airfield", "Rmeilan airfield",
                                                "Rmelan airport", "Abu Hajar airbase",
                                                "Abu Hajar airfield"]},
    "Abandoned Mayadin Airport": {"name": "Mayadin airport",
                                  "aliases": ["Mayadin airfield", "Mayadin airbase",
                                              "Mayadin military airport"]},
    "Abandoned T2 Airport": {"name": "T2 airport", "aliases": ["T2 airfield", "T-2 airbase",
                                                             "T2 airbase", "T-2 airport"]},
    "T2 Pumping Station": {"name": "T2 pumping station",
                           "aliases": ["T-2 pumping station", "T2 oil pumping station",
                                       "T2 station", "T-2 station"]},
    "Al-Hawl (Tishreen) Oil Field": {"name": "Al-Hawl oil field",
                                     "aliases": ["Tishreen oil field", "al-Hol oil field",
                                                 "Hawl oil field"]},
    "Palmyra Gas Fields": {"aliases": ["Palmyra gas field", "Palmyra gasfields"]},
    "Tel Hamad base (Brigade 82)_": {},
    "Special Forces (41st Regiment) & Military Hospitals": {
        "name": "41st Special Forces Regiment base",
        "aliases": ["Regiment 41", "41st Regiment", "Special Forces 41st Regiment base"]},
    "Brigade 22 & Communications Facility": {"name": "Brigade 22",
                                             "aliases": ["Brigade 22 communications facility"]},
    "Marj As Sultan South Military Heliport & Radar Base": {
        "name": "Marj al-Sultan south heliport",
        "aliases": ["Marj al-Sultan heliport", "Marj as Sultan heliport",
                    "Marj al-Sultan military airport", "Marj al-Sultan airbase",
                    "Marj as-Sultan airbase", "Marj al-Sultan radar base"]},
    "Marj As Sultan North Military Heliport": {
        "name": "Marj al-Sultan north heliport",
        "aliases": ["Marj as Sultan north heliport", "Marj al-Sultan northern heliport"]},
    "137th Mechanized Brigade-Army Base": {"skip": True},  # = sy-brigade-137 (4 km)
    "HQ 137th Artillery Brigade’s Base": {"name": "137th Artillery Brigade headquarters",
                                          "no_units": True,
                                          "aliases": ["HQ 137th Artillery Brigade"]},
    "Az Zaqf FSA/U.S. Joint Garrison": {"name": "Az Zaqf garrison",
                                       "aliases": ["Zakf base", "al-Zakf garrison",
                                                   "Zaqf base", "al-Zaqf base"]},
    "5th Division Warehouses/Storage Base": {"name": "5th Division storage base",
                                             "no_units": True,
                                             "aliases": ["5th Division warehouses"]},
}


# ---------------------------------------------------------------------- geography
def _load_geo():
    try:
        from shapely.geometry import Point, shape
    except ImportError:  # pragma: no cover
        return None, None
    provinces = []
    data = json.loads((GAZ / "geo" / "provinces.geojson").read_text(encoding="utf-8"))
    for feat in data["features"]:
        provinces.append((feat["properties"]["iso_a2"], feat["properties"]["name"],
                          shape(feat["geometry"])))
    countries = []
    data = json.loads((GAZ / "geo" / "countries.geojson").read_text(encoding="utf-8"))
    for feat in data["features"]:
        countries.append((feat["properties"]["iso_a2"], shape(feat["geometry"])))

    def locate(lat: float, lon: float, home: str = "") -> tuple[str, str]:
        pt = Point(lon, lat)
        country = next((iso for iso, geom in countries if geom.contains(pt)), "")
        # the module's own country wins for a point on (or a little over) its border:
        # Natural Earth borders are simplified and the module marks are Syrian/Iraqi places
        if home and country != home:
            home_geom = next(geom for iso, geom in countries if iso == home)
            if home_geom.distance(pt) < 0.03:
                country = home
        admin1 = next((name for iso, name, geom in provinces
                       if iso == country and geom.contains(pt)), "")
        if not country:  # on a border line or river: nearest country
            country = min(countries, key=lambda c: c[1].distance(pt))[0]
        if not admin1:
            cands = [(geom.distance(pt), name) for iso, name, geom in provinces if iso == country]
            if cands and min(cands)[0] < 0.05:
                admin1 = min(cands)[1]
        return country, admin1

    return locate, Point


# Natural Earth province names -> the governorate names the other place files use.
ADMIN1_NAMES = {
    "Halab": "Aleppo", "Hamah": "Hama", "Hims": "Homs", "Dimashq": "Damascus",
    "Rif Dimashq": "Rif Dimashq", "Dar`a": "Daraa", "Dara": "Daraa", "Dará": "Daraa",
    "As Suwayda'": "Suwayda", "As Suwayda": "Suwayda", "Al Qunaytirah": "Quneitra",
    "Idlib": "Idlib", "Al Ladhiqiyah": "Latakia", "Lattakia": "Latakia", "Tartus": "Tartus",
    "Ar Raqqah": "Raqqa", "Dayr Az Zawr": "Deir ez-Zor", "Dayr az Zawr": "Deir ez-Zor",
    "Al Hasakah": "Hasakah", "Ninawa": "Nineveh", "Ninewa": "Nineveh", "Al-Anbar": "Anbar",
    "Al Anbar": "Anbar", "Anbar": "Anbar", "Sala ad-Din": "Salahuddin",
    "Salah ad-Din": "Salahuddin", "At-Ta'mim": "Kirkuk", "Kirkuk": "Kirkuk",
    "Diyala": "Diyala", "Baghdad": "Baghdad", "Arbil": "Erbil", "Erbil": "Erbil",
    "Dihok": "Dohuk", "Duhok": "Dohuk", "Dahuk": "Dohuk", "As-Sulaymaniyah": "Sulaymaniyah",
    "Babil": "Babil", "Karbala'": "Karbala", "Al-Najaf": "Najaf", "Wasit": "Wasit",
    "Homs (Hims)": "Homs", "Hasaka (Al Haksa)": "Hasakah", "UNDOF": "Quneitra",
    "An-Najaf": "Najaf", "Al-Basrah": "Basra", "Dhi-Qar": "Dhi Qar",
    "Al-Qādisiyyah": "Qadisiyyah", "Al-Muthannia": "Muthanna", "Maysan": "Maysan",
}


# ------------------------------------------------------------------- existing rows
def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = re.sub(r"['’‘`ʿʾ]", "", text)
    text = re.sub(r"\b(al|el|ad|ar|as|ash|at|az|an|adh)[- ]", "", text)
    text = re.sub(r"\b(tall|tell|tel|til)\b", "tal", text)
    text = re.sub(r"\b(jebel|jbel)\b", "jabal", text)
    text = re.sub(r"([a-z])\1", r"\1", text)  # doubled letters, not digits
    text = text.replace("ou", "u").replace("oo", "u").replace("ee", "i")
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


def _core(text: str) -> str:
    """A name without its feature words, for matching the same place under two names."""
    stop = {"airbase", "air", "base", "airport", "military", "dam", "oil", "gas", "field",
            "crossing", "border", "hill", "mountain", "mount", "jabal", "tal", "the", "plant",
            "power", "thermal", "station", "airfield", "brigade", "regiment", "division"}
    return " ".join(w for w in _fold(text).split() if w not in stop)


def _km(lat1, lon1, lat2, lon2) -> float:
    p = math.pi / 180
    a = (math.sin((lat2 - lat1) * p / 2) ** 2
         + math.cos(lat1 * p) * math.cos(lat2 * p) * math.sin((lon2 - lon1) * p / 2) ** 2)
    return 12742 * math.asin(math.sqrt(a))


def read_existing() -> list[dict]:
    rows = []
    for name in ("syria.csv", "iraq_libya_turkey_region.csv"):
        path = GAZ / "places" / name
        if not path.is_file():
            continue
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                try:
                    row["_lat"], row["_lon"] = float(row["lat"]), float(row["lon"])
                except ValueError:
                    continue
                row["_names"] = {_fold(n) for n in [row["name"], *row["aliases"].split("|")] if n}
                row["_cores"] = {_core(n) for n in [row["name"], *row["aliases"].split("|")]
                                 if n and _core(n)}
                rows.append(row)
    return rows


SETTLEMENT_KINDS = {"city", "town", "village"}


def duplicate_of(cand: dict, existing: list[dict]) -> dict | None:
    """An existing row for the same place: same kind (or same name) within ~3 km."""
    names = {_fold(n) for n in [cand["name"], *cand["aliases"]]}
    cores = {_core(n) for n in [cand["name"], *cand["aliases"]] if _core(n)}
    for row in existing:
        d = _km(cand["lat"], cand["lon"], row["_lat"], row["_lon"])
        # big features (airbases, dams, fields) may sit a few km from the listed point
        if d > 3.0 and not (d <= 8.0 and row["kind"] == cand["kind"] and cores & row["_cores"]):
            continue
        if row["kind"] == cand["kind"]:
            if cand["kind"] in ("airbase", "dam", "oilfield", "border_crossing") or (
                    names & row["_names"] or cores & row["_cores"]):
                return row
        elif row["kind"] not in SETTLEMENT_KINDS and (names & row["_names"]):
            return row
    return None


def near_town(cand: dict, existing: list[dict]) -> str:
    """The id of the town a feature is named after, when its name leads the label."""
    core = _core(cand["name"])
    if not core:
        return ""
    for row in existing:
        if row["kind"] not in SETTLEMENT_KINDS:
            continue
        if core in row["_names"] and _km(cand["lat"], cand["lon"], row["_lat"], row["_lon"]) < 15:
            return row["id"]
    return ""


# ----------------------------------------------------------------------- building
def build(paths: list[Path]) -> list[dict]:
    locate, _ = _load_geo()
    existing = read_existing()
    out: dict[str, dict] = {}
    seen: list[dict] = []
    for path in paths:
        module = next((mod for key, mod in MODULES.items() if key in path.name), None)
        if module is None:
            sys.exit(f"{path}: expected 'Syrian' or 'Iraqi' in the file name")
        text = path.read_text(encoding="utf-8")
        for mark in parse_marks(text):
            row = make_row(mark, module, locate)
            if row is None:
                continue
            if duplicate_of(row, existing):
                continue
            # the same place twice in the modules (a second mark, or both modules)
            if any(s["kind"] == row["kind"] and (
                    (_km(s["lat"], s["lon"], row["lat"], row["lon"]) < 5
                     and ({_fold(row["name"])} | {_fold(a) for a in row["aliases"]})
                     & ({_fold(s["name"])} | {_fold(a) for a in s["aliases"]}))
                    # the same name twice, far apart: keep the first, not two rivals
                    or (_fold(s["name"]) == _fold(row["name"])
                        and _km(s["lat"], s["lon"], row["lat"], row["lon"]) < 60)) for s in seen):
                continue
            row["near"] = near_town(row, existing)
            seen.append(row)
            rid = row["id"]
            n = 2
            while rid in out:
                rid = f"{row['id']}-{n}"
                n += 1
            row["id"] = rid
            out[rid] = row
    return resolve_alias_clashes([out[k] for k in sorted(out)], existing)


def resolve_alias_clashes(rows: list[dict], existing: list[dict]) -> list[dict]:
    """One name, one place: drop aliases that name another row or a place already in the files.

    "Brigade 137" must keep meaning the curated Brigade 137 base, and "5th Division" only the
    row that is the division's base (the shortest name that carries it).
    """
    taken = set()
    for row in existing:
        taken |= row["_names"]
    owners: dict[str, list[dict]] = {}
    for r in rows:
        for a in r["aliases"]:
            owners.setdefault(_fold(a), []).append(r)
    names = {_fold(r["name"]) for r in rows}
    for r in rows:
        keep = []
        for a in r["aliases"]:
            key = _fold(a)
            if key in taken:
                continue
            if key in names and key != _fold(r["name"]):
                continue
            holders = owners[key]
            if len(holders) > 1 and r is not min(holders, key=lambda h: (len(h["name"]), h["id"])):
                continue
            keep.append(a)
        r["aliases"] = keep
    return rows


def make_row(mark: dict, module: str, locate) -> dict | None:
    label = mark["label"].strip()
    over = OVERRIDES.get(label) or OVERRIDES.get(split_label(label)[0], {})
    if over.get("skip"):
        return None
    kind = over.get("kind") or classify(mark)
    if kind is None:
        return None
    main, alts = split_label(label)
    if not over.get("name") and (not main or is_generic(main)):
        return None
    notes = []
    name = over.get("name", main)
    aliases: list[str] = []
    # a hill with a base on it reads best as a hill ("Tell Sheikh Yusuf")
    if kind == "military_base" and (
            _HILL_PREFIX.match(name) or _JABAL_PREFIX.match(name) or _MOUNT_PREFIX.match(name)
            or _HILL_SUFFIX.search(name)) and not unit_aliases(label) and not over.get("kind"):
        kind = "mountain"
        notes.append("military position on a hill (base marker on the map)")
    if not over.get("name") and not has_feature_word(name, kind):
        notes.append(f"module label '{label}' has no feature word; "
                     f"'{FEATURE_SUFFIX[kind]}' added")
        name = f"{name} {FEATURE_SUFFIX[kind]}"
    else:
        if main != name and has_feature_word(main, kind):
            aliases.append(main)
    for alt in alts:
        if has_feature_word(alt, kind) or unit_aliases(alt):
            aliases.append(alt)
        elif kind == "mountain" and not has_hill_word(alt):
            aliases.append(f"{alt} hill")
        elif kind in ("oilfield", "dam", "airbase") and not is_generic(alt):
            # "Al-Hawl (Tishreen) Oil Field": also "Tishreen oil field"
            aliases.append(f"{alt} {FEATURE_SUFFIX.get(kind, '')}".strip())
    for ln in link_names(mark):
        ln = re.sub(r"\s*\((?:Syria|Iraq|Syrian Civil War)\)$", "", ln)
        l_main, l_alts = split_label(ln)
        for cand in [l_main, *l_alts]:
            if cand and has_feature_word(cand, kind) and not is_generic(cand):
                aliases.append(cand)
    aliases += over.get("aliases", [])
    if over.get("only_aliases"):  # the label's own pieces are misleading ("A oil/gas fields")
        aliases = list(over["aliases"])
    if kind == "mountain":
        for a in [name, *aliases]:
            aliases += hill_aliases(a)
    if not over.get("no_units"):
        aliases += unit_aliases(name)
        for a in [*list(aliases), name]:
            aliases += unit_aliases(a)
    if kind == "airbase":
        base = re.sub(r"\s+(?:air\s*base|airbase|military airport|airport|airfield|airstrip"
                      r"|heliport|military airbase)$", "", name, flags=re.IGNORECASE)
        base = re.sub(r"\s*\d+m-?\s*$", "", base).strip()
        if base and base != name:
            aliases += [f"{base} airbase", f"{base} air base", f"{base} military airport",
                        f"{base} airfield"]
    if kind == "dam":
        base = re.sub(r"\s+Dam$", "", name, flags=re.IGNORECASE)
        aliases += [f"{base} dam", f"{base} reservoir"]
    if kind == "border_crossing":
        base = re.sub(r"\s+(?:border\s+)?crossing$", "", name, flags=re.IGNORECASE)
        aliases += [f"{base} crossing", f"{base} border crossing", f"{base} border gate"]
    # tidy: no bare town names, no generic words, no duplicates, not the name itself
    clean, keys = [], {_fold(name)}
    for a in aliases:
        a = re.sub(r"\s+", " ", a.replace("’", "'").replace("‘", "'")).strip(" ,-")
        if not a or _fold(a) in keys or is_generic(a) or len(a) > 120:
            continue
        if not has_feature_word(a, kind) and not unit_aliases(a) and a not in over.get(
                "aliases", []):
            continue
        keys.add(_fold(a))
        clean.append(a)
    lat, lon = mark["lat"], mark["lon"]
    if not (29.0 <= lat <= 38.5 and 34.5 <= lon <= 49.0):
        return None  # a typo in the module (e.g. long = 366514.)
    country, admin1 = ("SY" if "Syrian" in module else "IQ"), ""
    if locate:
        country, admin1 = locate(lat, lon, "SY" if "Syrian" in module else "IQ")
        admin1 = ADMIN1_NAMES.get(admin1, admin1)
    if country not in ("SY", "IQ", "TR", "LB", "JO"):
        return None
    src_label = label.replace("|", "/")
    source = f"wikipedia-module:{module} ({src_label})"
    if mark["title"] and mark["title"] != label:
        pass
    notes.insert(0, f"marker {mark['mark'].replace('m.', '')}")
    slug = ascii_slug(name)
    return {
        "id": f"wm-{slug}",
        "name": name,
        "kind": kind,
        "lat": lat,
        "lon": lon,
        "country": country,
        "admin1": admin1,
        "near": "",
        "population": "",
        "aliases": clean,
        "source": source,
        "notes": "; ".join(notes + ([over["notes"]] if over.get("notes") else [])),
    }


def write(rows: list[dict], out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(COLUMNS)
        for r in rows:
            writer.writerow([r["id"], r["name"], r["kind"], f"{r['lat']:.5f}", f"{r['lon']:.5f}",
                             r["country"], r["admin1"], r["near"], r["population"],
                             "|".join(r["aliases"]), r["source"], r["notes"]])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="+", type=Path, help="saved module text files")
    parser.add_argument("--out", type=Path, default=GAZ / "places" / "detailed_map.csv")
    args = parser.parse_args(argv)
    rows = build(args.files)
    write(rows, args.out)
    counts: dict[str, int] = {}
    for r in rows:
        counts[r["kind"]] = counts.get(r["kind"], 0) + 1
    print(f"wrote {len(rows)} rows to {args.out}: "
          + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
