"""The event reader over the dependency parse: frames, modality, and the development table.

The development table (tests/data/dev_sentences) holds real sentences from public
reporting with the control events each states; benchmarks/accuracy.py prints recall and
precision on it. Here every row is checked for consistency, and the reader's figures on
the whole table are held above floors, so that a change that reads less fails.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest

from geomap.errors import GazetteerError
from geomap.events import extract_events
from geomap.events.lexicon import parse_control_lexicon
from geomap.model import Article, ClaimStatus, ControlStatus, EventKind
from geomap.timeline import build_timeline, state_at

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
import accuracy  # noqa: E402

DAY = dt.date(2017, 3, 2)  # Thursday
ROWS = accuracy.load_table()
KINDS = {k.value for k in EventKind} - {"attacked", "advanced_to"}
ACTORS = {"GOV_SY", "ISIS", "SDF", "TFSA", "REBELS", "GOV_IQ", "KRG", "GNA_LY", "LNA_LY", "RUSSIA"}
ACTORS |= {"US_COALITION"}
STATUSES = {"asserted", "claimed", "disputed", "negated", "hedged"}


def read(gaz, text):
    return [
        (e.kind.value, e.place.id, e.actor, e.controller_after, e.date.isoformat(), e.partial)
        for e in extract_events(Article("t", text, DAY), gaz)
        if e.kind not in (EventKind.ATTACKED, EventKind.ADVANCED_TO)
    ]


FRAMES = [
    # verb frames, active and passive, previous holder, coordination
    (
        "The army retook the town of Qaryatayn from IS on Sunday.",
        ("recaptured", "sy-qaryatayn", "GOV_SY", "GOV_SY", "2017-02-26", False),
    ),
    (
        "Palmyra was recaptured by Syrian government forces on Sunday.",
        ("recaptured", "sy-palmyra", "GOV_SY", "GOV_SY", "2017-02-26", False),
    ),
    (
        "Iraqi troops drove the jihadists out of Hamam al-Alil on Monday.",
        ("captured", "iq-hamam-al-alil", "GOV_IQ", "GOV_IQ", "2017-02-27", False),
    ),
    (
        "Kurdish fighters captured the towns of Ain Issa and Suluk.",
        ("captured", "sy-suluk", "SDF", "SDF", "2017-03-02", False),
    ),
    (
        "IS lost Manbij to the SDF in August 2016.",
        ("lost", "sy-manbij", "ISIS", "SDF", "2016-08-01", False),
    ),
    (
        "Rebels withdrew from Khan Sheikhoun.",
        ("withdrew", "sy-khan-shaykhun", "REBELS", None, "2017-03-02", False),
    ),
    # the dual ending -ayn written -een (a spelling family of the gazetteer)
    (
        "The army retook the town of Qaryateen from IS on Sunday.",
        ("recaptured", "sy-qaryatayn", "GOV_SY", "GOV_SY", "2017-02-26", False),
    ),
    # noun frames
    (
        "The fall of Ramadi to IS on May 17 was a blow.",
        ("captured", "iq-ramadi", "ISIS", "ISIS", "2016-05-17", False),
    ),
    # static control
    (
        "Rebels shelled the government-held town of Nubl.",
        ("held_by", "sy-nubl", "GOV_SY", "GOV_SY", "2017-03-02", False),
    ),
    (
        "Mosul remains under IS control.",
        ("held_by", "iq-mosul", "ISIS", "ISIS", "2017-03-02", False),
    ),
    (
        "Raqqa, the jihadists' de facto capital, is quiet.",
        ("held_by", "sy-raqqa", "ISIS", "ISIS", "2017-03-02", False),
    ),
    # partial control: the kind as stated, marked partial, no new controller
    (
        "The SDF controls 60 percent of Raqqa.",
        ("held_by", "sy-raqqa", "SDF", None, "2017-03-02", True),
    ),
    # sieges and defence
    (
        "IS laid siege to Deir Ezzor in 2015.",
        ("besieged", "sy-deir-ez-zor", "ISIS", None, "2015-01-01", False),
    ),
    (
        "The army broke the siege of Deir Ezzor on Tuesday.",
        ("siege_broken", "sy-deir-ez-zor", "GOV_SY", "GOV_SY", "2017-02-28", False),
    ),
    (
        "Iraqi forces repelled an IS attack on Haditha.",
        ("repelled", "iq-haditha", "GOV_IQ", "GOV_IQ", "2017-03-02", False),
    ),
    # reported speech: "had seized" is the reporter's past, dated by the dispatch
    (
        "The Observatory said IS had seized Madan.",
        ("captured", "sy-madan", "ISIS", "ISIS", "2017-03-02", False),
    ),
    # a relative clause hung on "south of Mosul" is about Qayyarah
    (
        "Qayyarah, south of Mosul, which troops retook last August, is quiet.",
        ("recaptured", "iq-qayyarah", "GOV_IQ", "GOV_IQ", "2016-08-01", False),
    ),
    # a side named as backed by Turkey is the Turkish-backed factions, in every position
    (
        "Turkish-backed Syrian rebel forces entered Afrin on Sunday.",
        ("entered", "sy-afrin", "TFSA", None, "2017-02-26", False),
    ),
    (
        "Rebel forces backed by Turkey seized the town of Dabiq.",
        ("captured", "sy-dabiq", "TFSA", "TFSA", "2017-03-02", False),
    ),
    (
        "The Free Syrian Army, which is supported by the Turkish army, captured Jarabulus.",
        ("captured", "sy-jarabulus", "TFSA", "TFSA", "2017-03-02", False),
    ),
    # two captures of one place by two sides in one sentence are two events
    (
        "IS re-took the town of Ain Issa, which had been seized by Kurdish fighters in June.",
        ("captured", "sy-ain-issa", "SDF", "SDF", "2016-06-01", False),
    ),
    # a failed attempt to take a place: repelled, by the side it was to be taken from, the
    # side that beat it back, or the side the sentence says held it
    (
        "IS failed to retake Jarabulus from the Turkish-backed rebels on Sunday.",
        ("repelled", "sy-jarabulus", "TFSA", "TFSA", "2017-02-26", False),
    ),
    (
        "The jihadists attempted to capture Tal Rifaat; however, they were repelled by the YPG.",
        ("repelled", "sy-tal-rifaat", "SDF", "SDF", "2017-03-02", False),
    ),
    (
        "IS has tried to capture the government-held districts of Deir Ezzor without success.",
        ("repelled", "sy-deir-ez-zor", "GOV_SY", "GOV_SY", "2017-03-02", False),
    ),
    # "were able to control X": a taking; a side announcing an agentless taking made it
    (
        "The YPG were able to control the villages of Suluk and Ain Issa.",
        ("captured", "sy-suluk", "SDF", "SDF", "2017-03-02", False),
    ),
    (
        "The Syrian army announced that Palmyra has been fully recaptured from IS.",
        ("recaptured", "sy-palmyra", "GOV_SY", "GOV_SY", "2017-03-02", False),
    ),
    # "one of X's strongholds", a side named by a common noun ("the opposition's")
    (
        "Eastern Aleppo, one of the Syrian opposition's last strongholds, is on the cusp of "
        "falling.",
        ("held_by", "sy-eastern-aleppo", "REBELS", "REBELS", "2017-03-02", False),
    ),
    # ground taken without a name, in a sentence on a province: part of the province
    (
        "Battles raged in Raqqa province, with IS fighters retaking areas from government "
        "forces on Tuesday.",
        ("recaptured", "sy-raqqa-province", "ISIS", None, "2017-02-28", True),
    ),
    # a finite relative clause is a fact of its own, even under a plan; a causative
    (
        "The army is seeking to reach Deir Ezzor, where jihadists have besieged government "
        "forces since 2015.",
        ("besieged", "sy-deir-ez-zor", "ISIS", None, "2015-01-01", False),
    ),
    (
        "IS, which controls most of the province, has kept Deir Ezzor under siege since 2014.",
        ("besieged", "sy-deir-ez-zor", "ISIS", None, "2014-01-01", False),
    ),
    # "their stronghold" under an attack by another side is not the attacker's
    (
        "IS is facing an offensive by Iraqi government forces on their stronghold of Fallujah.",
        ("held_by", "iq-fallujah", "ISIS", "ISIS", "2017-03-02", False),
    ),
    # a noun frame with no side of its own takes the side of its clause
    (
        "The Syrian army managed to retake the initiative, resulting in the recapture of Palmyra.",
        ("recaptured", "sy-palmyra", "GOV_SY", "GOV_SY", "2017-03-02", False),
    ),
    (
        "The SDF announced the recapture of Raqqa on Tuesday.",
        ("recaptured", "sy-raqqa", "SDF", "SDF", "2017-02-28", False),
    ),
    # a withdrawal noun reaches its place through "from"
    (
        "The battle ended in the terrorist group's withdrawal from Palmyra.",
        ("withdrew", "sy-palmyra", "ISIS", None, "2017-03-02", False),
    ),
    # strongholds as compounds and in coordinated appositions; "their" stronghold that
    # another side campaigns to take is not the campaigner's
    (
        "Deir al-Zor is located southeast of Islamic State's stronghold Raqqa.",
        ("held_by", "sy-raqqa", "ISIS", "ISIS", "2017-03-02", False),
    ),
    (
        "Abadi vowed that Mosul, Iraq's second largest city and Daesh's last urban stronghold "
        "in the country, will be recaptured.",
        ("held_by", "iq-mosul", "ISIS", "ISIS", "2017-03-02", False),
    ),
    (
        "Islamic State militants on Sunday seized parts of a strategic western town in Iraq in "
        "an apparent response to an ongoing government campaign to recapture their main Iraqi "
        "stronghold, the northern city of Mosul.",
        ("held_by", "iq-mosul", "ISIS", "ISIS", "2017-03-02", False),
    ),
    # misparses the reader repairs: "X supported by Y captured Z" (an object: active),
    # "a day after the Nusra Front seized it" (the side hung on "after" is the subject)
    (
        "Syrian rebels supported by Turkish warplanes and artillery captured Dabiq in October "
        "2016.",
        ("captured", "sy-dabiq", "TFSA", "TFSA", "2016-10-01", False),
    ),
    (
        "Syrian fighter jets bombarded Jisr al-Shughour on Sunday, a day after the Nusra Front "
        "and its allies seized it for the first time.",
        ("captured", "sy-jisr-al-shughur", "REBELS", "REBELS", "2017-03-02", False),
    ),
    # "captured several building blocks inside X" ("inside X" under the verb): part of X
    (
        "The army captured several building blocks inside Jobar on Tuesday.",
        ("captured", "sy-jobar", "GOV_SY", None, "2017-02-28", True),
    ),
    # a name the parser hangs on "north" ("taking Abu Ilaj north of Raqa") is the place
    (
        "After taking Abu Ilaj north of Raqa, SDF fighters dug trenches at the entrance to "
        "the village.",
        ("captured", "sy-abu-ilaj", "SDF", "SDF", "2017-03-02", False),
    ),
    # "the group" as a subject after another side: that side
    (
        "The YPG now controls the border after the group captured the city of Tal Abyad.",
        ("captured", "sy-tal-abyad", "SDF", "SDF", "2017-03-02", False),
    ),
    # a name right after the verb that the parser made its subject is its object
    (
        "This comes weeks after the Syrian Democratic Forces, backed by the United States-led "
        "coalition, recaptured Raqqa from the Islamic State after an offensive.",
        ("recaptured", "sy-raqqa", "SDF", "SDF", "2017-03-02", False),
    ),
    # "arrived inside X": entered (not "arrived near X")
    (
        "Syrian troops on Tuesday arrived inside the town of Qaryatayn.",
        ("entered", "sy-qaryatayn", "GOV_SY", None, "2017-02-28", False),
    ),
    # "pushed deeper into X": inside it, part of it held
    (
        "Iraqi special forces pushed deeper into Mosul on Friday.",
        ("entered", "iq-mosul", "GOV_IQ", None, "2017-02-24", True),
    ),
    # "most of": the holder of most of it, but fought over
    (
        "IS controls most of Deir Ezzor province.",
        ("held_by", "sy-deir-ez-zor-province", "ISIS", "ISIS", "2017-03-02", True),
    ),
    # partial control in the verb's words: adverbs, "partial"/"nearly total" control
    (
        "Rebels have largely captured the town of al-Bab.",
        ("captured", "sy-al-bab", "REBELS", None, "2017-03-02", True),
    ),
    (
        "The militants gained partial control of Ramadi on Sunday.",
        ("captured", "iq-ramadi", "ISIS", None, "2017-02-26", True),
    ),
    (
        "Iraqi forces have taken nearly total control of Ramadi.",
        ("captured", "iq-ramadi", "GOV_IQ", None, "2017-03-02", True),
    ),
    (
        "Kurdish forces took near complete control of Afrin.",
        ("captured", "sy-afrin", "SDF", None, "2017-03-02", True),
    ),
    # ground gained in a place: part of it
    (
        "The army made significant gains in the eastern districts of Afrin.",
        ("captured", "sy-afrin", "GOV_SY", None, "2017-03-02", True),
    ),
    (
        "IS fighters gained a foothold in Ramadi overnight.",
        ("captured", "iq-ramadi", "ISIS", None, "2017-03-02", True),
    ),
    (
        "The army seized a number of points inside of Jobar on Monday.",
        ("captured", "sy-jobar", "GOV_SY", None, "2017-02-27", True),
    ),
    (
        "Turkish-backed rebels have seized three of Afrin's seven districts.",
        ("captured", "sy-afrin", "TFSA", None, "2017-03-02", True),
    ),
    # a held part of a city: the city, in part
    (
        "Thousands of civilians are trapped in the IS-held area in Raqqa city.",
        ("held_by", "sy-raqqa", "ISIS", None, "2017-03-02", True),
    ),
    (
        "Shells fell on regime-held west Aleppo on Monday.",
        ("held_by", "sy-aleppo", "GOV_SY", None, "2017-02-27", True),
    ),
    (
        "Air strikes hit IS-held territory in eastern areas of Hama province.",
        ("held_by", "sy-hama-province", "ISIS", None, "2017-03-02", True),
    ),
    # a stronghold whose name the parser hung on the verb
    (
        "The Islamic State group lost its last stronghold in Ramadi in December.",
        ("lost", "iq-ramadi", "ISIS", None, "2016-12-01", False),
    ),
    (
        "IS has lost its de facto Syrian capital Raqqa.",
        ("lost", "sy-raqqa", "ISIS", None, "2017-03-02", False),
    ),
    # "swept almost unopposed into X": the preposition under the manner word
    (
        "Turkish troops and Syrian rebels swept almost unopposed into Jarabulus.",
        ("entered", "sy-jarabulus", "TFSA", None, "2017-03-02", False),
    ),
    # a capital that stands for its government; a relative clause on what a name is
    (
        "Hawija is the last Iraqi city that Baghdad has lost to the jihadists.",
        ("lost", "iq-hawija", "GOV_IQ", "ISIS", "2017-03-02", False),
    ),
    (
        "Palmyra was one of the cities that fell to the Islamic State group in May last year.",
        ("captured", "sy-palmyra", "ISIS", "ISIS", "2016-05-01", False),
    ),
    # relative clauses the parser did not mark as relative
    (
        "Iraqi forces plan to retake Hawija which has been under IS control since 2014.",
        ("held_by", "iq-hawija", "ISIS", "ISIS", "2014-01-01", False),
    ),
    (
        "Rawah lies near the border town of Qaim that Iraqi forces retook from IS on Monday.",
        ("recaptured", "iq-al-qaim", "GOV_IQ", "GOV_IQ", "2017-02-27", False),
    ),
    # "where" for the place of a verb whose object is the side driven out
    (
        "The assault targeted Kobani, where Kurdish forces had driven out the extremists in "
        "January.",
        ("captured", "sy-kobani", "SDF", "SDF", "2017-01-01", False),
    ),
    # "under the control of the U.S. backed SDF": the side after the sponsor
    (
        "IS attacked the town of Shaddadi, which is under the control of the U.S. backed "
        "Syrian Democratic Forces.",
        ("held_by", "sy-shaddadi", "SDF", "SDF", "2017-03-02", False),
    ),
    # a verb with no place of its own takes the place of the clause it is tied to
    (
        "The SDF has captured half of Raqqa since it entered in June.",
        ("entered", "sy-raqqa", "SDF", None, "2016-06-01", False),
    ),
    (
        "IS fighters were driven out in March 2016 but recaptured Palmyra last December.",
        ("lost", "sy-palmyra", "ISIS", None, "2016-03-01", False),
    ),
    (
        "It was the first time the army had entered Raqqa province since they were ousted by "
        "IS fighters in August 2014.",
        ("captured", "sy-raqqa-province", "ISIS", "ISIS", "2014-08-01", False),
    ),
    # "it" is not a place named only to measure a distance from
    (
        "Troops advanced to within 6 miles of the Tabqa air base, which is about 28 miles from "
        "Raqqa. It was the last position held by the army before IS overran it in August 2014.",
        ("captured", "sy-tabqa-airbase", "ISIS", "ISIS", "2014-08-01", False),
    ),
    # a defence, also when sent to defend: the defender holds the place
    (
        "IS sent reinforcements from Raqqa to defend the town of Tabqa.",
        ("held_by", "sy-tabqa", "ISIS", "ISIS", "2017-03-02", False),
    ),
    # "holed up in neighborhoods" of the city the article is at: part of it held
    (
        "Iraqi forces entered Fallujah last week. Clashes went on, with militants holed up in "
        "dense neighborhoods along the city's northern edge.",
        ("held_by", "iq-fallujah", "ISIS", None, "2017-03-02", True),
    ),
    # a copula whose subject the parser missed; "the IS stronghold" of the article's city
    (
        "Raqqa city, further east, is the de facto capital of IS in Syria.",
        ("held_by", "sy-raqqa", "ISIS", "ISIS", "2017-03-02", False),
    ),
    (
        "The battle for the Libyan city of Sirte goes on, with pro-government forces "
        "besieging the IS stronghold.",
        ("besieged", "ly-sirte", "GNA_LY", None, "2017-03-02", False),
    ),
    # "the city" in a sentence that names a district of it; a subject parsed as an object
    (
        "Eastern Aleppo is on the cusp of falling, with Moscow claiming 93% of the Syrian city "
        "is now in regime hands.",
        ("held_by", "sy-aleppo", "GOV_SY", None, "2017-03-02", True),
    ),
    # an article's focus fades: a paragraph on Fallujah after many mentions of Raqqa; the
    # speakers ("Iraqi commanders") are the side "their" stands for
    (
        "IS holds Raqqa. IS holds Raqqa. Raqqa is under siege. The SDF is near Raqqa. Iraqi "
        "forces entered Fallujah on Monday. Clashes went on in Fallujah on Tuesday. Iraqi "
        "commanders say 80 percent of the city is under their control.",
        ("held_by", "iq-fallujah", "GOV_IQ", None, "2017-03-02", True),
    ),
    # pushed back from a place: the attack on it repelled
    (
        "IS has managed to push regime forces back 30 kilometers from the western outskirts of "
        "Palmyra.",
        ("repelled", "sy-palmyra", "ISIS", "ISIS", "2017-03-02", False),
    ),
    # a side that forces another to withdraw takes the place
    (
        "IS forced the Syrian army to withdraw from Palmyra on Sunday.",
        ("captured", "sy-palmyra", "ISIS", "ISIS", "2017-02-26", False),
    ),
    # "the province of the same name", "most of which" after a misparse
    (
        "Idlib lies in the northwestern province of the same name, most of which is controlled "
        "by the rebels.",
        ("held_by", "sy-idlib-province", "REBELS", "REBELS", "2017-03-02", True),
    ),
    # "the X area of Y province" is X; an advance sets out from ground held
    (
        "The Syrian army was advancing from the Athriya area of eastern Hama province.",
        ("held_by", "sy-athriya", "GOV_SY", "GOV_SY", "2017-03-02", False),
    ),
    # "we" in a quote is the speaker's side
    (
        '"We captured the city center of al-Bab yesterday," said Abu Bakr, who heads the Hamza '
        "Division.",
        ("captured", "sy-al-bab", "TFSA", None, "2017-03-01", True),
    ),
    # a side hung on "In" right before its verb; "controlled" as an adjective, no hyphen
    (
        "In neighbouring Syria ISIS still holds Palmyra but is losing ground.",
        ("held_by", "sy-palmyra", "ISIS", "ISIS", "2017-03-02", False),
    ),
    (
        "Rebels fired mortars at the government controlled town of Jarabulus on Monday.",
        ("held_by", "sy-jarabulus", "GOV_SY", "GOV_SY", "2017-03-02", False),
    ),
    # a clause at the same time as the one it hangs on borrows its place
    (
        "The rebels captured Ariha on Thursday night as the Syrian military pulled back.",
        ("withdrew", "sy-ariha", "GOV_SY", None, "2017-03-02", False),
    ),
    # failed attempts named by "the latter" or "by X"; where an attempt or attacker aims
    (
        "IS launched a counter-attack against the Turkish army on Monday, following the "
        "latter's failed attempt to capture Qabasin.",
        ("repelled", "sy-qabasin", "ISIS", "ISIS", "2017-02-27", False),
    ),
    (
        "Clashes broke out between the rebels and the regime forces after a failed attempt by "
        "the latter to storm the town of Jarabulus on Monday.",
        ("repelled", "sy-jarabulus", "REBELS", "REBELS", "2017-02-27", False),
    ),
    (
        "The army beat back the IS terrorists that were attempting to advance on the Tabqa air "
        "base.",
        ("repelled", "sy-tabqa-airbase", "GOV_SY", "GOV_SY", "2017-03-02", False),
    ),
    (
        "The YPG repelled their attempt to hit the Kurdish district of Sheikh Maqsoud.",
        ("repelled", "sy-sheikh-maqsoud", "SDF", None, "2017-03-02", True),
    ),
    # "the alliance of Islamist groups" is the groups, not the SDF's alliance
    (
        "The alliance of Islamist groups seized control of Ariha on Thursday.",
        ("captured", "sy-ariha", "REBELS", "REBELS", "2017-03-02", False),
    ),
    # a siege whose side is named existed, whatever is said of breaking it
    (
        "Government forces killed dozens of rebels who tried to break an army siege of the "
        "city of Homs.",
        ("besieged", "sy-homs", "GOV_SY", None, "2017-03-02", False),
    ),
    (
        "The army managed to break the siege of Deir ez-Zor by the Islamic State on Friday.",
        ("besieged", "sy-deir-ez-zor", "ISIS", None, "2017-02-24", False),
    ),
    # a participle of what happened, under a verb that would otherwise make a plan
    (
        "Rebels advanced deep into Deir ez-Zor province, capturing the Tabqa air base on Monday.",
        ("captured", "sy-tabqa-airbase", "REBELS", "REBELS", "2017-02-27", False),
    ),
    # a passive whose participle the tagger made a noun after "was"; "Daash" is IS
    (
        "Known as the Pearl of the Desert, Palmyra was overrun by IS in May 2015.",
        ("captured", "sy-palmyra", "ISIS", "ISIS", "2015-05-01", False),
    ),
    (
        '"Palmyra fell to Daash after they pulled out today," an official told reporters.',
        ("captured", "sy-palmyra", "ISIS", "ISIS", "2017-03-02", False),
    ),
    # a denial of reports disputes what they say
    (
        "The Syrian army repudiated reports that IS has taken over the town of Sukhnah.",
        ("claimed_disputed", "sy-sukhnah", "ISIS", None, "2017-03-02", False),
    ),
    # "large swathes of territory" name no place: part of the province in focus
    (
        "IS attacked in the east of Raqqa province on Thursday. The monitor said the jihadist "
        "group had recaptured large swathes of territory from government forces.",
        ("recaptured", "sy-raqqa-province", "ISIS", None, "2017-03-02", True),
    ),
    # "left X": a withdrawal; a side described by a participle is still the subject
    (
        "The Kurdish fighters left Afrin on Sunday.",
        ("withdrew", "sy-afrin", "SDF", None, "2017-02-26", False),
    ),
    (
        "Jets bombed Raqqa, a day after the al-Qaida affiliated Nusra Front seized it.",
        ("captured", "sy-raqqa", "REBELS", "REBELS", "2017-03-02", False),
    ),
    # "including" hung deep in the verb's arguments; the last name of a list hung on the verb
    (
        "The rebels pulled out of several towns north of Hama, including Kafr Zita and Morek, "
        "on Sunday.",
        ("withdrew", "sy-morek", "REBELS", None, "2017-02-26", False),
    ),
    (
        "Syrian troops also took control of Khanasser, Um Miyal, and Sfireh after the rebels "
        "abandoned their positions.",
        ("captured", "sy-safira", "GOV_SY", "GOV_SY", "2017-03-02", False),
    ),
    # "on" the edge of a place is in it; territory taken "in" a city is part of it
    (
        "IS fighters briefly seized an area on the eastern outskirts of Kobani on Sunday.",
        ("captured", "sy-kobani", "ISIS", None, "2017-02-26", True),
    ),
    (
        "The army recaptured territory in the city of Aleppo on Sunday.",
        ("recaptured", "sy-aleppo", "GOV_SY", None, "2017-02-26", True),
    ),
    # "it" is the side inside the subject's phrase; "they" the subject named before
    (
        "The leadership of the Peshmerga forces announced that it was able to seize large "
        "areas of Sinjar district.",
        ("captured", "iq-sinjar", "KRG", None, "2017-03-02", True),
    ),
    (
        "A YPG spokesman said IS fighters were repelled after they seized positions on the edge "
        "of Kobani.",
        ("captured", "sy-kobani", "ISIS", None, "2017-03-02", True),
    ),
    # "The Army of Conquest" is the rebel alliance, not "the army"
    (
        "The Army of Conquest seized Ariha on Sunday.",
        ("captured", "sy-ariha", "REBELS", "REBELS", "2017-02-26", False),
    ),
    # a withdrawal that names no place is from the place its clause says was taken
    (
        "IS fighters took control of the Mosul Dam on Sunday after the withdrawal of Kurdish "
        "forces.",
        ("withdrew", "iq-mosul-dam", "KRG", None, "2017-02-26", False),
    ),
    (
        "Palmyra fell to IS on Sunday after the army made a hasty withdrawal.",
        ("withdrew", "sy-palmyra", "GOV_SY", None, "2017-02-26", False),
    ),
    # a repelled side whose subject is the clause's; where its attack was aimed
    (
        "IS launched an offensive against the city of Haditha on Sunday but was repelled by "
        "Iraqi forces.",
        ("repelled", "iq-haditha", "GOV_IQ", "GOV_IQ", "2017-02-26", False),
    ),
    (
        "Just hours after being repelled by the Syrian army in Eastern Ghouta, the rebels "
        "launched a new attack on Jobar.",
        ("repelled", "sy-eastern-ghouta", "GOV_SY", "GOV_SY", "2017-03-02", False),
    ),
    # what came before the present did happen
    (
        "The Syrian army is pushing east after capturing Maskanah on Sunday.",
        ("captured", "sy-maskanah", "GOV_SY", "GOV_SY", "2017-02-26", False),
    ),
    # "Iraq's second largest city" is the city named before
    (
        "IS swept into Mosul on Sunday, taking Iraq's second largest city.",
        ("captured", "iq-mosul", "ISIS", "ISIS", "2017-02-26", False),
    ),
    # a side forced to leave its own positions in a place withdrew from part of it
    (
        "IS fighters were forced to leave their positions in central Baiji on Sunday.",
        ("withdrew", "iq-baiji", "ISIS", None, "2017-02-26", True),
    ),
    # sides by reference: a country's "its forces"; an object pronoun is not its verb's
    # subject; a side named beside a pronoun; an Islamist rebel coalition is no US coalition
    (
        "Iraq announced on Sunday that its forces had recaptured the town of Rutba.",
        ("recaptured", "iq-rutba", "GOV_IQ", "GOV_IQ", "2017-03-02", False),
    ),
    (
        "The loss of Palmyra to the Syrian army is a setback for IS extremists, after the Iraqi "
        "army drove them out of Ramadi on Sunday.",
        ("captured", "iq-ramadi", "GOV_IQ", "GOV_IQ", "2017-02-26", False),
    ),
    (
        "Turkish-backed rebels took back the town of Dabiq on Sunday from its Islamic State "
        "occupiers.",
        ("recaptured", "sy-dabiq", "TFSA", "TFSA", "2017-02-26", False),
    ),
    (
        "An Islamist rebel coalition ousted government forces from Idlib province on Sunday.",
        ("captured", "sy-idlib-province", "REBELS", "REBELS", "2017-02-26", False),
    ),
    # state media's "restored security to X"; a leader stands for his government
    (
        "Syrian State TV announced that the army had restored security and peace to Al-Qusayr "
        "on Sunday.",
        ("captured", "sy-qusayr", "GOV_SY", "GOV_SY", "2017-02-26", False),
    ),
    (
        "A monitor said Syrian President Bashar al-Assad took control of Aleppo city on Sunday.",
        ("captured", "sy-aleppo", "GOV_SY", "GOV_SY", "2017-02-26", False),
    ),
    # a gerund subject said by a side's voice; where a withdrawing side was; a passive loss
    # whose loser is the side that withdrew
    (
        "“Seizing control of Mount Hilal overlooking Palmyra is an important step,” state news "
        "agency SANA reported on Sunday.",
        ("captured", "sy-mount-hilal", "GOV_SY", "GOV_SY", "2017-02-26", False),
    ),
    (
        "The majority of the Islamic State contingent in Palmyra had withdrawn on Sunday, the "
        "Observatory said.",
        ("withdrew", "sy-palmyra", "ISIS", None, "2017-02-26", False),
    ),
    (
        "The governor admitted that Palmyra was lost to IS on Sunday after the regime's forces "
        "withdrew.",
        ("lost", "sy-palmyra", "GOV_SY", "ISIS", "2017-02-26", False),
    ),
    # a flag waved or raised in a place; a name the parser hung on the date after it
    (
        "A member loyal to the Islamic State in Iraq and Syria (ISIS) waves an ISIS flag in "
        "Raqqa June 29, 2014.",
        ("held_by", "sy-raqqa", "ISIS", "ISIS", "2014-06-29", False),
    ),
    # what "the last position held by X in P" describes is the place, not P
    (
        "The Tabqa air base is the last position held by government forces in Raqqa province.",
        ("held_by", "sy-tabqa-airbase", "GOV_SY", "GOV_SY", "2017-03-02", False),
    ),
    # "broke through a siege of X"; "holed up inside X under siege from IS"; whose control
    (
        "Syrian government forces have broken through a siege of the city of Deir al-Zour on "
        "Sunday.",
        ("siege_broken", "sy-deir-ez-zor", "GOV_SY", "GOV_SY", "2017-02-26", False),
    ),
    (
        "Syrian government forces were holed up inside the Kuwairis base under siege from "
        "Islamic State.",
        ("besieged", "sy-kuweires-airbase", "ISIS", None, "2017-03-02", False),
    ),
    (
        "The operations extended Turkish control over the northwest Syrian enclave of Afrin.",
        ("captured", "sy-afrin", "TFSA", "TFSA", "2017-03-02", False),
    ),
    (
        "The Syrian military has completed its operation to liberate the city of Palmyra from "
        "militants on Sunday.",
        ("captured", "sy-palmyra", "GOV_SY", "GOV_SY", "2017-02-26", False),
    ),
    # an object relative clause with no "which" on parts of a place; a withdrawal under
    # "after being forced to" borrows the place of the clause it is tied to
    (
        "The Syrian Army raided neighborhoods it controls in the western city of Deir ez-Zor on "
        "Sunday.",
        ("held_by", "sy-deir-ez-zor", "GOV_SY", None, "2017-02-26", True),
    ),
    (
        "The Syrian army has entered the Yarmouk camp after being forced to withdraw earlier "
        "this year.",
        ("withdrew", "sy-yarmouk-camp", "GOV_SY", None, "2017-01-01", False),
    ),
    # the place an expelled side defended; a side driven out "by being driven"; of two side
    # words on "control" the one next to it; "this aforementioned village"
    (
        "Government troops expelled IS fighters defending the town of Tabqa on Sunday.",
        ("captured", "sy-tabqa", "GOV_SY", "GOV_SY", "2017-02-26", False),
    ),
    (
        "Rebels suffered their biggest defeat of the war by being driven from eastern Aleppo.",
        ("lost", "sy-eastern-aleppo", "REBELS", None, "2017-03-02", False),
    ),
    (
        "The army attacked the key district of Al-Ramouseh that is under jihadist rebel control.",
        ("held_by", "sy-ramouseh", "REBELS", None, "2017-03-02", True),
    ),
    (
        "Fighting raged in the town of Maskanah on Sunday. The aforementioned town was "
        "captured by the Syrian army on Monday.",
        ("captured", "sy-maskanah", "GOV_SY", "GOV_SY", "2017-02-27", False),
    ),
    # a held adjective as a predicate; a relative clause agrees in number with its noun
    (
        "The town of Manbij, which is SDF-held, was shelled on Sunday.",
        ("held_by", "sy-manbij", "SDF", "SDF", "2017-03-02", False),
    ),
    (
        "ISIS exclusively targeted the southern districts of Al-Hasakah, which were "
        "government-controlled; consequently, the Kurdish YPG initially stayed out of the "
        "conflict.",
        ("held_by", "sy-hasakah", "GOV_SY", None, "2017-03-02", True),
    ),
    # an event with no date of its own takes the time of the clause it follows
    (
        "The governor admitted that Palmyra was lost to IS after the regime's forces "
        "completely withdrew over the weekend.",
        ("lost", "sy-palmyra", "GOV_SY", "ISIS", "2017-02-25", False),
    ),
    # a passive's subject next to the verb; "Kurdish and Arab rebels" are the Kurds'; the
    # coalition of Arab and Kurdish fighters, not the US-led one
    (
        "Another town on the Turkish border, Tal Abyad was captured by Kurdish and Arab rebels "
        "in June 2015.",
        ("captured", "sy-tal-abyad", "SDF", "SDF", "2015-06-01", False),
    ),
    (
        "On Aug 6, a coalition of Arab and Kurdish fighters backed by US air strikes recaptured "
        "Manbij following a two-month battle.",
        ("recaptured", "sy-manbij", "SDF", "SDF", "2016-08-06", False),
    ),
    # Shiite militias fight for the government of the country they are in
    (
        "Shi'ite militias entered the town of Khanaser on Sunday.",
        ("entered", "sy-khanasir", "GOV_SY", None, "2017-02-26", False),
    ),
    # Ankara stands for Turkey in a sponsor's name
    (
        "Twin bombs hit Afrin, a town held by Ankara-backed rebels, on Sunday.",
        ("held_by", "sy-afrin", "TFSA", "TFSA", "2017-03-02", False),
    ),
    # a placeless withdrawal right before a taking is from the place taken
    (
        "Turkish-backed rebels took control of Afrin on Sunday after Kurdish forces pulled out.",
        ("withdrew", "sy-afrin", "SDF", None, "2017-02-26", False),
    ),
    # "the Sakhur district" is the whole district; "northeast Aleppo" a side of the city
    (
        "On Monday, government forces seized the Sakhur, Haydariya and Sheikh Khodr districts.",
        ("captured", "sy-sakhour", "GOV_SY", "GOV_SY", "2017-02-27", False),
    ),
    (
        "The advances left all of northeast Aleppo under government control.",
        ("held_by", "sy-aleppo", "GOV_SY", None, "2017-03-02", True),
    ),
    # "the Old City of Raqqa" is part of Raqqa
    (
        "Syrian Democratic Forces (SDF) have taken the Old City of Raqqa from ISIS on Sunday.",
        ("captured", "sy-raqqa", "SDF", None, "2017-02-26", True),
    ),
    # a quantifier on a name already resolved: part of it
    (
        "Fighting raged in Deir ez-Zor city on Sunday. IS still controls much of the province, "
        "including half the city.",
        ("held_by", "sy-deir-ez-zor", "ISIS", None, "2017-03-02", True),
    ),
    # a quote that opens a paragraph and runs to a dash is no dateline
    (
        "“Raqqa is besieged by government troops from the west – the south is open,” a "
        "reporter said.",
        ("besieged", "sy-raqqa", "GOV_SY", None, "2017-03-02", False),
    ),
    # a participle with a "by" agent that the parser reads as a past with a subject
    (
        "The army broke through to soldiers surrounded for years by IS in an enclave in "
        "Deir ez-Zor.",
        ("besieged", "sy-deir-ez-zor", "ISIS", None, "2017-03-02", False),
    ),
    # police, paramilitaries and special forces of the place's country
    (
        "A force of Hawija police repelled an IS attack on the village of Gharib.",
        ("repelled", "gn-6837615", "GOV_IQ", "GOV_IQ", "2017-03-02", False),
    ),
    (
        "Paramilitary forces played a major role in dislodging IS from Tikrit last month.",
        ("captured", "iq-tikrit", "GOV_IQ", "GOV_IQ", "2017-02-01", False),
    ),
    (
        "Special forces pushed into the Zuhur district of Mosul on Wednesday.",
        ("entered", "iq-al-zuhour", "GOV_IQ", None, "2017-03-01", False),
    ),
    # "his forces" of a commander of a side
    (
        "The commander of Iraq's Counter Terrorism Service says his forces entered Bartella.",
        ("entered", "iq-bartella", "GOV_IQ", None, "2017-03-02", False),
    ),
    # "redeployed outside X": out of it; "the opposition" is the rebels
    (
        "State media said the army had redeployed outside Idlib to spare civilians.",
        ("withdrew", "sy-idlib", "GOV_SY", None, "2017-03-02", False),
    ),
    (
        "In December 2014, the opposition overran the Wadi Deif base.",
        ("captured", "sy-wadi-deif-base", "REBELS", "REBELS", "2014-12-01", False),
    ),
    # a side's control owned as a noun; a takeover "in" a place
    (
        "The Kurdish push challenges the Islamic State's hold on the town of Sinjar.",
        ("held_by", "iq-sinjar", "ISIS", "ISIS", "2017-03-02", False),
    ),
    (
        "The YPG takeover in Tal Abyad led to an exodus of residents.",
        ("captured", "sy-tal-abyad", "SDF", "SDF", "2017-03-02", False),
    ),
    # a conjoined verb with no subject of its own shares its head's place subject
    (
        "Ain Issa lies north of Raqqa, and fell to Kurdish forces on June 23.",
        ("captured", "sy-ain-issa", "SDF", "SDF", "2016-06-23", False),
    ),
    # a side's base, foothold, or what a place is regarded as
    (
        "The Kuweires air base, a major military base for Syrian regime troops east of "
        "Aleppo, is under IS siege.",
        ("held_by", "sy-kuweires-airbase", "GOV_SY", "GOV_SY", "2017-03-02", False),
    ),
    (
        "Fighting raged inside Tabqa air base, the Syrian army's last foothold in the province.",
        ("held_by", "sy-tabqa-airbase", "GOV_SY", "GOV_SY", "2017-03-02", False),
    ),
    (
        "Douma has long been regarded by the government as a rebel stronghold.",
        ("held_by", "sy-douma", "REBELS", "REBELS", "2017-03-02", False),
    ),
    (
        '"IS only gained a foothold in Tal Abyad," the spokesman said.',
        ("captured", "sy-tal-abyad", "ISIS", None, "2017-03-02", True),
    ),
    # a loss or fall that is a blow to a side: that side lost it
    (
        "The loss of Palmyra to the Syrian army is another setback for the jihadists.",
        ("lost", "sy-palmyra", "ISIS", "GOV_SY", "2017-03-02", False),
    ),
    (
        "The fall of Tal Abyad was a major blow for IS.",
        ("lost", "sy-tal-abyad", "ISIS", None, "2017-03-02", False),
    ),
    # "they" of officials a side word names
    (
        "Kurdish officials claimed on Thursday that they had lifted the siege of Sinjar.",
        ("siege_broken", "iq-sinjar", "KRG", "KRG", "2017-03-02", False),
    ),
    # a side's base "known as" a name
    (
        "Warplanes struck the vicinity of an army base known as Brigade 137 west of the city.",
        ("held_by", "sy-brigade-137", "GOV_SY", "GOV_SY", "2017-03-02", False),
    ),
    # "the Syrian Arab Army controlled X District": its side parsed as the subject
    (
        "IS launched an offensive on Friday, targeting the Syrian Arab Army controlled "
        "Al-Jorah District inside the provincial capital.",
        ("held_by", "sy-jorah", "GOV_SY", "GOV_SY", "2017-03-02", False),
    ),
    # "expelled all IS fighters defending the village", the participle parsed as a clause
    (
        "Government troops stormed Tadef and quickly expelled all ISIS fighters defending "
        "the town.",
        ("captured", "sy-tadef", "GOV_SY", "GOV_SY", "2017-03-02", False),
    ),
    # of two subjects the parser gives a verb, the one that names a side
    (
        "After repelling all assaults launched by IS on their positions in Tadef, the elite "
        "Tiger Forces continued their advance.",
        ("repelled", "sy-tadef", "GOV_SY", None, "2017-03-02", True),
    ),
    # the place as a noun frame's possessor
    (
        "The army reported that 30 terrorists were killed during Tadef's liberation.",
        ("captured", "sy-tadef", "GOV_SY", "GOV_SY", "2017-03-02", False),
    ),
    # 'the U.S. backed "SDF"', the name in quotes after the sponsor
    (
        'IS attacked Tal Abyad, which is under the control of the U.S. backed "Syrian '
        'Democratic Forces".',
        ("held_by", "sy-tal-abyad", "SDF", "SDF", "2017-03-02", False),
    ),
    # a relative clause hung on an attack is about the name right before it
    (
        "The army began its assault at the Shaer gas field that is under the control of IS.",
        ("held_by", "sy-shaer-gasfield", "ISIS", "ISIS", "2017-03-02", False),
    ),
    # "areas known as X"
    (
        "Rebels said their fighters captured two villages known as Tal Shihab and Zaizoun.",
        ("captured", "gn-163454", "REBELS", "REBELS", "2017-03-02", False),
    ),
    # "launched an attack in X to recover the territory they lost to Y": part of X lost
    (
        "The rebels launched a counter-offensive in the Turkmen Mountains to recapture the "
        "territory they lost to the Syrian army last week.",
        ("lost", "sy-jabal-al-turkman", "REBELS", None, "2017-02-23", True),
    ),
    # names before "governorates" are the provinces, not their cities
    (
        "HTS has since January controlled nearby parts of Hama, Aleppo and Latakia governorates.",
        ("held_by", "sy-hama-province", "REBELS", None, "2017-01-01", True),
    ),
    # a side word on armed or security forces says whose they are
    (
        "Kurdish armed forces have retaken control of the town of Zumar.",
        ("recaptured", "iq-zummar", "KRG", "KRG", "2017-03-02", False),
    ),
    (
        "Iraqi armed forces liberated Tikrit in October.",
        ("captured", "iq-tikrit", "GOV_IQ", "GOV_IQ", "2016-10-01", False),
    ),
    # a city's countryside is part of its province
    (
        "NSO said IS withdrew from Raqqa northern countryside weeks ago.",
        ("withdrew", "sy-raqqa-province", "ISIS", None, "2017-03-02", True),
    ),
    # "they" of a spokesman for a side is that side, not the side named the sentence before
    (
        "Kurdish YPG forces pulled out of Afrin on Sunday. A spokesman for the Turkish-backed "
        "rebels said they entered Afrin before dawn.",
        ("entered", "sy-afrin", "TFSA", None, "2017-03-02", False),
    ),
    # villages taken in a story on a city: part of the city's province
    (
        "The SDF pressed its offensive on Raqqa. A commander said the SDF had captured at "
        "least 10 villages.",
        ("captured", "sy-raqqa-province", "SDF", None, "2017-03-02", True),
    ),
    # a perfect with "since" is a holding since then, not a taking
    (
        "A spokesman for the rebel Farouq Battalions, which have occupied Qusayr since 2012, "
        "spoke.",
        ("held_by", "sy-qusayr", "REBELS", "REBELS", "2012-01-01", False),
    ),
    # a participle with its agent inside a plan is a fact of its own
    (
        "The offensive is intended to isolate Tal Rifaat, a town captured by Kurdish forces "
        "in February.",
        ("captured", "sy-tal-rifaat", "SDF", "SDF", "2017-02-01", False),
    ),
    # "regained ground in X": part of it
    (
        "Iraqi troops backed by helicopter gunships regained ground in the town of Baiji.",
        ("recaptured", "iq-baiji", "GOV_IQ", None, "2017-03-02", True),
    ),
    # what came before a plan happened; "they" of forces loyal to a government
    (
        "Forces loyal to Libya's government say they are close to retaking Sirte after "
        "capturing a key neighbourhood in the heart of the city.",
        ("captured", "ly-sirte", "GNA_LY", None, "2017-03-02", True),
    ),
    # "Mosul's east" is a side of the city
    (
        "Iraqi forces pushed on, seizing three districts in Mosul's east.",
        ("captured", "iq-mosul", "GOV_IQ", None, "2017-03-02", True),
    ),
    # a report's author is the side that claims it
    (
        "Tribal militias denied reports from ISIS that the town of Hit has been overrun.",
        ("claimed_disputed", "iq-hit", "ISIS", None, "2017-03-02", False),
    ),
    # session 9: sides
    (  # a side word switches with the article's generic words
        "The Nusra Front attacked on Monday. The army advanced in the jihadist bastion of "
        "Eastern Ghouta.",
        ("held_by", "sy-eastern-ghouta", "REBELS", "REBELS", "2017-03-02", False),
    ),
    (
        "Islamic State-led insurgents took control of the town of Hit.",
        ("captured", "iq-hit", "ISIS", "ISIS", "2017-03-02", False),
    ),
    (
        "Arab fighters led by Kurdish forces captured the town of Tal Abyad.",
        ("captured", "sy-tal-abyad", "SDF", "SDF", "2017-03-02", False),
    ),
    (
        "Libyan forces recaptured the port city of Sirte on Monday.",
        ("recaptured", "ly-sirte", "GNA_LY", "GNA_LY", "2017-02-27", False),
    ),
    (  # militias are the government's, the side of a noun frame a passive's subject
        "After a rapid advance into Sirte, the militias were slowed by suicide bombings.",
        ("entered", "ly-sirte", "GNA_LY", None, "2017-03-02", False),
    ),
    (  # a supporter's liberation is its partner's
        "The US-led coalition said a third of Fallujah has been cleared.",
        ("captured", "iq-fallujah", "GOV_IQ", None, "2017-03-02", True),
    ),
    (  # an official's nationality names the government
        "A senior Iraqi commander declared that the city of Fallujah was fully liberated from "
        "Islamic State militants on Sunday.",
        ("captured", "iq-fallujah", "GOV_IQ", "GOV_IQ", "2017-02-26", False),
    ),
    # session 9: sieges the story told of
    (
        "IS has besieged Deir ez-Zor since 2015. Food reached the soldiers who have been "
        "besieged inside the city on Thursday.",
        ("besieged", "sy-deir-ez-zor", "ISIS", None, "2017-03-02", False),
    ),
    (
        "IS has besieged Deir ez-Zor since 2015. Trucks arrived inside the besieged city on "
        "Thursday.",
        ("besieged", "sy-deir-ez-zor", "ISIS", None, "2017-03-02", False),
    ),
    (
        "As the Iraqi military offensive to retake Fallujah went on, troops fought to dislodge "
        "militants from besieged neighborhoods.",
        ("besieged", "iq-fallujah", "GOV_IQ", None, "2017-03-02", True),
    ),
    # session 9: parts, strongholds, losses
    (
        "Ramadi, which is largely under Islamic State control, was shelled.",
        ("held_by", "iq-ramadi", "ISIS", None, "2017-03-02", True),
    ),
    (
        "Iraqi commandos regained the al-Najjar district in the north of an IS stronghold in "
        "Mosul.",
        ("held_by", "iq-mosul", "ISIS", None, "2017-03-02", True),
    ),
    (
        "Zabadani, the rebels' last stronghold in Qalamoun, fell on Sunday.",
        ("lost", "sy-zabadani", "REBELS", None, "2017-02-26", False),
    ),
    (
        "Zabadani, the rebels' last stronghold in Qalamoun, fell on Sunday.",
        ("held_by", "sy-zabadani", "REBELS", "REBELS", "2017-02-26", False),
    ),
    (
        "Al-Bab was IS's last stronghold in Aleppo province. The group still controls a handful "
        "of villages in the province.",
        ("held_by", "sy-aleppo-province", "ISIS", None, "2017-03-02", True),
    ),
    # session 9: more wordings of taking and entering
    (
        "Hundreds of Kurdish militiamen streamed into Sinjar on Friday.",
        ("entered", "iq-sinjar", "KRG", None, "2017-02-24", False),
    ),
    (
        "Iraq's prime minister Haider al-Abadi declared victory in Fallujah on Sunday.",
        ("captured", "iq-fallujah", "GOV_IQ", "GOV_IQ", "2017-02-26", False),
    ),
    (
        "Raqqa was the first provincial capital to fall to the rebels.",
        ("captured", "sy-raqqa", "REBELS", "REBELS", "2017-03-02", False),
    ),
    (
        "Tal Abyad is the largest town the Kurds have seized from IS.",
        ("captured", "sy-tal-abyad", "SDF", "SDF", "2017-03-02", False),
    ),
    (  # an undated past perfect: by the time of writing
        "Rebels had seized control of Ramosa, the monitor said.",
        ("captured", "sy-ramouseh", "REBELS", "REBELS", "2017-03-02", False),
    ),
    (  # "since" dates the time before, not the change
        "The offensive marked the first time the Syrian troops pushed into Raqqa since 2014.",
        ("entered", "sy-raqqa", "GOV_SY", None, "2017-03-02", False),
    ),
]


@pytest.mark.parametrize(
    ("text", "expected"), FRAMES, ids=[f[1][0] + "-" + f[1][1] for f in FRAMES]
)
def test_frame_reads_event(gaz, text, expected):
    assert expected in read(gaz, text)


@pytest.mark.parametrize(
    "text",
    [
        "The army aims to retake Palmyra.",  # an intention
        "If IS captures Deir Ezzor, it will be a blow.",  # a hypothetical
        "Forces loyal to the government began an offensive to capture Palmyra.",
        "Russian warplanes struck Raqqa on Tuesday.",  # an airstrike
        "The army advanced to capture Palmyra.",  # an infinitive of purpose
        # "forced to" without "out": no expulsion, and no place to borrow
        "The Turkish army has been forced to watch from across the border since Monday.",
        "IS fighters plan to leave Baiji.",  # a plan to leave
        "The army will attack and capture Raqqa.",  # a modal shared by a conjoined verb
        "Whoever controls Raqqa will face a mammoth challenge, an analyst said.",
        # a state before an offset the reader does not compute
        "It was the last position held by government forces in Raqqa province before the "
        "militants overran it.",
        # the enemies of a side are not that side
        "After the battle, the anti-IS forces advanced to Ain Issa and took it.",
        # control a verb ends, or a battle for it, is nobody's holding
        "The offensive broke IS's grip on Mosul.",
        "Rebels and the army fought for control of Aleppo.",
        "The fall of Sirte would be another blow to IS.",  # a hypothetical blow
        # a supporter's armed forces hold no ground, and are not the government's
        "The Sarrin Airbase was recently abandoned by the U.S. Armed Forces.",
        # "expected to" is a plan, though a participle
        "The YPG is on the fringes of Tal Rifaat; they are expected to enter the town soon.",
        "The offensive is aimed at liberating the town of Qayyara.",  # a participle's aim
        # how an aim is to be reached is part of it
        "The rebels aim to divide the suburbs, cutting the road by taking Marj al-Sultan.",
        "Mosul is the next city to fall to the army.",  # no ordinal of what happened
        "IS fighters made a new attempt to enter Salamiyah, their latest attempt.",
        # a side of one country holds no ground in another
        "Islamist militias seized a district of Benghazi.",
    ],
)
def test_plans_and_hypotheticals_make_no_event(gaz, text):
    assert read(gaz, text) == []


def test_a_defender_named_in_a_report_of_the_capture_held_it_before_not_now(gaz):
    text = "Government troops expelled IS fighters defending the town of Tabqa."
    assert [e for e in read(gaz, text) if e[0] == "held_by"] == []


def test_the_province_in_an_apposition_is_not_what_was_taken(gaz):
    events = read(
        gaz,
        "On April 25, the Army of Conquest captures the strategic town of Jisr al-Shughour, "
        "one of the final regime bastions in Idlib province.",
    )
    assert ("captured", "sy-jisr-al-shughur", "REBELS", "REBELS", "2016-04-25", False) in events
    assert not [e for e in events if e[0] == "captured" and e[1] == "sy-idlib-province"]


def test_where_a_speaker_is_is_not_what_the_city_means(gaz):
    events = read(
        gaz,
        "IS fighters withdrew from the citadel of Palmyra on Tuesday. A military source in "
        "Damascus said the army had reached a crossroads. “Our forces have not yet taken the "
        "citadel, but the city is within firing range,” he added.",
    )
    assert [e[1] for e in events if e[0] == "claimed_disputed"] == ["sy-palmyra"]


def test_our_forces_are_the_side_of_the_one_quoted(gaz):
    events = read(
        gaz,
        "“Our forces are in total control over Jurf al-Sakhar now,” a spokesman for the Iraqi "
        "security forces said.",
    )
    assert ("held_by", "iq-jurf-al-sakhar", "GOV_IQ", "GOV_IQ", "2017-03-02", False) in events


def test_a_relative_clause_on_what_a_name_is_one_of(gaz):
    events = read(
        gaz,
        "Rebels pulled out of Khan Sheikhoun, one of the province's largest towns that has been "
        "in rebel hands since 2014, on Sunday.",
    )
    assert ("held_by", "sy-khan-shaykhun", "REBELS", "REBELS", "2014-01-01", False) in events
    events = read(
        gaz,
        "The army attacked the Wadi Barada pocket that is under the control of Jabhat Fateh "
        "al-Sham.",
    )
    assert ("held_by", "sy-barada-valley", "REBELS", "REBELS", "2017-03-02", False) in events


def test_a_container_is_not_the_place_a_phrase_describes(gaz):
    # "the IS last bastion in northern Aleppo province" is al-Bab, not the province
    events = read(
        gaz,
        "In February 2017, the Turkish army announces it has taken full control of Al-Bab, "
        "the IS last bastion in northern Aleppo province.",
    )
    assert ("captured", "sy-al-bab", "TFSA", "TFSA", "2017-02-01", False) in events
    assert not [e for e in events if e[1] == "sy-aleppo-province"]
    # the villages named before the comma are besieged, not Idlib they lie in
    events = read(
        gaz,
        "Two buses carrying people from the villages of al-Foua and Kefraya, besieged by "
        "rebels in Idlib, arrived in Aleppo.",
    )
    assert {e[1] for e in events if e[0] == "besieged"} == {"sy-fua", "sy-kafraya"}


def test_a_holding_stated_of_a_place_another_side_took_is_dated_as_the_taking(gaz):
    # "Kurdish-controlled towns overrun in August by IS": Kurdish until August, not now
    events = read(
        gaz,
        "Zumar was one of the first Kurdish-controlled towns overrun in August by the Islamic State.",
    )
    assert ("captured", "iq-zummar", "ISIS", "ISIS", "2016-08-01", False) in events
    assert ("held_by", "iq-zummar", "KRG", "KRG", "2016-08-01", False) in events


def test_the_holder_before_a_taking_is_the_takings_previous_holder(gaz):
    # "the last position held by the army before IS overran it in August 2014": no state
    # of its own, but the army held it until then (the timeline draws it so)
    text = (
        "IS fighters attacked the Tabqa air base. It was the last position held by government "
        "forces in Raqqa province before the militants overran it in August 2014."
    )
    events = [
        e
        for e in extract_events(Article("t", text, DAY), gaz)
        if e.kind not in (EventKind.ATTACKED, EventKind.ADVANCED_TO)
    ]
    assert [(e.kind.value, e.place.id, e.actor, e.previous) for e in events] == [
        ("captured", "sy-tabqa-airbase", "ISIS", "GOV_SY")
    ]
    [span, *_] = build_timeline(events)["sy-tabqa-airbase"]
    assert (span.controller, span.end) == ("GOV_SY", dt.date(2014, 8, 1))


def test_an_undated_sentence_going_on_with_the_story_before_is_of_its_day(gaz):
    # the lede dates the story; the next sentence goes on with it by "the town"
    text = (
        "IS fighters attacked Palmyra on Tuesday, seeking to capture the town. Government "
        "forces later withdrew from the town, a monitor said.\n\nIS also took Sukhnah."
    )
    events = read(gaz, text)
    assert ("withdrew", "sy-palmyra", "GOV_SY", None, "2017-02-28", False) in events
    # another paragraph, and a name rather than a description: the dispatch's day
    assert ("captured", "sy-sukhnah", "ISIS", "ISIS", "2017-03-02", False) in events


def test_a_city_part_is_in_its_city(gaz):
    # neighbourhoods of Mosul the gazetteer holds only as villages elsewhere are not read
    # as those villages; one it holds in Mosul is
    text = (
        "Iraqi special forces recaptured six districts of eastern Mosul on Friday. CTS forces "
        "took over the neighbourhoods of Samah, Khadra and Karama, and two-thirds of another "
        "Mosul district, Intisar."
    )
    places = {e[1] for e in read(gaz, text)}
    assert "iq-mosul" in places
    assert all(gaz.get(p).kind.value in ("city", "neighbourhood") for p in places), places
    # a name listed with "districts" is a district, not the province of that name
    events = read(gaz, "CTS forces pushed into the Eastern Nineveh and Souq al-Ghanam districts.")
    assert [e for e in events if e[1] == "iq-nineveh-province"] == []


def test_facilities_and_handovers(gaz):
    events = read(gaz, "The SDF has taken the National Hospital in Raqqa on Sunday.")
    assert ("captured", "sy-raqqa", "SDF", None, "2017-02-26", True) in events
    events = read(
        gaz, "Kurdish fighters have thwarted an advance by IS into the heart of the town of Kobane."
    )
    assert ("repelled", "sy-kobani", "SDF", "SDF", "2017-03-02", False) in events


def test_a_long_list_holds_names_the_gazetteer_lacks_between_known_ones(gaz):
    # Himr Akash and Jel Parat are unknown; the list still joins the villages around them
    text = (
        "Kurdish sources said the YPG forces were able to control the villages of Ziyada, "
        "Himr, Himr Akash, Jel Parat, Mirza, Khirbet Baghl, Hurriya, Megrinat, Bizuna and Taya "
        "on Sunday."
    )
    assert len({e[1] for e in read(gaz, text) if e[0] == "captured" and e[2] == "SDF"}) >= 5
    # a clause between two names is no list
    text = "IS seized Maskanah, where fighting continued, Deir Hafer said on Sunday."
    assert not [e for e in read(gaz, text) if e[1] == "sy-deir-hafer"]


def test_it_is_not_an_older_place_when_a_place_the_gazetteer_lacks_is_named_between(gaz):
    text = (
        "Iraqi forces recaptured a new area in eastern Mosul on Friday. Earlier Friday, Iraqi "
        "forces recaptured the northern village of Abu Dalf from Islamic State hours after the "
        "extremist militia seized it in a surprise counter-attack."
    )
    assert not [e for e in read(gaz, text) if e[0] == "captured" and e[2] == "ISIS"]


def test_since_capturing_it_is_no_news_of_today(gaz):
    text = (
        "Turkish forces seized Afrin in March. Since capturing it, Turkish officials have "
        "pledged to continue east."
    )
    assert [e[4] for e in read(gaz, text)] == ["2017-03-01"]


def test_distances_winners_and_purposes(gaz):
    # "27 miles from Irbil" measures where the villages are: Irbil was not taken
    text = (
        "Brig. Gen. Shirko Fatih said the Kurdish fighters were able to push the militants of "
        "the Islamic State group out of the villages of Makhmour and al-Gweir, some 27 miles "
        "from Irbil."
    )
    places = {e[1] for e in read(gaz, text)}
    assert "iq-makhmour" in places and "iq-erbil" not in places
    # "fell to IS": the winner, not a side named nearby; "an operation to retake": a purpose
    text = (
        "Kurdish fighters retook three villages near the town of Sinjar on Sunday. Kurdish "
        "Iraqi forces say they have launched an operation to retake the town, which first fell "
        "to the ISIL terrorist group in August."
    )
    events = read(gaz, text)
    assert ("captured", "iq-sinjar", "ISIS", "ISIS", "2016-08-01", False) in events
    assert not [e for e in events if e[0] == "recaptured" and e[1] == "iq-sinjar"]


def test_a_participle_of_a_state_is_no_taking(gaz):
    text = (
        "Libyan forces said on Tuesday that they had taken control of one of the last "
        "districts in central Sirte occupied by Islamic State fighters."
    )
    events = read(gaz, text)
    assert ("held_by", "ly-sirte", "ISIS", None, "2017-03-02", True) in events
    assert not [e for e in events if e[0] == "captured" and e[2] == "ISIS"]


def test_a_participle_of_people_has_no_side(gaz):
    events = read(gaz, "Islamic State took advantage of refugees fleeing Hit to enter Kubaisa.")
    assert not [e for e in events if e[0] == "withdrew"]


def test_a_clause_dated_only_by_an_offset_borrows_no_place(gaz):
    text = (
        "IS recaptured Palmyra on Sunday, nine months after it was driven out by government forces."
    )
    assert [e[0] for e in read(gaz, text)] == ["recaptured"]


def test_a_siege_broken_the_day_it_is_named_leaves_the_place_unbesieged(gaz):
    text = (
        "IS has besieged Deir ez-Zor since 2015. The army managed to break the siege of Deir "
        "ez-Zor by the Islamic State on Friday."
    )
    events = extract_events(Article("t", text, DAY), gaz)
    state = state_at(build_timeline(events), DAY)["sy-deir-ez-zor"]
    assert (state.controller, state.status, state.besieger) == ("GOV_SY", ControlStatus.HELD, None)


def test_a_result_clause_with_leave_is_no_withdrawal(gaz):
    text = "The army took three blocks of Jobar, leaving half the district under rebel control."
    assert [e for e in read(gaz, text) if e[0] == "withdrew"] == []


def test_generic_words_follow_the_side_the_article_names(gaz):
    """ "The jihadists" are the Islamic State unless the article names rebel factions and
    never the Islamic State."""
    rebels = "The Nusra Front attacked on Monday. Jihadists captured Ariha on Tuesday."
    assert ("captured", "sy-ariha", "REBELS") in [k[:3] for k in read(gaz, rebels)]
    both = "IS and the Nusra Front attacked on Monday. Jihadists captured Ariha on Tuesday."
    assert ("captured", "sy-ariha", "ISIS") in [k[:3] for k in read(gaz, both)]
    held = "The Nusra Front shelled the army. The army entered the jihadist-held town of Ariha."
    assert ("held_by", "sy-ariha", "REBELS") in [k[:3] for k in read(gaz, held)]
    # "the rebels" of an article on Turkey's operation, naming no other faction
    turkish = "Turkish troops shelled IS positions. Rebels captured Dabiq on Sunday."
    assert ("captured", "sy-dabiq", "TFSA") in [k[:3] for k in read(gaz, turkish)]
    nusra = "Turkish troops shelled IS. The Nusra Front and rebels captured Dabiq on Sunday."
    assert ("captured", "sy-dabiq", "REBELS") in [k[:3] for k in read(gaz, nusra)]


def test_city_parts_named_alone_are_parts_of_the_city_the_article_is_at(gaz):
    text = (
        "Iraqi forces pushed into Mosul on Tuesday. Up to seven neighborhoods are under "
        "the control of counter-terrorism forces, a spokesman said."
    )
    assert ("held_by", "iq-mosul", "GOV_IQ", None, "2017-03-02", True) in read(gaz, text)


def test_a_later_partial_hold_answers_a_claim_of_full_control(gaz):
    text = (
        "Rebels said they had captured Dabiq on Sunday. The Observatory, however, said the "
        "rebels were in control of less than half of the town."
    )
    kinds = [k[:3] for k in read(gaz, text)]
    assert ("claimed_disputed", "sy-dabiq", "REBELS") in kinds
    agreed = "Rebels captured Dabiq on Sunday. They control half of the town of Dabiq."
    assert "claimed_disputed" not in [k[0] for k in read(gaz, agreed)]


def test_cantons_are_the_regions_a_side_administers_since_its_date(gaz):
    text = (
        "Syria's Kurds have managed autonomous administrations in the north since 2012, "
        "and Al-Bab falls between the cantons of Kobane and Afrin."
    )
    events = read(gaz, text)
    assert ("held_by", "sy-kobani-canton", "SDF", "SDF", "2012-01-01", False) in events
    assert ("held_by", "sy-afrin-canton", "SDF", "SDF", "2012-01-01", False) in events


def test_every_member_of_a_long_list_of_places_is_read(gaz):
    """Long lists come out of the small parser as a tangle; a reading of one member holds
    for the list."""
    text = (
        "Kurdish sources said that YPG forces were able to control the villages of Suluk, "
        "Ain Issa, Tal Tamr, Manbij, Jarabulus, Dabiq, Qabasin, Amuda and Derbasiyah."
    )
    places = {k[1] for k in read(gaz, text) if k[0] == "captured" and k[2] == "SDF"}
    assert {"sy-suluk", "sy-jarabulus", "sy-dabiq", "sy-qabasin"} <= places
    assert len(places) >= 8


def test_a_place_the_gazetteer_lacks_is_read_where_the_text_places_it(gaz):
    """An anchored unknown place ("the village of X, 10 km north of Manbij") is an
    approximate place events can be about; an unanchored one makes no event."""
    text = "IS fighters seized the village of Qurt Wazzan, 10 km north of Manbij, on Sunday."
    assert ("captured", "found:kurt-wazan:village:sy-manbij", "ISIS") in [
        k[:3] for k in read(gaz, text)
    ]
    assert read(gaz, "IS fighters seized the village of Qurt Wazzan on Sunday.") == []


def test_a_noun_frame_before_a_modal_is_a_hypothetical(gaz):
    text = "The loss of Deir Ezzor city would leave IS with only a handful of territory."
    assert [k for k in read(gaz, text) if k[1] == "sy-deir-ez-zor"] == []
    assert ("lost", "sy-deir-ez-zor", "ISIS") in [
        k[:3] for k in read(gaz, "IS's loss of Deir Ezzor city left it with little.")
    ]


def test_the_capital_of_a_province_is_the_city_not_the_province(gaz):
    text = "The provincial capital of Anbar province, Ramadi, fell to ISIS on Sunday."
    events = [k[:3] for k in read(gaz, text)]
    assert ("captured", "iq-ramadi", "ISIS") in events
    assert not [k for k in events if k[1] == "iq-anbar-province"]


def test_before_and_without_a_gerund(gaz):
    """ "the last site before entering X" is not done; "did Y before withdrawing from X" is."""
    assert read(gaz, "The hill is the last site before entering Palmyra.") == []
    done = "Government forces executed 23 prisoners before withdrawing from Jisr al-Shughour."
    assert ("withdrew", "sy-jisr-al-shughur", "GOV_SY") in [k[:3] for k in read(gaz, done)]
    assert read(gaz, "The army passed Palmyra without entering Palmyra.") == []


def test_arriving_near_a_place_is_not_entering_it(gaz):
    assert read(gaz, "Syrian troops arrived near Qaryatayn on Tuesday.") == []


def test_the_nearest_side_is_never_inside_the_object_of_the_verb_before(gaz):
    """A subjectless capture after "attacked the Kurdish fighters' positions" is not the
    Kurds'."""
    text = "The forces attacked the Kurdish fighters positions and seized control of Tal Abyad."
    assert not [e for e in read(gaz, text) if e[2] == "SDF"]


