"""Distance statements: the frames of :mod:`geomap.distances` on real reporting.

The development cases are single sentences from public wire copy (the page each comes from
is given); a few carry the sentence before them when the distance is about a place named
there ("It is 40 km downstream of ..."). None of them is from the seed articles.
"""

from __future__ import annotations

import datetime as dt

import pytest

from geomap.corpus import ReadReport, read_text, split_articles
from geomap.distances import extract_distances, parse_km
from geomap.events import extract_events, iter_templates
from geomap.model import Article, DistanceClaim
from tests.conftest import seed_file

DAY = dt.date(2017, 3, 2)
MI = 1.609344
_MIL = "https://www.military.com/daily-news/2016/03/23/syrian-army-reaches-outskirts-is-held-town-palmyra.html"
_DAILYSTAR = (
    "http://www.dailystar.com.lb/News/Middle-East/2017/May-16/"
    "406042-us-backed-fighters-advance-on-syrias-isis-held-raqqa.ashx"
)
_REUTERS_RAQQA = "http://www.dailymail.co.uk/wires/reuters/article-4577038/Raqqa--Islamic-States-Syrian-capital.html"
_PALMYRA_LEAD = (
    "DAMASCUS, Syria - Syrian government forces backed by Russian airstrikes advanced swiftly in"
    " central Syria on Wednesday, seizing high ground around Palmyra and positioning themselves"
    " to recapture the historic town held by Islamic State."
)


def read(gaz, sentence: str, context: str = "") -> list[DistanceClaim]:
    """The claims of ``sentence`` (read after ``context``), as ingest reads them."""
    text = f"{context} {sentence}".strip()
    article = Article(id="dev", text=text, published=DAY)
    mentions = gaz.find(text)
    templates = list(iter_templates(article, gaz, mentions))
    events = extract_events(article, gaz, mentions, templates=templates)
    claims = extract_distances(article, gaz, events, templates=templates)
    return [c for c in claims if " ".join(c.evidence.split()) == " ".join(sentence.split())]


def summary(claim: DistanceClaim) -> tuple[str, str, str, float]:
    """What a claim says, its km to 1% (a converted mile is rounded to 0.01 km)."""
    to = claim.other.id if claim.other else claim.border
    return claim.relation.value, claim.place.id, to, pytest.approx(claim.claimed_km, rel=0.01)


