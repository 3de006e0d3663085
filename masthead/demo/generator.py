"""Turn the demo storylines into story specifications and pictures.

Deterministic: the same seed gives the same newsroom, so a second run of the demo
finds every story it made before and adds nothing twice.
"""

import io
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.utils.text import slugify
from PIL import Image, ImageDraw, ImageFilter

from .storylines import STORYLINES
from .world import PEOPLE

WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
PARTNER_OUTLET = ("Sarvan Press Agency", "")
SCENES = [
    "Officials arrive for the meeting",
    "A view of the waterfront",
    "Residents gather in the square",
    "Reporters wait outside the ministry",
    "Lorries parked along the road",
    "Workers at the site",
]
CORRECTIONS = [
    "An earlier version of this story gave the wrong day for the meeting.",
    "An earlier version of this story misspelt the name of the minister.",
    "An earlier version of this story gave an incorrect figure for the number of people affected.",
]


@dataclass
class StorySpec:
    storyline: str
    slug: str
    headline: str
    standfirst: str
    paragraphs: list
    section: str
    authors: list
    topics: list
    published_at: datetime
    image_key: str
    caption: str
    source_name: str = ""
    source_url: str = ""
    kicker: str = ""
    editors_choice: bool = False
    corrections: list = field(default_factory=list)
    updated_at: datetime | None = None


def _quote(key: str, text: str) -> dict:
    name, role = PEOPLE[key]
    role = role[0].upper() + role[1:]
    return {"quote": text, "attribution": name, "role": role}


def story_specs(now: datetime, days: int = 88, seed: int = 7) -> list[StorySpec]:
    """Return the demo stories, oldest first, spread over the last ``days`` days."""
    rng = random.Random(seed)
    specs = []
    for line_index, line in enumerate(STORYLINES):
        events = line["events"]
        step = days / (len(events) - 1)
        for i, (headline, standfirst, lede) in enumerate(events):
            # The newest event of each storyline lands within the last day or two.
            age = (len(events) - 1 - i) * step + (line_index * 0.23) % 1.5
            published = now - timedelta(days=age, hours=rng.randint(1, 9))
            published = published.replace(
                minute=rng.choice([0, 15, 30, 45]), second=0, microsecond=0
            )
            day = WEEKDAYS[published.weekday()]
            number = rng.choice([12, 18, 25, 40, 60, 120, 300, 2400])
            quotes = line["quotes"]
            q1 = quotes[i % len(quotes)]
            q2 = quotes[(i + 1) % len(quotes)]
            background = line["background"]
            paragraphs = [
                lede.format(day=day, number=number),
                background[i % len(background)],
                _quote(*q1),
                background[(i + 2) % len(background)],
            ]
            if q2[0] != q1[0]:
                paragraphs.append(_quote(*q2))
            paragraphs.append(line["closing"][i % len(line["closing"])])
            section = line["sections"][i % len(line["sections"])]
            spec = StorySpec(
                storyline=line["key"],
                slug=slugify(headline)[:80],
                headline=headline,
                standfirst=standfirst.format(number=number),
                paragraphs=paragraphs,
                section=section,
                authors=[line["authors"][i % len(line["authors"])]],
                topics=_topics_for(line, i),
                published_at=published,
                image_key=f"{line['key']}-{i % 2}",
                caption=f"{SCENES[(line_index + i) % len(SCENES)]}, {line['place']}, "
                f"{published.day} {published.strftime('%B')}",
            )
            if section == "analysis":
                spec.kicker = "Analysis"
            if i % 4 == 3:
                spec.source_name = PARTNER_OUTLET[0]
            if (line_index + i) % 7 == 0:
                spec.editors_choice = True
            if (line_index * 3 + i) % 10 == 4:
                fixed = published + timedelta(hours=rng.randint(3, 30))
                spec.corrections.append((fixed, CORRECTIONS[(line_index + i) % len(CORRECTIONS)]))
                spec.updated_at = fixed
            specs.append(spec)
    specs.sort(key=lambda s: s.published_at)
    return specs


def _topics_for(line: dict, index: int) -> list[str]:
    topics = line["topics"]
    # Every story carries the storyline's place and theme; people rotate so that
    # topic pages differ from one another.
    chosen = [t for t in topics if t in _PLACES_AND_THEMES]
    people = [t for t in topics if t not in _PLACES_AND_THEMES]
    if people:
        chosen.insert(0, people[index % len(people)])
    return chosen


_PLACES_AND_THEMES = {
    "marevia",
    "dastan",
    "kolvenia",
    "serel",
    "diplomacy",
    "elections",
    "energy",
    "water",
    "labour",
    "economy",
    "press-freedom",
    "climate",
    "sarvan-cooperation-council",
    "marevian-central-bank",
    "harbour-workers-union",
    "dastani-electoral-commission",
    "northern-grid-consortium",
    "kolvenian-water-authority",
}


def picture(key: str, colour: tuple, variant: int, width: int = 1600, height: int = 900) -> bytes:
    """Return a generated JPEG: a skyline over water in the storyline's colour."""
    rng = random.Random(f"{key}-{variant}")
    image = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(image)
    r, g, b = colour
    for y in range(height):
        t = y / height
        draw.line(
            [(0, y), (width, y)],
            fill=(
                int(r + (235 - r) * (1 - t) * 0.6),
                int(g + (225 - g) * (1 - t) * 0.6),
                int(b + (210 - b) * (1 - t) * 0.6),
            ),
        )
    horizon = int(height * (0.55 + 0.1 * variant))
    sun_x = rng.randint(width // 5, width * 4 // 5)
    draw.ellipse([sun_x - 90, horizon - 260, sun_x + 90, horizon - 80], fill=(250, 214, 150))
    x = 0
    while x < width:
        w = rng.randint(60, 180)
        h = rng.randint(60, 320)
        shade = rng.randint(10, 45)
        draw.rectangle([x, horizon - h, x + w, horizon], fill=(shade, shade + 5, shade + 15))
        for wy in range(horizon - h + 20, horizon - 10, 36):
            for wx in range(x + 12, x + w - 12, 28):
                if rng.random() < 0.35:
                    draw.rectangle([wx, wy, wx + 10, wy + 14], fill=(240, 200, 120))
        x += w + rng.randint(0, 30)
    draw.rectangle(
        [0, horizon, width, height], fill=(max(r - 20, 0), max(g - 10, 0), min(b + 30, 255))
    )
    for _ in range(40):
        y = rng.randint(horizon + 10, height - 5)
        x0 = rng.randint(0, width)
        draw.line([(x0, y), (x0 + rng.randint(40, 200), y)], fill=(200, 210, 230), width=2)
    image = image.filter(ImageFilter.SMOOTH)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=82, optimize=True, progressive=True)
    return out.getvalue()
