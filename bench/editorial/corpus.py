"""A labelled corpus for measuring the editorial checks, generated from our own templates.

Every story is written here from invented people, places and sentences (the demo
newsroom's fictional region). Seeded stories get mistakes of every kind at known
places; clean stories get none. Each seeded mistake is a ``Label``: the check that
should catch it, the field, and the character span.

Misspellings come from two sources: the Wikipedia list of common misspellings in
``tests/data/wikipedia-common-misspellings`` (test data only, CC BY-SA; never shipped), and keyboard slips generated here (a dropped, doubled or swapped
letter). Generated slips that happen to be real words are discarded, because no
dictionary check can see a real-word error; Wikipedia misspellings are kept as they are,
even those that are real words ('loosing'), so they count as misses.
"""

import random
import re
from dataclasses import dataclass, field

from masthead.editorial.lexicon import Lexicon, english
from masthead.editorial.story import LeadImage, Story, build_story
from tests.corpora import DATA

MISSPELLINGS_FILE = DATA / "wikipedia-common-misspellings" / "for_machines.txt"


@dataclass(frozen=True)
class Person:
    first: str
    last: str
    title: str  # written before the name: 'Foreign Minister'
    reordered: str  # the same title in another word order
    other: str  # a different title, for seeding a contradiction

    @property
    def full(self) -> str:
        return f"{self.first} {self.last}"


PEOPLE = [
    Person("Irina", "Valek", "Foreign Minister", "Minister of Foreign Affairs", "Finance Minister"),
    Person("Emil", "Brandt-Osei", "Central Bank Governor", "Governor of the Central Bank", "Deputy Finance Minister"),
    Person("Pavel", "Ouros", "Energy Minister", "Minister of Energy", "Trade Minister"),
    Person("Leyla", "Korhan", "Council Chair", "Chair of the Council", "Deputy Director"),
    Person("Nadia", "Siromak", "Electoral Commission Chair", "Chair of the Electoral Commission", "Commission Spokeswoman"),
    Person("Hana", "Vetrova", "Union Leader", "Leader of the Union", "Port Director"),
    Person("Arman", "Delis", "City Council Leader", "Leader of the City Council", "Harbour Director"),
    Person("Tomas", "Adrel", "Interior Minister", "Minister of the Interior", "Justice Minister"),
    Person("Marta", "Oskuri", "Trade Minister", "Minister of Trade", "Energy Adviser"),
    Person("Dario", "Fenwick-Lau", "Port Authority Director", "Director of the Port Authority", "Grid Spokesman"),
    Person("Selin", "Arvaja", "Health Minister", "Minister of Health", "Education Minister"),
    Person("Bruno", "Kessel", "Water Authority Chief", "Chief of the Water Authority", "Deputy Mayor"),
]  # fmt: skip
# People quoted once, known to nobody: their names must not trip the name check.
RESIDENTS = [
    "Oskar Tamm", "Lina Sorvik", "Petra Halloran", "Ivo Maretti", "Dana Kowell",
    "Rafi Oduya", "Elsa Brunner", "Timo Rask", "Greta Lindqvist", "Samir Habbad",
    "Yusuf Demren", "Clara Benedek", "Mikko Varis", "Ruth Ambler", "Jana Holub",
]  # fmt: skip
RESIDENT_ROLES = [
    "a dock worker", "a teacher", "a shop owner", "a farmer", "a nurse", "a retired engineer",
    "a fisherman", "a student", "a taxi driver", "a baker",
]  # fmt: skip
PLACES = ["Marevia", "Dastan", "Kolvenia", "Serel", "Tesk", "Varsk", "Port Halden", "Osrin"]
ORGANISATIONS = [
    "Sarvan Cooperation Council", "Northern Grid Consortium", "Harbour Workers' Union",
    "Kolvenian Water Authority", "Dastani Electoral Commission",
]  # fmt: skip
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]  # fmt: skip
SUBJECTS = {
    "energy": ("the pipeline", "gas prices", "the power grid", "the new interconnector"),
    "water": ("the reservoir", "the drought", "river levels", "the irrigation plan"),
    "harbour": ("the strike", "the port", "night shifts", "the container terminal"),
    "elections": ("the vote", "the count", "the new voting rules", "turnout"),
    "trade": ("the tariff deal", "export permits", "the customs agreement", "grain shipments"),
}

