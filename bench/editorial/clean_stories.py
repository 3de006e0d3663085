"""Hand-written clean stories: free prose, not built from the corpus templates.

They exist to measure false findings on text the rules were not shaped around. Every
person, place and event is invented (the demo newsroom's region); none is copied from a
real publication. They are meant to be free of mistakes; a finding on them is false.
"""

from masthead.editorial.story import LeadImage, build_story

from .corpus import CorpusStory

STORIES = [
    (
        "Ferry crews in Port Halden vote to end three-week stoppage",
        "The deal restores night sailings to the islands from Monday, but the union says "
        "pay talks are far from over.",
        [
            "Ferry crews in Port Halden voted on Thursday to return to work after a "
            "three-week stoppage that left the outer islands without a night service and "
            "stranded hundreds of commuters on the mainland.",
            "The Harbour Workers' Union said 812 of its members took part in the ballot "
            "and that a clear majority backed the offer, which raises overtime rates and "
            "caps the length of a shift at eleven hours.",
            "“It isn't everything we asked for, and nobody is pretending it is,” said Hana "
            "Vetrova, the union's leader, outside the ballot hall. “But the crews have been "
            "heard, and that matters after a winter like this one.”",
            "The ferry company, which is owned by the city, said sailings would resume on "
            "Monday morning. A spokeswoman said the cost of the settlement would be met from "
            "reserves rather than from higher fares, at least until the end of the year.",
            "Islanders have borne the brunt of the dispute. On Saltholm, the largest of the "
            "islands, the only pharmacy ran short of some prescriptions last week because "
            "deliveries could not cross after dark.",
            "“We managed, because people here always manage,” said Greta Lindqvist, who "
            "runs a guesthouse near the harbour. “But I wouldn't want to do it again.”",
            "The agreement runs for eighteen months. Pay for the coming year will be "
            "negotiated separately, and Vetrova warned that the union would not rule out "
            "further action if those talks stalled.",
        ],
    ),
    (
        "Kolvenia's reservoirs fall to their lowest level in a decade",
        "Farmers downstream fear that water for irrigation will be rationed before the harvest.",
        [
            "The reservoirs that feed Kolvenia's rivers have fallen to their lowest level "
            "in ten years after the driest spring on record, the Kolvenian Water Authority "
            "said on Tuesday.",
            "Figures published by the authority show the three largest lakes holding just "
            "over a third of their capacity. In an average year they would be close to full "
            "by the start of June.",
            "Bruno Kessel, who heads the authority, said there was no immediate risk to "
            "drinking water but that irrigation would have to be managed carefully through "
            "the summer. He declined to say whether rationing was likely.",
            "Downstream, in the farming districts along the border with Serel, growers are "
            "less patient. Many have already planted less maize than usual, and some have "
            "switched to crops that need less water.",
            "“If the sluices close in July, we lose the whole season,” said Samir Habbad, "
            "who farms forty hectares near the river. “Nobody in the capital seems to "
            "understand that.”",
            "Engineers have long argued that the dams need to be modernised. A report "
            "commissioned in 2019 recommended new gates and better monitoring, but most of "
            "its proposals were never funded.",
            "The authority said it would publish weekly figures from now on, so that "
            "farmers could plan ahead.",
        ],
    ),
    (
        "Dastan's electoral commission defends new counting rules",
        "Observers had asked for the changes to be delayed until after the autumn vote.",
        [
            "Dastan's electoral commission has rejected calls to postpone new rules for "
            "counting postal ballots, saying the changes are needed to speed up results "
            "and will be tested well before polling day.",
            "Under the rules, postal votes will be counted in regional centres rather than "
            "in the capital, and the results sent electronically. The commission says this "
            "will shorten the count by at least a day.",
            "Nadia Siromak, who chairs the commission, told a press conference that every "
            "centre would be open to observers and that paper records would be kept for "
            "any recount. “The ballots don't change; only the place where they are counted "
            "does,” she said.",
            "Opposition parties are unconvinced. In a joint letter, three of them asked for "
            "the reform to be delayed until next year, arguing that staff in the regions had "
            "too little time to be trained.",
            "International observers have also raised questions. A mission that monitored "
            "the last election noted in its report that some regional offices had struggled "
            "to cope with a smaller workload.",
            "The commission plans a trial count next month, using ballots from a mock "
            "election held in two districts. Its results will be made public.",
        ],
    ),
    (
        "Tesk opens its first flood shelter on the river delta",
        "The building can house 400 people and is meant to be the first of five.",
        [
            "The city of Tesk has opened the first of five shelters designed to protect "
            "residents of the low-lying delta when the river floods, a risk that engineers "
            "say is growing every year.",
            "The shelter, a three-storey concrete building on stilts, can house about 400 "
            "people for up to a week. It has its own generators, a water tank and a small "
            "clinic, and in dry months it will serve as a community centre.",
            "Arman Delis, the mayor, said the project had taken longer than planned but "
            "that the city had learnt from the floods two years ago, when thousands of "
            "people spent nights on rooftops waiting for boats.",
            "“We can't stop the water, but we can make sure nobody is left on a roof again,” "
            "Delis said at the opening.",
            "Residents were cautiously welcoming. Clara Benedek, a nurse who lives two "
            "streets away, said the shelter was a good start but that many older people "
            "would need help to reach it in time.",
            "The remaining four shelters are due to be finished by 2028. The city has asked "
            "the national government to cover part of the cost, which it puts at 38 million.",
        ],
    ),
    (
        "Council ministers agree to study a regional power market",
        "A working group will report within a year on how the four grids could share electricity.",
        [
            "Energy ministers from the four members of the Sarvan Cooperation Council have "
            "agreed to study whether their national grids could be joined into a single "
            "regional market, a step that officials describe as modest but overdue.",
            "Meeting in Varsk on Friday, the ministers set up a working group of engineers "
            "and regulators, which is due to report within twelve months. Its brief covers "
            "prices, cross-border cables and how to share the cost of new lines.",
            "Kolvenia, which produces more hydroelectric power than it uses in wet years, "
            "has pushed for the idea for some time. Its energy minister, Pavel Ouros, said "
            "a shared market would cut bills and make the region less dependent on imported "
            "gas.",
            "Not everyone is enthusiastic. Business groups in Marevia worry that prices "
            "would rise at home if cheaper power flowed abroad, and trade unions have asked "
            "for guarantees that jobs at existing plants would be protected.",
            "Leyla Korhan, the council's secretary-general, called the agreement a "
            "beginning rather than a decision. “The ministers have agreed to ask the right "
            "questions,” she told reporters. “The answers will take longer.”",
        ],
    ),
    (
        "Bakers in Osrin turn to local grain as import costs climb",
        "A co-operative of small mills has doubled its output since the spring.",
        [
            "Bakeries in the market town of Osrin have begun buying flour from a co-operative "
            "of local mills, after the cost of imported wheat rose sharply over the winter.",
            "The co-operative, which was set up by six families in the hills above the town, "
            "has doubled its output since April. Its members say they could grow further if "
            "they could find more storage.",
            "“Two years ago nobody wanted our flour; now we have a waiting list,” said Mikko "
            "Varis, who runs one of the mills with his brother.",
            "For customers, the change has been mostly invisible. The bread costs about the "
            "same, bakers say, although some loaves are denser than before and a few regulars "
            "have complained.",
            "Ruth Ambler, who has baked in the old town for twenty-two years, said she was "
            "happy to pay a little more for grain she could trace to a field she knew. “I "
            "like knowing the person who grew it,” she said.",
            "Economists caution that local supply cannot replace imports entirely. The hills "
            "around Osrin produce only a fraction of the wheat the region eats, and a single "
            "poor harvest could wipe out the gains.",
        ],
    ),
]