# (source, context, sentence, (relation, place, other place or border, km), qualifier, actor)
DEVELOPMENT = [
    (
        _DAILYSTAR,
        "",
        "The US-backed Syrian Democratic Forces militia has advanced to within four kilometers"
        " north and east of ISIS's Syrian bastion Raqqa, a spokesperson and monitor said Tuesday.",
        ("force_to_place", "sy-raqqa", "", 4.0),
        "within",
        "SDF",
    ),
    (
        _DAILYSTAR,
        "",
        "The fighters are still 40 kilometers (25 miles) from Raqqa to the west, and they do not"
        " control any territory directly to the city's south, which is bordered by the Euphrates"
        " river.",
        ("force_to_place", "sy-raqqa", "", 40.0),
        "",
        None,
    ),
    (
        _DAILYSTAR,
        "",
        "Last week, the SDF seized the town of Tabqa and the adjacent dam, around 55 kilometers"
        " (35 miles) west of Raqqa, and the alliance will now push on towards their next target,"
        " the town of Al-Mansura.",
        ("place_to_place", "sy-tabqa", "sy-raqqa", 55.0),
        "around",
        None,
    ),
    (
        _REUTERS_RAQQA,
        "",
        "Raqqa is Syria's sixth-largest city and sits on the River Euphrates around 90 km (56"
        " miles) from the Turkish border in north central Syria.",
        ("place_to_border", "sy-raqqa", "TR", 90.0),
        "around",
        None,
    ),
    (
        _REUTERS_RAQQA,
        "Raqqa is Syria's sixth-largest city and sits on the River Euphrates.",
        "It is 40 km downstream of the Tabqa dam, Syria's largest, behind which stretches Syria's"
        " largest lake, Lake Assad.",
        ("place_to_place", "sy-raqqa", "sy-tabqa-dam", 40.0),
        "",
        None,
    ),
    (
        "http://wsjmostpopular.web.tv/video/operation-to-retake-raqqa-from-islamic-state-gets-underway__hx7wqa7orx6",
        "",
        "A Kurdish-led Syrian force backed by the U.S. military launched a large-scale operation"
        " on Wednesday to take Raqqa back from the extremist Islamic State group, and is now 30"
        " miles north of the city, according to commanders.",
        ("force_to_place", "sy-raqqa", "", 30 * MI),
        "",
        "SDF",
    ),
    (
        "https://infobalkans.com/2016/02/08/syrian-forces-near-turkish-border-around-30000-syrians-mass-border",
        "",
        "The capture of Kfeen brought troops to about five kilometers from the town of Tel"
        " Rifaat, and about 30 kilometers from the Turkish border - the closest point to the"
        " Turkish border reached by government forces since they lost the Mannagh air base in"
        " mid-2013.",
        ("force_to_place", "sy-tal-rifaat", "", 5.0),
        "about",
        "GOV_SY",
    ),
    (
        "https://www.thenationalnews.com/world/syrian-rebels-seize-village-south-of-aleppo-1.218109",
        "",
        "Khan Touman is just 6 kilometres from Aleppo, Syria's largest city.",
        ("place_to_place", "sy-khan-tuman", "sy-aleppo", 6.0),
        "just",
        None,
    ),
    (
        "https://www.newarab.com/news/islamic-state-tightens-grip-iraq-syria-border",
        "",
        "Husseiba is about seven kilometers (four miles) east of Ramadi, where IS militants"
        " routed Iraqi forces in their most significant advance in nearly a year.",
        ("place_to_place", "iq-husaybah", "iq-ramadi", 7.0),
        "about",
        None,
    ),
    (
        "https://www.worldtribune.com/kurdish-forces-liberate-isil-held-villages-near-mosul/",
        "",
        "In July, Iraqi forces captured the Qayyara airfield, 35 miles south of Mosul, to serve"
        " as the main staging post for the offensive.",
        ("place_to_place", "iq-qayyarah-airfield-west", "iq-mosul", 35 * MI),
        "",
        None,
    ),
    (
        "https://www.worldtribune.com/kurdish-forces-liberate-isil-held-villages-near-mosul/",
        "It was from Mosul's Grand Mosque in 2014 that ISIL leader Abu Bakr al-Baghdadi declared"
        " a caliphate spanning regions of Iraq and Syria.",
        "The city is 250 miles north of Baghdad and the largest urban center under ISIL's control"
        " with a pre-war population of 2 million.",
        ("place_to_place", "iq-mosul", "iq-baghdad", 250 * MI),
        "",
        None,
    ),
    (
        "https://londonglossy.com/iraqi-forces-push-two-villages-near-mosul/",
        "",
        "The IS attack on Kirkuk, about 100 miles south-east of Mosul, lasted for two days and"
        " killed at least 80 people, mainly members of the Kurdish security forces, who assumed"
        " control of the city in 2014 as Iraqi forces crumbled before an IS advance.",
        ("place_to_place", "iq-kirkuk", "iq-mosul", 100 * MI),
        "about",
        None,
    ),
    (
        "https://thenewdaily.com.au/news/world/2016/10/24/iraqi-forces-close-mosul/",
        "",
        "The Kurdish forces, known as Peshmerga, said in a statement they had cordoned off eight"
        " villages and were within five kilometres of Mosul.",
        ("force_to_place", "iq-mosul", "", 5.0),
        "within",
        "KRG",
    ),
    (
        "https://www.islamicinvitationturkey.com/syrian-army-deploys-6-km-away-from-terrorists-strategic-stronghold-in-southern-idlib-2/",
        "",
        "The Syrian Army men managed to push back the Al-Nusra Front from more positions in"
        " Southern Idlib on Monday and deployed only six kilometers away from the town of Abu"
        " Dali, the Al-Nusra's key bastion in region.",
        ("force_to_place", "gn-11556217", "", 6.0),
        "only",
        "GOV_SY",
    ),
    (
        "http://usdefensewatch.com/2016/03/syrian-army-reaches-outskirts-of-islamic-state-held-town-of-palmyra/",
        _PALMYRA_LEAD,
        "The troops, supported by pro-government militias, approached to within 1.8 miles of the"
        " town, according to state TV.",
        ("force_to_place", "sy-palmyra", "", 1.8 * MI),
        "within",
        "GOV_SY",
    ),
    (
        _MIL,
        _PALMYRA_LEAD,
        "The troops, supported by Lebanese Shiite militiamen fighting on the side of the Damascus"
        " government reached to within 3 kilometers (1.8 miles) of the town, according to the"
        " state TV broadcaster.",
        ("force_to_place", "sy-palmyra", "", 3.0),
        "within",
        "GOV_SY",
    ),
    (
        "https://5ux.com/news/syrian-army-advances-within-four-km-ancient-palmyra",
        "",
        "The Syrian army with the help of Russian air support is just four kilometers (2.5 miles)"
        " away from the gates of Palmyra.",
        ("force_to_place", "sy-palmyra", "", 4.0),
        "just",
        "GOV_SY",
    ),
    (
        "https://www.haaretz.com/2014-09-24/ty-article/is-advances-to-kurdish-town/0000017f-db98-d3ff-a7ff-fbb864250000",
        "",
        "He said Islamic State forces had advanced to within 8 kilometers (5 miles) from the"
        " southern periphery of Kobani, which is also known as Ayn al-Arab - closer than they"
        " had been at any stage.",
        ("force_to_place", "sy-kobani", "", 8.0),
        "within",
        "ISIS",
    ),
    (
        "http://www.spokesman.com/stories/2004/oct/04/us-iraqis-solidify-hold-on-samarra/",
        "",
        "American and Iraqi commanders have declared the operation in Samarra, 60 miles northwest"
        " of Baghdad, a successful first step in a major push to wrest key areas of Iraq from"
        " insurgents before January elections.",
        ("place_to_place", "iq-samarra", "iq-baghdad", 60 * MI),
        "",
        None,
    ),
    (
        "https://www.stripes.com/news/middle-east/iraq-troops-shiite-fighters-launch-push-to-take-back-tikrit-1.291192",
        "",
        "After an early morning operation in Tikrit, 80 miles north of Baghdad, Iraqi state"
        " television said army troops had regained control of the Salahuddin provincial"
        " headquarters building.",
        ("place_to_place", "iq-tikrit", "iq-baghdad", 80 * MI),
        "",
        None,
    ),
    (
        "https://infinitelexicon.com/Raqqa",
        "Raqqa is a city in northern Syria, situated on the left bank of the Euphrates River.",
        "It is the capital of Raqqa Governorate and lies roughly 160 kilometers northeast of"
        " Aleppo.",
        ("place_to_place", "sy-raqqa", "sy-aleppo", 160.0),
        "roughly",
        None,
    ),
    (
        "http://www.24news.ca/the-news/world-news/205470-shelling-near-reporters-in-syria-shows-limits-of-truce",
        "",
        "The journalists were visiting the government-controlled village of Kinsibba, which is"
        " about five kilometres south of the Turkish border, on a trip organized by Russia's"
        " defence and foreign ministries.",
        ("place_to_border", "sy-kinsabba", "TR", 5.0),
        "about",
        None,
    ),
    (
        "https://www.irishtimes.com/news/world/middle-east/syrian-rebels-prepare-attack-from-turkey-on-isis-held-town-1.2763693",
        "Jarablus, on the western bank of the Euphrates river, is the last significant town held"
        " by the militant Islamist group on Syria's border with Turkey.",
        "It is 54km east of al-Rai, a border town the same rebel groups recently took from"
        " Islamic State.",
        ("place_to_place", "sy-jarabulus", "sy-al-rai", 54.0),
        "",
        None,
    ),
]