def test_one_stronghold_describes_one_name(gaz):
    """ "the group's former capital, Palmyra, as well as the town of Qaryatayn": IS's
    holding is Palmyra's only."""
    text = "The army retook the group's former capital, Palmyra, as well as the town of Qaryatayn."
    events = read(gaz, text)
    assert ("recaptured", "sy-qaryatayn", "GOV_SY", "GOV_SY", "2017-03-02", False) in events
    assert not [e for e in events if e[0] == "held_by" and e[1] == "sy-qaryatayn"]


def test_a_siege_told_of_in_another_country_is_not_this_one(gaz):
    """The Kurds' siege of Manbij told before is not the siege of Fallujah's besieged
    neighbourhoods (the besieger fights in Syria)."""
    text = (
        "Kurdish forces encircled IS militants in the town of Manbij. Clashes continued to try "
        "to dislodge ISIS militants from besieged neighborhoods of Fallujah."
    )
    assert not [e for e in read(gaz, text) if e[1] == "iq-fallujah" and e[2] == "SDF"]


def test_an_attempt_not_marked_as_failed_is_no_event(gaz):
    assert read(gaz, "IS tried to capture Deir Ezzor.") == []


def test_libyas_two_sides_are_told_apart(gaz):
    """Haftar's Libyan National Army is not the Government of National Accord."""
    lna = "The Libyan National Army seized the town of Ajdabiya from rival forces on Sunday."
    assert [e[:3] for e in read(gaz, lna)] == [("captured", "ly-ajdabiya", "LNA_LY")]
    haftar = "Forces loyal to Khalifa Haftar took control of Derna in June."
    assert [e[:3] for e in read(gaz, haftar)] == [("captured", "ly-derna", "LNA_LY")]
    gna = "Forces allied with the UN-backed government recaptured Sabratha from IS militants."
    assert [e[:3] for e in read(gaz, gna)] == [("recaptured", "ly-sabratha", "GNA_LY")]