LEADS = [
    "{P} said on {date} that {subject} would be settled before the end of the year.",
    "{P} promised on {date} to publish the full terms of {subject} within a month.",
    "{P} told parliament on {date} that {subject} had cost the country {n} jobs so far.",
    "Talks on {subject} resumed in {place} on {date}, with {P} leading the delegation.",
]
SENTENCES = [
    "Officials in {place} said the plan would cost about {money} million over three years.",
    "The government has faced growing criticism over {subject} since the spring.",
    "Opposition parties want an independent review before any money is spent.",
    "About {n} people live in the districts most affected, according to the latest census.",
    "Prices rose by {pc} in the last quarter, the statistics office said.",
    "The {org} is expected to publish its own assessment next month.",
    "A previous agreement collapsed in {year} after a dispute over who would pay for repairs.",
    "Residents of {place} have complained for years that nobody consults them.",
    "Engineers warned that the work could take longer than ministers have promised.",
    "The figures were confirmed by two officials who were not authorised to speak publicly.",
    "Exports through {place} fell by {pc} compared with the same period last year.",
    "The committee will meet again on {date} to review progress.",
    "Several hundred people gathered outside the ministry building in {place}.",
    "Budget documents show that {money} million has been set aside for compensation.",
    "Unemployment in the region stands at {pc}, well above the national average.",
    "Neighbouring countries are watching the negotiations closely.",
    "Local businesses say the uncertainty has already cost them customers.",
    "The proposal would also create a fund to help families who lose their homes.",
    "Critics argue that the timetable leaves too little room for public debate.",
    "Police estimated that {n} people took part in the march on {date}.",
    "The decision followed months of pressure from farmers and local councils.",
    "A final report is due before the end of the summer.",
    "The agreement still needs the approval of parliament in {place}.",
    "Environmental groups have threatened to challenge the plan in court.",
    "Shipping companies have delayed new orders until the rules are clear.",
]
QUOTES = [
    "We cannot ask families to wait another winter for an answer",
    "This agreement protects jobs and it protects the coast",
    "Nobody in this room wants the talks to fail again",
    "The numbers we have seen so far do not add up",
    "Our members will not accept a deal written behind closed doors",
    "We have heard these promises before and nothing has changed",
    "The money has to reach the people who actually need it",
    "Every week of delay makes the final bill more expensive",
    "I am confident that we will reach a fair settlement soon",
    "The river does not care about borders and neither should we",
    "People here are tired of being told to be patient",
    "We will publish every document so that citizens can judge for themselves",
]
SAID = ["{S} said.", "{S} told reporters.", "{S} added.", "said {S}."]
HEADLINES = [
    "{S} sets out plan for {subject} in {place}",
    "{place} waits for answers on {subject}",
    "Talks on {subject} resume as {S} faces pressure",
    "{S} promises deal on {subject} by year end",
    "Anger in {place} over delays to {subject}",
]
STANDFIRSTS = [
    "The government says a deal is close, but residents and unions want guarantees first.",
    "Ministers face a deadline at the end of the month and little room for compromise.",
    "A decision is expected within weeks, and the cost could reach hundreds of millions.",
]
CAPTIONS = [
    "Delegates arrive for talks in {place}",
    "Workers at the harbour in {place}",
    "The reservoir above {place} in late summer",
]


@dataclass
class Label:
    check: str
    field: str
    start: int = 0
    end: int = 0
    rule: str = ""
    note: str = ""


@dataclass
class CorpusStory:
    key: str
    story: Story
    labels: list[Label] = field(default_factory=list)
    seeded: bool = True


def misspellings() -> dict[str, list[str]]:
    """Return correct word -> common misspellings from the Wikipedia list (in the checkout)."""
    table: dict[str, list[str]] = {}
    for line in MISSPELLINGS_FILE.read_text(encoding="utf-8").splitlines():
        wrong, _, right = line.partition("->")
        if wrong.isalpha() and wrong.islower() and right.isalpha() and right.islower():
            table.setdefault(right, []).append(wrong)
    return table