def handwritten_corpus() -> list[CorpusStory]:
    """Return the hand-written stories as clean corpus entries, fields complete."""
    corpus = []
    for index, (headline, standfirst, paragraphs) in enumerate(STORIES):
        story = build_story(
            headline,
            paragraphs,
            standfirst=standfirst,
            source="",
            authors=["Sofia Tarrant"],
            section="News",
            topics=["Economy"],
            has_lead_image=True,
            lead_image=LeadImage("A view of the harbour", "Ana Rivas", "Boats at a quay"),
        )
        corpus.append(CorpusStory(f"handwritten-{index}", story, [], seeded=False))
    return corpus


def seeded_handwritten(variants: int = 10, seed: int = 11) -> list[CorpusStory]:
    """Return the hand-written stories with spelling, name and mechanics mistakes seeded.

    The same seeding as the generated corpus, applied to prose the templates did not
    produce, so recall can be compared on independent text. Titles and completeness are
    left out: these stories write titles in lower case after the name.
    """
    import copy
    import random

    from .corpus import PEOPLE, _Seeder, misspellings

    table = misspellings()
    rng = random.Random(seed)
    kinds = ["repeated_word", "unbalanced_bracket", "unattributed_quote", "repeated_paragraph"]
    corpus = []
    for index, item in enumerate(handwritten_corpus()):
        for variant in range(variants):
            story = copy.deepcopy(item.story)
            seeder = _Seeder(story, rng, table)
            seeder.mechanics([kinds[variant % len(kinds)]])
            text = " ".join(s.text for s in story.paragraphs)
            seeder.names([p for p in PEOPLE if p.last in text] or PEOPLE[:1])
            seeder.spelling(2)
            corpus.append(CorpusStory(f"handwritten-{index}-{variant}", story, seeder.labels))
    return corpus