@pytest.mark.parametrize(
    ("source", "context", "sentence", "expected", "qualifier", "actor"),
    DEVELOPMENT,
    ids=[f"{i:02d}-{case[3][1]}" for i, case in enumerate(DEVELOPMENT)],
)
def test_real_distance_sentence_gives_its_claim(
    gaz, source, context, sentence, expected, qualifier, actor
):
    claims = read(gaz, sentence, context)
    assert [summary(c) for c in claims] == [expected], source
    assert claims[0].qualifier == qualifier
    if expected[0] == "force_to_place":
        assert claims[0].actor == actor


# Real sentences with a figure that is no distance between two places (or whose place is
# not named anywhere): nothing must be claimed.
NO_CLAIM = [
    (
        "https://www.rte.ie/news/2015/0522/703074-islamic-state-seizes-last-syria-iraq-border",
        "The crossing is in Syria's Homs province, where Islamic State on Wednesday seized the"
        " historic city of Palmyra from government forces.",
        "An IS fighter contacted by Reuters confirmed the group had taken control of the"
        " crossing, which is a 240 km (150 miles) drive from Palmyra, known as Tadmur in Arabic.",
    ),
    (
        "https://clinicalnews.org/2012/11/12/what-border-syria-war-reaches-turkey/",
        "",
        "In the 20 months since the revolt against President Bashar al-Assad began, one by one"
        " the sleepy Turkish towns and villages up and down this 900-km (550-mile) frontier have"
        " watched helplessly as the Syrian war edges ever closer.",
    ),
    (
        "https://triviaquestions.online/pages/Syria%E2%80%93Turkey_border___Kobanî.html",
        "The border between Syria and Turkey runs from the Mediterranean Sea in the west to the"
        " tripoint with Iraq in the east.",
        "It runs across Upper Mesopotamia for some 400 kilometres (250 mi), crossing the"
        " Euphrates and reaching as far as the Tigris.",
    ),
    (
        "https://www.theguardian.com/world/2011/jun/23/syrian-refugees-turkey-border-crossing",
        "",
        "Refugees had been using orchards and olive groves in the valley below as a staging"
        " point after a 12-mile journey from the town of Jisr al-Shughour, which was besieged by"
        " the Syrian army a fortnight ago.",
    ),
    (
        "http://www.spokesman.com/stories/2004/oct/04/us-iraqis-solidify-hold-on-samarra/",
        "American and Iraqi commanders have declared the operation in Samarra, 60 miles"
        " northwest of Baghdad, a successful first step.",
        "Twelve miles south of Baghdad, two bodies - those of a woman and a man whose head was"
        " severed - were found, with police saying the corpses looked like those of Westerners.",
    ),
    (
        "https://5ux.com/news/syrian-army-advances-within-four-km-ancient-palmyra",
        "The Syrian army is just four kilometers away from the gates of Palmyra.",
        "Last week, the army recaptured a strategic hill at the southwestern entrance of"
        " Palmyra, four kilometres from the city.",
    ),
]