def test_a_side_is_the_one_its_fighters_are_aligned_with(gaz):
    text = "Tribal fighters aligned with the Iraqi government retook the town of Hit from IS."
    assert [e[:3] for e in read(gaz, text)] == [("recaptured", "iq-hit", "GOV_IQ")]


def test_a_claim_parsed_as_a_noun_is_still_a_claim(gaz):
    text = "Forces loyal to the unity government claim to have taken control of the city of Sirte."
    [event] = extract_events(Article("t", text, DAY), gaz)
    assert (event.place.id, event.actor, event.status) == (
        "ly-sirte",
        "GNA_LY",
        ClaimStatus.CLAIMED,
    )


def test_the_liberation_of_a_place_from_a_side_is_not_that_sides_taking(gaz):
    # the "from" side held the place; a side holding what is left liberated nothing
    for text in (
        "The liberation of Mosul from IS control took nine months.",
        "With the liberation of Hawija, IS holds only one stretch of land in Iraq.",
    ):
        assert [e for e in read(gaz, text) if e[2] == "ISIS" and e[0] == "captured"] == []
    # but a side named in the place's phrase as its backer is still read
    text = "The rebels attacked Tabqa, under the control of the U.S. backed SDF."
    assert ("held_by", "sy-tabqa", "SDF") in [e[:3] for e in read(gaz, text)]


