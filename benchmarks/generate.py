"""A seeded generator of synthetic dispatches built from the gazetteer and the actor lexicon.

Each dispatch is ~4 KB: a header block, a lead with a dated control event, several
spellings of the places, relative dates, sieges, denials, distances and filler paragraphs.
Same seed, same corpus::

    python benchmarks/generate.py OUT_DIR --count 10000 --seed 7
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
from collections.abc import Iterator
from functools import partial
from pathlib import Path

from geomap import load_gazetteer
from geomap.model import PlaceKind

SIDES = {
    "GOV_SY": ["Syrian troops", "government forces", "the Syrian army", "regime forces"],
    "ISIS": ["Islamic State fighters", "IS militants", "the jihadists", "Daesh"],
    "SDF": ["the Syrian Democratic Forces", "the SDF", "the Kurdish-led alliance"],
    "TFSA": ["Turkish-backed rebels", "Euphrates Shield fighters"],
    "GOV_IQ": ["Iraqi forces", "the Counter Terrorism Service", "Iraqi troops"],
}
LEADS = [
    "{a} captured {p} on {wd}, a monitor said.",
    "{a} recaptured the town of {p} {rel}, officials said.",
    "{a} broke the siege of {p} on {wd} after weeks of fighting.",
    "{b} laid siege to {p} {rel}, cutting the last supply road.",
    "{a} advanced to within {n} km of {p} on {wd}.",
    "{a} withdrew from {p} on {wd} under heavy shelling.",
    "{b} claimed to have overrun {p}, but local sources said the army remains in control.",
    "{a} entered {p} {rel} and fighting continued in several districts.",
]
MIDDLES = [
    "{p2}, the {b} stronghold, came under fire as {a} pressed on from the west.",
    "The {b}-held town of {p2} lies some {n} kilometers to the east.",
    "Russian warplanes struck positions near {p2} on {wd}, activists said.",
    "{a} had been trying to retake {p2} since {month}.",
    "The Syrian Observatory for Human Rights said at least {n} fighters were killed.",
]
FILLER = [
    "Diplomats met again in Geneva to discuss a ceasefire, but no agreement was reached, "
    "and aid agencies warned that thousands of civilians remained trapped without food, "
    "water or medicine as winter approached and roads stayed closed.",
    "The United Nations said more than a million people had been displaced in the region "
    "over the past year, many of them several times, and appealed for funding to house "
    "families sheltering in camps, schools and half-built apartment blocks.",
    "Analysts said the offensive would test the alliance's ability to hold ground once the "
    "fighting moved on, as local councils struggled to restore electricity and clear "
    "explosives left behind in homes, fields and irrigation canals.",
    "Residents reached by telephone described days of shelling, with bakeries closed and "
    "fuel prices rising sharply, while activists posted videos of damaged buildings and "
    "long queues of people waiting for bread in the early morning.",
]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
RELATIVE = ["yesterday", "last week", "over the weekend", "earlier this month", "late last month"]


def _fill(
    template: str,
    *,
    rnd: random.Random,
    a_code: str,
    b_code: str,
    names: list[str],
    others: list[str],
    month: str,
) -> str:
    return template.format(
        a=rnd.choice(SIDES[a_code]),
        b=rnd.choice(SIDES[b_code]).replace("the ", ""),
        p=rnd.choice(names),
        p2=rnd.choice(others),
        wd=rnd.choice(WEEKDAYS),
        rel=rnd.choice(RELATIVE),
        n=rnd.randint(2, 60),
        month=month,
    )


def generate(count: int, seed: int = 7) -> Iterator[tuple[str, str]]:
    """Yield (file name, text) for ``count`` dispatches."""
    rnd = random.Random(seed)
    gaz = load_gazetteer()
    towns = sorted(
        (
            p
            for p in gaz.places.values()
            if p.curated
            and p.kind in (PlaceKind.CITY, PlaceKind.TOWN, PlaceKind.VILLAGE)
            and p.country in ("SY", "IQ")
        ),
        key=lambda p: p.id,
    )
    start = dt.date(2014, 6, 1)
    for i in range(count):
        place, other = rnd.sample(towns, 2)
        sides = [s for s in SIDES if (s == "GOV_IQ") == (place.country == "IQ")]
        a_code, b_code = rnd.sample(sides, 2) if len(sides) > 1 else (sides[0], "ISIS")
        day = start + dt.timedelta(days=rnd.randrange(0, 1300))
        fill = partial(
            _fill,
            rnd=rnd,
            a_code=a_code,
            b_code=b_code,
            names=[place.name, *place.aliases],
            others=[other.name, *other.aliases],
            month=day.strftime("%B"),
        )
        paragraphs = [fill(rnd.choice(LEADS))]
        while sum(len(p) for p in paragraphs) < 3600:
            paragraphs.append(
                fill(rnd.choice(MIDDLES)) if rnd.random() < 0.45 else rnd.choice(FILLER)
            )
        header = (
            f"title: Fighting around {place.name}\ndate: {day.isoformat()}\n"
            f"source: Synthetic Wire\nurl: https://example.org/{i}\n\n"
        )
        text = header + "\n\n".join(p[0].upper() + p[1:] for p in paragraphs) + "\n"
        yield f"{i:06d}.txt", text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for name, text in generate(args.count, args.seed):
        (args.out / name).write_text(text, encoding="utf-8")
    print(f"wrote {args.count} dispatches to {args.out}")


if __name__ == "__main__":
    main()