# Made-up sentences built on the traps of the genre: ages, counts, lengths, areas, journeys.
NOT_DISTANCES = [
    "A 40-year-old man from Raqqa was among the 15 people killed in Manbij.",
    "Engineers in Tabqa have rebuilt 20 miles of road from Raqqa since the spring.",
    "The SDF controls 100 kilometres of the border with Turkey east of Kobani.",
    "The rebels seized 300 square kilometres of Aleppo province, the Observatory said.",
    "ISIS killed 20 people in an airstrike 5 km from Raqqa, the Observatory said.",
    "Families walked 15 kilometres from Manbij to reach the camp.",
    "The 12-mile stretch of highway between Palmyra and Homs was closed.",
]


@pytest.mark.parametrize(("source", "context", "sentence"), NO_CLAIM)
def test_real_sentence_without_a_distance_claim(gaz, source, context, sentence):
    assert read(gaz, sentence, context) == [], source


@pytest.mark.parametrize("sentence", NOT_DISTANCES)
def test_figures_that_are_not_distances_make_no_claim(gaz, sentence):
    context = "Fighting continued around Tabqa on Monday."
    claims = read(gaz, sentence, context)
    assert not [c for c in claims if c.relation.value != "advance"], sentence


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Manbij lies 30 km from the Syrian-Turkish border.", ("sy-manbij", "TR")),
        ("Manbij lies 30 km south of Turkey's border.", ("sy-manbij", "TR")),
        ("Manbij lies 30 km from Turkey.", ("sy-manbij", "TR")),
        ("Al-Qaim, 5 km from the border with Syria, fell.", ("iq-al-qaim", "SY")),
    ],
)
def test_border_forms(gaz, sentence, expected):
    claims = read(gaz, sentence)
    assert [(c.relation.value, c.place.id, c.border) for c in claims] == [
        ("place_to_border", *expected)
    ]


def test_troops_near_a_border_make_no_place_claim(gaz):
    assert read(gaz, "Government troops came within 10 km of the Turkish border.") == []


def test_a_place_and_the_front_line(gaz):
    claims = read(gaz, "Residents of Manbij, just 5 km from the front line, fled north.")
    assert [summary(c) for c in claims] == [("force_to_place", "sy-manbij", "", 5.0)]


@pytest.mark.parametrize(
    ("number", "unit", "km"),
    [
        ("15", "kilometers", 15.0),
        ("nine", "miles", 14.48),
        ("1.5", "km", 1.5),
        ("1,000", "km", 1000.0),
        ("twenty-five", "kilometres", 25.0),
        ("thirty five", "km", 35.0),
        ("a", "mile", 1.61),
        ("850", "meters", 0.85),
        ("a few", "km", None),
    ],
)
def test_parse_km(number, unit, km):
    assert parse_km(number, unit) == km


SEED_MISSES = [  # (dispatch date line, first words, km): the seed statements once missed
    ("2017-09-05", "The army’s advance Tuesday breaks the siege", 15.0),
    ("March 01, 2017", "“Regime forces and Russian troops are about", 1.0),
    ("2017-02-23", "The town was also seen as a prize", 1.5),
    ("2017-01-18", "He spoke by phone from inside the city", 1.0),
    ("Nov 8, 2016", "In both cases the SDF was still", 30.0),
]


@pytest.fixture(scope="module")
def seed_claims(gaz) -> list[DistanceClaim]:
    path = seed_file("003")
    claims: list[DistanceClaim] = []
    for article in split_articles(read_text(path, ReadReport()), str(path), None):
        if article.published is None:
            continue
        mentions = gaz.find(article.text)
        templates = list(iter_templates(article, gaz, mentions))
        events = extract_events(article, gaz, mentions, templates=templates)
        claims.extend(extract_distances(article, gaz, events, templates=templates))
    return claims


@pytest.mark.parametrize(("dispatch", "start", "km"), SEED_MISSES)
def test_seed_force_distances_are_read(seed_claims, dispatch, start, km):
    found = [c for c in seed_claims if c.evidence.startswith(start)]
    assert [c.claimed_km for c in found] == [km], dispatch
    assert found[0].relation.value == "force_to_place" and found[0].actor