def test_almost_all_of_a_place_is_part_of_it(gaz):
    text = "Iraqi forces have retaken almost all of Tal Afar from IS."
    assert [e[:3] + e[5:] for e in read(gaz, text)] == [
        ("recaptured", "iq-tal-afar", "GOV_IQ", True)
    ]


def test_control_over_is_control_of(gaz):
    text = "He said IS fighters maintained control over parts of Ramadi."
    assert [e[:3] + e[5:] for e in read(gaz, text)] == [("held_by", "iq-ramadi", "ISIS", True)]


def test_an_aside_between_dashes_reads_as_between_commas(gaz):
    text = "The Iraqi troops - backed by Shia militias - captured the town of Baiji."
    assert [e[:3] for e in read(gaz, text)] == [("captured", "iq-baiji", "GOV_IQ")]


@pytest.mark.parametrize(
    "text",
    [
        "Government forces retaking Palmyra would be a major blow to IS.",
        "If the recapture of Ramadi is confirmed, it would be the second city to be retaken"
        " by the Iraqi army.",
        # an -ing adjective is no siege (np-0509 of the table, the dash read as a comma)
        "The battle for control of the Sinjar supply routes began last summer, after Islamic"
        " State seized Mosul, a city of more than a million, and laid waste to surrounding"
        " villages — capturing, enslaving and killing members of the Yazidi minority.",
    ],
)
def test_what_would_be_and_adjectives_are_no_events(gaz, text):
    assert [
        e for e in read(gaz, text) if e[0] == "besieged" or e[1] in ("sy-palmyra", "iq-ramadi")
    ] == []