def newsroom_lexicon() -> Lexicon:
    """Return the dictionary a newsroom that covers this region would have learned."""
    from masthead.editorial.newsroom import _name_parts, people_names

    canonical = set()
    for name in [p.full for p in PEOPLE] + PLACES + ORGANISATIONS:
        canonical.update(
            w for w in _name_parts(name.replace("'", "")) if not english().get(w.lower())
        )
    # The editable word list: house vocabulary the English dictionary lacks.
    return Lexicon(
        words={"interconnector"},
        canonical=canonical,
        **people_names([p.full for p in PEOPLE]),
    )


class _Writer:
    """Builds one story: a headline, a standfirst and paragraphs, all consistent."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.topic = rng.choice(list(SUBJECTS))
        self.people = rng.sample(PEOPLE, 2)
        self.place = rng.choice(PLACES)
        self.month = rng.choice(MONTHS)
        self.introduced: set[str] = set()
        self.quotes: list[str] = []

    def _date(self) -> str:
        return f"{self.rng.randint(1, 28)} {self.month}"

    def fill(self, template: str, person: Person | None = None) -> str:
        rng = self.rng
        person = person or self.people[0]
        values = {
            "subject": rng.choice(SUBJECTS[self.topic]),
            "place": self.place if rng.random() < 0.6 else rng.choice(PLACES),
            "org": rng.choice(ORGANISATIONS),
            "date": self._date(),
            "n": f"{rng.randint(2, 90)},{rng.randint(0, 999):03d}",
            "pc": f"{rng.randint(2, 19)} per cent",
            "money": str(rng.randint(12, 900)),
            "year": str(rng.randint(2009, 2022)),
            "S": person.last,
        }
        if "{P}" in template:
            if person.full in self.introduced:
                values["P"] = person.last
            else:
                values["P"] = f"{person.title} {person.full}"
                self.introduced.add(person.full)
        text = template.format(**values)
        return text[0].upper() + text[1:]

    def _fresh_quote(self) -> str:
        # A story never repeats a quotation; it would be a repeated paragraph.
        if not self.quotes:
            self.quotes = self.rng.sample(QUOTES, len(QUOTES))
        return self.quotes.pop()

    def quote(self, person: Person) -> str:
        words = self._fresh_quote()
        said = self.rng.choice(SAID).format(S=person.last)
        return f"“{words},” {said}"

    def resident_quote(self, name: str) -> str:
        role = self.rng.choice(RESIDENT_ROLES)
        return f"“{self._fresh_quote()},” said {name}, {role} from {self.place}."

    def paragraphs(self, count: int) -> list[str]:
        rng = self.rng
        first, second = self.people
        out = [self.fill(rng.choice(LEADS), first)]
        out.append(" ".join(self.fill(s) for s in rng.sample(SENTENCES, 2)))
        out.append(self.quote(first))
        out.append(
            self.fill(
                "{P} said the proposal was still being studied. " + rng.choice(SENTENCES), second
            )
        )
        pool = rng.sample(SENTENCES, len(SENTENCES))
        while len(out) < count:
            kind = rng.random()
            if kind < 0.25:
                out.append(self.quote(rng.choice(self.people)))
            elif kind < 0.35:
                out.append(self.resident_quote(rng.choice(RESIDENTS)))
            else:
                picks = [
                    pool.pop() if pool else rng.choice(SENTENCES) for _ in range(rng.randint(2, 3))
                ]
                out.append(" ".join(self.fill(s) for s in picks))
        return out


def _story(rng: random.Random, paragraphs: int) -> tuple[_Writer, Story]:
    writer = _Writer(rng)
    body = writer.paragraphs(paragraphs)
    headline = writer.fill(rng.choice(HEADLINES))
    story = build_story(
        headline,
        body,
        standfirst=rng.choice(STANDFIRSTS),
        source="",
        authors=["Mira Castellan"],
        section="News",
        topics=[writer.topic.capitalize()],
        has_lead_image=True,
        lead_image=LeadImage(
            caption=writer.fill(rng.choice(CAPTIONS)),
            credit="Ana Rivas",
            alt="A crowd of people on a quay",
        ),
    )
    return writer, story


class _Seeder:
    """Applies mistakes to a story's body and keeps every label's span up to date."""

    def __init__(self, story: Story, rng: random.Random, table: dict[str, list[str]]):
        self.story = story
        self.rng = rng
        self.table = table
        self.labels: list[Label] = []
        self.reserved: set[str] = set()

    def body(self) -> list:
        return [s for s in self.story.paragraphs if s.field not in self.reserved]

    def replace(self, segment, start: int, end: int, new: str) -> tuple[int, int]:
        delta = len(new) - (end - start)
        segment.text = segment.text[:start] + new + segment.text[end:]
        for label in self.labels:
            if label.field == segment.field and label.start >= end:
                label.start += delta
                label.end += delta
        return start, start + len(new)

    def label(self, check, segment, start, end, rule="", note=""):
        self.labels.append(Label(check, segment.field, start, end, rule, note))

    def append_paragraph(self, text: str):
        from masthead.editorial.story import Segment

        index = len(self.story.paragraphs)
        segment = Segment(f"body.{index}", f"Body, paragraph {index + 1}", text, "paragraph")
        self.story.segments.append(segment)
        self.reserved.add(segment.field)
        return segment

    # Spelling -----------------------------------------------------------------

    def _slip(self, word: str) -> str:
        rng = self.rng
        for _attempt in range(20):
            i = rng.randint(1, len(word) - 2)
            op = rng.choice(("drop", "double", "swap"))
            if op == "drop":
                wrong = word[:i] + word[i + 1 :]
            elif op == "double":
                wrong = word[:i] + word[i] + word[i:]
            else:
                wrong = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
            if wrong != word and wrong not in english():
                return wrong
        return ""

    def spelling(self, count: int = 2):
        candidates = []
        for segment in self.body():
            for match in re.finditer(r"(?<![’'\w-])[a-z]{4,}(?![’'\w-])", segment.text):
                candidates.append((segment, match.start(), match.group()))
        self.rng.shuffle(candidates)
        used = set()
        done = 0
        for segment, start, word in candidates:
            if done >= count or (segment.field in used):
                continue
            if self.table.get(word) and self.rng.random() < 0.6:
                wrong, source = self.rng.choice(self.table[word]), "wikipedia"
            else:
                wrong, source = self._slip(word), "slip"
            if not wrong:
                continue
            s, e = self.replace(segment, start, start + len(word), wrong)
            self.label("spelling", segment, s, e, note=f"{source}:{word}")
            used.add(segment.field)
            self.reserved.add(segment.field)
            done += 1

    # Names --------------------------------------------------------------------

    def _variant(self, name: str) -> str:
        rng = self.rng
        vowels = {"a": "e", "e": "a", "i": "y", "o": "u", "u": "o", "y": "i"}
        for _attempt in range(20):
            i = rng.randint(1, len(name) - 1)
            op = rng.choice(("double", "vowel", "drop", "k"))
            ch = name[i]
            if op == "double" and ch.isalpha():
                wrong = name[:i] + ch + name[i:]
            elif op == "vowel" and ch in vowels:
                wrong = name[:i] + vowels[ch] + name[i + 1 :]
            elif op == "drop" and ch.isalpha() and len(name) > 5 and name[i - 1] != "-":
                wrong = name[:i] + name[i + 1 :]
            elif op == "k" and ch in "kc":
                wrong = name[:i] + {"k": "ck", "c": "k"}[ch] + name[i + 1 :]
            else:
                continue
            if wrong != name:
                return wrong
        return name + name[-1]

    def _occurrences(self, word: str):
        found = []
        for segment in self.story.paragraphs:
            for match in re.finditer(rf"\b{re.escape(word)}\b", segment.text):
                found.append((segment, match.start()))
        return found

    def names(self, people: list[Person]):
        """Misspell one later mention (inside the story) or every mention (vs the newsroom)."""
        if self.rng.random() < 0.5:
            for person in people:
                occurrences = [
                    o for o in self._occurrences(person.last) if o[0].field not in self.reserved
                ]
                if len(occurrences) >= 2:
                    segment, start = self.rng.choice(occurrences[1:])
                    wrong = self._variant(person.last)
                    s, e = self.replace(segment, start, start + len(person.last), wrong)
                    self.label("names", segment, s, e, note=f"story:{person.last}->{wrong}")
                    self.reserved.add(segment.field)
                    return
        # Every mention of a place spelt one wrong way: only the newsroom knows better.
        places = [p for p in PLACES if " " not in p and self._occurrences(p)]
        target = self.rng.choice(places) if places else people[0].last
        wrong = self._variant(target)
        for segment, _start in self._occurrences(target):
            for match in reversed(list(re.finditer(rf"\b{re.escape(target)}\b", segment.text))):
                s, e = self.replace(segment, match.start(), match.end(), wrong)
                self.label("names", segment, s, e, note=f"newsroom:{target}->{wrong}")

    # Titles -------------------------------------------------------------------

    def titles(self, person: Person):
        # After the paragraphs that introduce both people with their titles.
        later = [s for s in self.body() if int(s.field.split(".")[1]) >= 4]
        segment = self.rng.choice(later or self.body())
        reorder = self.rng.random() < 0.5
        title = person.reordered if reorder else person.other
        prefix = segment.text + " "
        sentence = f"{person.full}, {title}, declined to comment on the timetable."
        start = len(prefix) + len(person.full) + 2
        segment.text = prefix + sentence
        self.label(
            "titles", segment, start, start + len(title), note="order" if reorder else "different"
        )
        self.reserved.add(segment.field)

    # Mechanics ----------------------------------------------------------------

    def mechanics(self, kinds: list[str]):
        for kind in kinds:
            getattr(self, f"_m_{kind}")()

    def _m_repeated_word(self):
        segment = self.rng.choice(self.body())
        matches = list(re.finditer(r"\b(the|to|of|and|in|a)\b", segment.text))
        if not matches:
            return
        m = self.rng.choice(matches)
        s, e = self.replace(segment, m.start(), m.end(), f"{m.group()} {m.group()}")
        self.label("mechanics", segment, s, e, rule="mechanics.repeated_word")
        self.reserved.add(segment.field)

    def _m_repeated_paragraph(self):
        candidates = [s for s in self.body() if len(s.text) >= 60]
        if not candidates:
            return
        original = self.rng.choice(candidates)
        self.reserved.add(original.field)
        copy = self.append_paragraph(original.text)
        self.label("mechanics", copy, 0, len(copy.text), rule="mechanics.repeated_paragraph")

    def _m_unbalanced_quote(self):
        quoted = [s for s in self.body() if "”" in s.text]
        if not quoted:
            return
        segment = self.rng.choice(quoted)
        close = segment.text.index("”")
        open_ = segment.text.index("“")
        self.replace(segment, close, close + 1, "")
        self.label("mechanics", segment, open_, open_ + 1, rule="mechanics.unbalanced_quotes")
        self.reserved.add(segment.field)

    def _m_unbalanced_bracket(self):
        segment = self.rng.choice(self.body())
        end = segment.text.find(". ")
        if end < 0:
            end = len(segment.text) - 1
        s, e = self.replace(segment, end, end, " (the second such plan this year")
        self.label("mechanics", segment, s + 1, s + 2, rule="mechanics.unbalanced_brackets")
        self.reserved.add(segment.field)

    def _m_unattributed_quote(self):
        words = self.rng.choice(QUOTES)
        segment = self.append_paragraph(f"“{words}.” The mood in the hall was tense.")
        self.label("mechanics", segment, 0, len(words) + 3, rule="mechanics.unattributed_quote")

    def _ensure_two(self, pattern: str, sentence: str):
        """Add a sentence in the house style so that the story writes the thing twice."""
        hits = sum(len(re.findall(pattern, s.text)) for s in self.story.paragraphs)
        if hits < 2:
            segment = self.rng.choice(self.body())
            segment.text += " " + sentence
            self.reserved.add(segment.field)

    def _m_date_style(self):
        date = rf"\b\d{{1,2}} (?:{'|'.join(MONTHS)})\b"
        self._ensure_two(date, "The committee will meet again on 30 June to review progress.")
        for segment in self.body():
            m = re.search(rf"\b(\d{{1,2}}) ({'|'.join(MONTHS)})\b", segment.text)
            if m:
                s, e = self.replace(segment, m.start(), m.end(), f"{m.group(2)} {m.group(1)}")
                self.label("mechanics", segment, s, e, rule="mechanics.date_style")
                self.reserved.add(segment.field)
                return

    def _m_number_style(self):
        self._ensure_two(r"\b\d+ per cent\b", "Turnout was 61 per cent, the commission said.")
        for segment in self.body():
            m = re.search(r"\b(\d+) per cent\b", segment.text)
            if m:
                s, e = self.replace(segment, m.start(), m.end(), f"{m.group(1)}%")
                self.label("mechanics", segment, s, e, rule="mechanics.number_style")
                self.reserved.add(segment.field)
                return

    def _m_thousands_style(self):
        self._ensure_two(r"\b\d{1,3},\d{3}\b", "Some 14,500 households were affected.")
        for segment in self.body():
            m = re.search(r"\b(\d{1,3}),(\d{3})\b", segment.text)
            if m:
                new = m.group().replace(",", "")
                s, e = self.replace(segment, m.start(), m.end(), new)
                self.label("mechanics", segment, s, e, rule="mechanics.number_style")
                self.reserved.add(segment.field)
                return

    # Completeness -------------------------------------------------------------

    def completeness(self, kind: str):
        story = self.story
        rules = {
            "standfirst": ("standfirst", "completeness.standfirst"),
            "caption": ("lead_image_caption", "completeness.caption"),
            "credit": ("lead_image_credit", "completeness.credit"),
            "alt_text": ("lead_image", "completeness.alt_text"),
            "source": ("source_name", "completeness.source"),
            "topic": ("topics", "completeness.topic"),
            "headline_length": ("title", "completeness.headline_length"),
        }
        field_name, rule = rules[kind]
        if kind == "standfirst":
            story.standfirst = ""
            story.segments = [s for s in story.segments if s.field != "standfirst"]
        elif kind in ("caption", "credit", "alt_text"):
            image = story.lead_image
            attr = {"caption": "caption", "credit": "credit", "alt_text": "alt"}[kind]
            setattr(image, attr, "")
        elif kind == "source":
            story.source, story.authors = "", []
        elif kind == "topic":
            story.topics = []
        else:
            story.headline += " as ministers, unions and residents argue over who should pay"
            story.segments[0].text = story.headline
        self.labels.append(Label("completeness", field_name, rule=rule))


MECHANICS_KINDS = [
    "repeated_word",
    "repeated_paragraph",
    "unbalanced_quote",
    "unbalanced_bracket",
    "unattributed_quote",
    "date_style",
    "number_style",
    "thousands_style",
]
COMPLETENESS_KINDS = [
    "standfirst",
    "caption",
    "credit",
    "alt_text",
    "source",
    "topic",
    "headline_length",
]


def build_corpus(seeded: int = 120, clean: int = 40, seed: int = 2026) -> list[CorpusStory]:
    """Return ``seeded`` stories with labelled mistakes of every kind and ``clean`` ones."""
    rng = random.Random(seed)
    table = misspellings()
    corpus = []
    for index in range(seeded):
        writer, story = _story(rng, rng.randint(9, 14))
        seeder = _Seeder(story, rng, table)
        first = MECHANICS_KINDS[index % len(MECHANICS_KINDS)]
        seeder.mechanics([first, rng.choice([k for k in MECHANICS_KINDS if k != first])])
        seeder.titles(writer.people[index % 2])
        seeder.names(writer.people)
        seeder.spelling(2)
        seeder.completeness(COMPLETENESS_KINDS[index % len(COMPLETENESS_KINDS)])
        corpus.append(CorpusStory(f"seeded-{index:03d}", story, seeder.labels))
    for index in range(clean):
        _writer, story = _story(rng, rng.randint(10, 16))
        corpus.append(CorpusStory(f"clean-{index:03d}", story, [], seeded=False))
    return corpus