def _events(gaz, text, day=DAY):
    return [
        (e.kind.value, e.place.id, e.actor, e.date.isoformat(), e.partial)
        for e in extract_events(Article("t", text, day), gaz)
        if e.kind not in (EventKind.ATTACKED, EventKind.ADVANCED_TO)
    ]


@pytest.mark.parametrize(
    "dateline", ["AMMAN: ", "BEIRUT, Feb 23 (Reuters) - ", "AL-BAB – ", "BAGHDAD\n"]
)
def test_a_dateline_is_neither_the_sentences_subject_nor_a_place_referred_to(gaz, dateline):
    text = (
        f"{dateline}Syrian rebels backed by Turkey captured the city of al-Bab on Thursday."
        " The town had been held by IS since 2013."
    )
    events = _events(gaz, text)
    assert ("captured", "sy-al-bab", "TFSA", "2017-03-02", False) in events
    assert {e[1] for e in events} == {"sy-al-bab"}  # "the town" is al-Bab, not the dateline


def test_last_weekday_in_a_paper_of_that_weekday_is_a_week_before(gaz):
    sunday = dt.date(2016, 4, 3)
    text = "Government forces recaptured Palmyra from IS militants last Sunday."
    assert [e[3] for e in _events(gaz, text, sunday)] == ["2016-03-27"]


def test_a_relative_clause_on_a_name_after_a_distance_is_read(gaz):
    text = (
        "Troops recaptured the town of al-Qaryatain from IS on Sunday. The town is 100 km"
        " west of Palmyra, which government forces recaptured from IS last month."
    )
    assert ("recaptured", "sy-palmyra", "GOV_SY") in [e[:3] for e in _events(gaz, text)]


def test_ground_including_in_a_province_is_part_of_it(gaz):
    text = (
        "The Syrian army has taken swathes of land from IS this year, including in Homs province."
    )
    assert [(e[:3], e[4]) for e in _events(gaz, text)] == [
        (("captured", "sy-homs-province", "GOV_SY"), True)
    ]


def test_an_old_taking_is_no_claim_a_later_partial_hold_answers(gaz):
    text = (
        "Ramadi fell to IS in May 2015. On Monday Iraqi forces retook the government complex"
        " in the city, but parts of the city remain under IS control."
    )
    assert "claimed_disputed" not in [e[0] for e in _events(gaz, text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # whose hold it is, whoever weakens or tightens it
        (
            "US air strikes have helped to weaken ISIL's hold on Sirte.",
            ("held_by", "ly-sirte", "ISIS"),
        ),
        ("IS tightened its grip on Raqqa last year.", ("held_by", "sy-raqqa", "ISIS")),
        # a side's capital, its name on it and in scare quotes
        (
            'The SDF is advancing on the Islamic State group "capital" Raqqa.',
            ("held_by", "sy-raqqa", "ISIS"),
        ),
        # "went on to" did
        (
            "Troops went on to capture a military base known as Brigade 137.",
            ("captured", "sy-brigade-137", "GOV_SY"),
        ),
    ],
)
def test_holds_capitals_and_what_went_on(gaz, text, expected):
    assert expected in [e[:3] for e in _events(gaz, text)]


def test_falling_back_on_ground_called_their_own_is_holding_it(gaz):
    text = "IS fighters withdrew to their nearby territory in the towns of Tadef and Qabaseen."
    assert {e[:3] for e in _events(gaz, text)} == {
        ("held_by", "sy-tadef", "ISIS"),
        ("held_by", "sy-qabasin", "ISIS"),
    }
    # fleeing to a town, or towards one, says nothing of who holds it
    assert _events(gaz, "IS militants fled to the town of Tadef after the battle.") == []
    text = "Officials said the jihadists had fled towards Mosul after the base was taken."
    assert _events(gaz, text) == []


def test_a_passive_with_no_agent_is_the_taking_side_of_the_story_nearby(gaz):
    text = (
        "Kurdish-led forces captured the town of Ain Issa from IS on Monday."
        " The nearby town of Suluk was seized on Tuesday, a monitor said."
    )
    assert ("captured", "sy-suluk", "SDF") in [e[:3] for e in _events(gaz, text)]
    # another front of a round-up, far away, is no one's by the story
    text = (
        "Kurdish-led forces captured the town of Ain Issa from IS on Monday."
        " In Homs province, Palmyra was recaptured on Tuesday, a monitor said."
    )
    assert "sy-palmyra" not in [e[1] for e in _events(gaz, text)]
    # nor is the recapture of a place the story's side took
    text = "IS seized Palmyra in May 2015. The city was recaptured in March 2016."
    assert ("recaptured", "sy-palmyra", "ISIS") not in [e[:3] for e in _events(gaz, text)]


@pytest.mark.parametrize(
    "text",
    [
        "The Turkish backed Free Syrian Army captured the town of al-Rai on Thursday.",
        "The FSA and Turkish troops have liberated the city of al-Bab from IS militants.",
    ],
)
def test_rebels_with_their_sponsors_forces_or_its_name_unhyphenated_are_its_clients(gaz, text):
    assert {e[2] for e in _events(gaz, text)} == {"TFSA"}


def test_a_name_read_in_another_country_than_its_sides_is_that_countrys_namesake(gaz):
    # "Kastal" alone is a village in Hatay; the Syrian army took the Syrian one
    text = "The Syrian Arab Army captured the village of Kastal near Hama on Sunday."
    [event] = extract_events(Article("t", text, DAY), gaz)
    assert (event.place.country, event.place.name, event.actor) == ("SY", "Al Qastal", "GOV_SY")


def test_a_name_opened_by_tel_is_read_in_its_spelling_family_near_its_province(gaz):
    text = (
        "The town of Tel Hemis is still deemed a main stronghold of IS fighters in the"
        " southern countryside of Hasakah province."
    )
    assert [
        (e.place.name, e.kind.value, e.actor) for e in extract_events(Article("t", text, DAY), gaz)
    ] == [("Tal Hamis", "held_by", "ISIS")]
    # a namesake in another province than the one named is not read so
    text = "The army recaptured two villages in Hama province, Tell Malh and Jelma."
    assert all(m.place.admin1 != "Hasakah" for m in gaz.find(text))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a side's name written without its hyphens
        (
            "Jaish Al Islam fighters recaptured the town of Douma on Sunday.",
            ("recaptured", "sy-douma", "REBELS"),
        ),
        ("Turkish forces invaded the town of Afrin in January.", ("entered", "sy-afrin", "TFSA")),
        # a withdrawal with no place is from the place its time clause says fell or was taken
        (
            "Ramadi, the capital of Anbar province, fell to the Islamic State in May after Iraqi forces based"
            " there fled their posts.",
            ("withdrew", "iq-ramadi", "GOV_IQ"),
        ),
        (
            "When IS militants took over the city of Ramadi in May, Iraq's armed forces fled.",
            ("withdrew", "iq-ramadi", "GOV_IQ"),
        ),
    ],
)
def test_more_sides_and_withdrawals(gaz, text, expected):
    assert expected in [e[:3] for e in _events(gaz, text)]


@pytest.mark.parametrize(
    "text",
    [
        "The clashes ended with the YPG's control of the town of Tal Tamr.",
        "The Kurdish forces launched operations against IS in the area, resulting in their"
        " control of the town of Tal Tamr.",
    ],
)
def test_control_a_fight_ended_with_is_a_taking(gaz, text):
    assert ("captured", "sy-tal-tamer", "SDF") in [e[:3] for e in _events(gaz, text)]


def test_a_leader_announcing_a_passive_taking_speaks_for_his_side(gaz):
    text = '"Afrin town center was completely taken control of this morning," Erdogan said.'
    assert ("captured", "sy-afrin", "TFSA") in [e[:3] for e in _events(gaz, text)]


def test_one_capital_is_the_first_name_of_a_list_hung_on_it(gaz):
    text = (
        "So far, forces took back the group's former capital, Mosul, the town of Tal Afar,"
        " west of Nineveh, Kirkuk's Hawija, and Anbar's Annah."
    )
    held = [e[1] for e in _events(gaz, text) if e[0] == "held_by"]
    assert held == ["iq-mosul"]


def test_a_description_never_means_a_place_named_after_it_as_a_destination(gaz):
    text = "IS militants finally fled the strategic city and left to Deir Hafer and Maskanah."
    assert "withdrew" not in [e[0] for e in _events(gaz, text)]


def test_a_backer_in_a_by_phrase_is_not_the_side_that_acts(gaz):
    text = (
        "Syrian military forces backed by Russia broke a nearly three-year long IS siege on"
        " the government enclave of Deir el-Zour on Tuesday, state media reported."
    )
    assert ("siege_broken", "sy-deir-ez-zor", "GOV_SY") in [e[:3] for e in _events(gaz, text)]


def test_a_place_in_brackets_after_a_name_only_says_where_it_lies(gaz):
    text = "Iraqi forces announced the liberation of Hawija (Kirkuk province) on Thursday."
    assert [e[1] for e in _events(gaz, text)] == ["iq-hawija"]


def test_scare_quotes_keep_the_sides_of_held_adjectives(gaz):
    text = (
        'SANA said "terrorists" had killed a man appointed to talk with rebels in the'
        " opposition-held Barada Valley and allow workers to fix the water facility there."
    )
    assert ("held_by", "sy-barada-valley", "REBELS") in [e[:3] for e in _events(gaz, text)]


def test_negated_claim_is_disputed(gaz):
    [event] = extract_events(
        Article("t", "IS has not captured Palmyra as has been claimed.", DAY), gaz
    )
    assert (event.kind.value, event.status.value) == ("claimed_disputed", "negated")


def test_every_event_names_its_frame_and_path(gaz):
    [event] = extract_events(Article("t", "IS fighters seized Madan on Tuesday.", DAY), gaz)
    frame, role, path, subject = event.rule.split(":")
    assert (frame, role, path, subject) == ("capture", "obj", "name", "subj")


def test_malformed_control_lexicon_is_one_clear_error():
    with pytest.raises(GazetteerError, match="unknown role"):
        parse_control_lexicon(
            {
                "siege_nouns": [],
                "supply_nouns": [],
                "attack_nouns": [],
                "control_nouns": [],
                "verb_frames": [
                    {"name": "x", "kind": "captured", "lemmas": ["take"], "place": ["nowhere"]}
                ],
            }
        )


# ------------------------------------------------------------------ development table


@pytest.mark.parametrize("row", ROWS, ids=[r["id"] for r in ROWS])
def test_development_row_is_consistent(row):
    """Each row: one real sentence with a source, its events' places as written in it."""
    assert row["source"] and row["text"].strip()
    for event in row.get("events") or []:
        assert str(event["place"]) in row["text"]
        assert event["kind"] in KINDS and event["actor"] in ACTORS
        assert event.get("status", "asserted") in STATUSES


def test_development_table_floors(gaz):
    """Recall and precision on the whole table stay above floors a little under the
    figures of session 10 (64.4% / 89.9% with the 200 wire sentences added that session,
    which the reader had not been written on: 46.6% / 76.5% and 61.2% / 84.9% on them
    before; the targets are 85% / 90%, see BENCHMARKS.md)."""
    assert len(ROWS) >= 300 and len({r["source"] for r in ROWS}) >= 100
    score, _ = accuracy.score_table(gaz, ROWS, verbose=False)
    assert score.expected >= 1300
    assert score.recalled / score.expected >= 0.63, score.line("table")
    assert score.right / score.emitted >= 0.88, score.line("table")


def test_seed_events_floors(gaz):
    """Recall and precision of the seeds' core control events, scored as
    ``../shared/eval/score_seeds.py events`` scores them, stay above floors a little under
    the figures of session 9 (85.5% / 90.9%; the targets are 85% / 90%)."""
    if not (accuracy.SHARED / "seeds_gold").is_dir():
        pytest.skip(f"annotated seeds not found at {accuracy.SHARED} (absent on a fresh clone)")
    score = accuracy.score_seeds(gaz, verbose=False)
    assert score.recalled / score.expected >= 0.84, score.line("seeds")
    assert score.right / score.emitted >= 0.89, score.line("seeds")
