"""A labelled corpus of invented stories for measuring related-story quality.

Written for Masthead; every name, place and event is invented. Twelve running stories
share places (Port Halden, Lindmark, Varsk), people (a finance minister in three of
them, a mayor in three, a health minister in two) and topics (economy, transport,
health, climate), and every story carries generic newsroom sentences and a mention of
another running story, so telling them apart takes more than one shared word.
"""

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from masthead.discovery.similarity import StoryText

# People who appear in more than one running story.
BRANDT = ("Oskar Brandt", "the finance minister")
VALEK = ("Irina Valek", "the foreign minister")
OKAFOR = ("Selma Okafor", "the mayor of Lindmark")
FAROUK = ("Nadia Farouk", "the health minister")
ADREL = ("Tomas Adrel", "Dastan's transport envoy")

STORYLINES = [
    {
        "key": "border-talks",
        "topics": ["marevia", "dastan", "diplomacy"],
        "people": [VALEK, ADREL, ("Leyla Korhan", "the council's mediator")],
        "place": "Port Halden",
        "subjects": ["the Varsk crossing", "customs inspections", "the border talks"],
        "events": [
            "agree to reopen talks on the Varsk crossing",
            "clash over customs inspections at the border",
            "propose neutral observers for the Varsk crossing",
            "meet mediators as the border stays shut",
            "sign a deal to reopen the crossing to grain",
            "accuse each other of stalling the border talks",
            "set a deadline for a border inspection regime",
        ],
        "details": [
            "Negotiators from Marevia and Dastan met for six hours without agreeing who inspects cargo at the Varsk crossing.",
            "The crossing has been closed since a dispute over customs seals and smuggled fuel.",
            "Lorry drivers have queued for days on the road to Varsk waiting for the border to reopen.",
            "Mediators from the Sarvan Cooperation Council offered to station observers at the border post.",
            "A joint inspection regime would let both customs services check sealed cargo together.",
            "Diplomats said the grain harvest deadline puts pressure on both delegations.",
            "The border talks are the first formal contact between the two foreign ministries this year.",
            "Dastan wants its own inspectors at the crossing, which Marevia has refused.",
        ],
        "quotes": [
            "The crossing must reopen before the harvest, or farmers on both sides pay the price.",
            "We will not accept inspections that treat our exporters as smugglers.",
            "Observers can build the trust that the negotiators have not yet found.",
        ],
    },
    {
        "key": "fishing-quotas",
        "topics": ["marevia", "fisheries", "diplomacy"],
        "people": [VALEK, ("Pol Verhoeven", "head of the fishermen's association")],
        "place": "Port Halden",
        "subjects": ["the Sarn Strait quotas", "the herring catch", "trawler licences"],
        "events": [
            "cut herring quotas in the Sarn Strait",
            "seize a trawler fishing without a licence",
            "protest at the harbour over the herring catch",
            "reach a quota deal for the Sarn Strait",
            "warn that cod stocks are collapsing",
            "tie up the fishing fleet in protest",
        ],
        "details": [
            "Fishing crews say the new herring quota halves what a trawler may land each season.",
            "Scientists warned that cod and herring stocks in the Sarn Strait are at their lowest on record.",
            "The coastguard boarded a trawler that had been fishing without a valid licence.",
            "Fishermen moored their boats across the harbour mouth to protest against the quotas.",
            "The quota talks decide how much of the Sarn Strait catch each country's fleet may take.",
            "Fish processors in Port Halden said a smaller catch would cost hundreds of jobs on the quayside.",
            "Marine biologists want a closed season while the herring spawn.",
            "Licences for foreign trawlers are at the heart of the fishing dispute.",
        ],
        "quotes": [
            "A quota this small ties up half the fleet for the winter.",
            "If we fish the strait empty now there will be nothing left for our children.",
            "The herring do not know where the border is, so the quota must be shared.",
        ],
    },
    {
        "key": "port-strike",
        "topics": ["port-halden", "labour", "economy"],
        "people": [("Ada Mensah", "leader of the dockworkers' union"), BRANDT],
        "place": "Port Halden",
        "subjects": ["the dock strike", "the container terminal", "dockworkers' pay"],
        "events": [
            "walk out at the Port Halden container terminal",
            "reject the terminal operator's pay offer",
            "extend the dock strike for another week",
            "warn of shortages as ships wait outside the port",
            "return to work after a pay deal at the docks",
            "hold a ballot on the dockworkers' pay offer",
        ],
        "details": [
            "Dockworkers stopped loading ships at the container terminal after pay talks broke down.",
            "Container ships are anchored outside the harbour waiting for cranes to restart.",
            "The union says crane operators have had no pay rise in three years.",
            "The terminal operator offered a four per cent rise, which union members rejected in a ballot.",
            "Retailers warned that shelves could empty if the dock strike continues.",
            "Picket lines formed at every gate of the container terminal before dawn.",
            "The strike has left thousands of containers stranded on the quayside.",
            "Shift patterns and overtime rates are the other sticking points in the dispute.",
        ],
        "quotes": [
            "Our members keep this port running and they deserve a fair wage.",
            "Every day the cranes stand still costs the economy money we cannot spare.",
            "The offer on the table is final and generous.",
        ],
    },
    {
        "key": "budget",
        "topics": ["parliament", "economy", "taxes"],
        "people": [BRANDT, ("Lena Moravec", "the opposition leader")],
        "place": "the capital",
        "subjects": ["the budget", "income tax", "public spending"],
        "events": [
            "present a budget that raises income tax",
            "defend spending cuts in the budget debate",
            "lose a budget vote on fuel duty",
            "promise to cut the deficit within two years",
            "face a rebellion over the budget",
            "pass the budget after a late-night vote",
        ],
        "details": [
            "The budget raises the top rate of income tax and freezes public sector pay.",
            "Members of parliament debated the spending plans until after midnight.",
            "The deficit reached five per cent of national output last year, the treasury said.",
            "Opposition members called the budget a tax on working families.",
            "The treasury forecasts that growth will slow to one per cent next year.",
            "Fuel duty and pension increases divided the governing coalition during the budget debate.",
            "Ratings agencies are watching whether parliament approves the spending cuts.",
            "The finance bill must pass three readings before the new tax year begins.",
        ],
        "quotes": [
            "This budget asks everyone to contribute and protects those who need it most.",
            "The government is balancing its books on the backs of working families.",
            "Without these cuts the deficit will swallow the money for schools and hospitals.",
        ],
    },
    {
        "key": "energy-prices",
        "topics": ["energy", "economy"],
        "people": [BRANDT, ("Henrik Sato", "head of the energy regulator")],
        "place": "the capital",
        "subjects": ["the energy price cap", "gas bills", "winter heating costs"],
        "events": [
            "raise the energy price cap for the winter",
            "announce help with gas bills for households",
            "warn that heating costs will double",
            "order suppliers to freeze gas tariffs",
            "propose a windfall tax on energy companies",
            "cut the price cap as wholesale gas falls",
        ],
        "details": [
            "The regulator raised the cap on household gas and electricity tariffs for the coming winter.",
            "Wholesale gas prices have tripled since the pipeline from the north was shut.",
            "Charities warned that pensioners would ration heating to pay their energy bills.",
            "Energy suppliers reported record profits while customers fell behind on bills.",
            "A windfall tax on generators would pay for a rebate on every household bill.",
            "Households on prepayment meters pay more per unit than those on direct debit.",
            "The price cap is reviewed every three months using wholesale gas prices.",
            "Suppliers must offer payment plans to customers in arrears over the winter.",
        ],
        "quotes": [
            "No family should have to choose between heating and eating this winter.",
            "The cap reflects what gas costs on the wholesale market, nothing more.",
            "Energy companies have made billions and must now pay their share.",
        ],
    },
    {
        "key": "tram-line",
        "topics": ["lindmark", "transport"],
        "people": [OKAFOR, ("Bruno Grell", "chief executive of Grell Construction")],
        "place": "Lindmark",
        "subjects": ["the tram line", "tramway works", "the Eastgate tram route"],
        "events": [
            "approve the Eastgate tram route",
            "delay the tram line by a year",
            "close streets for tramway works",
            "find the tram line over budget",
            "test the first trams on the new line",
            "open the Eastgate tram line to passengers",
        ],
        "details": [
            "Track laying on the Eastgate tram route has closed the high street to cars for months.",
            "The tram line's cost has risen because of buried utility pipes found under the road.",
            "Shopkeepers on the route say tramway works have driven customers away.",
            "The contractor blamed delays on shortages of rails and overhead wires.",
            "The first trams arrived from the factory and were tested at night on the new track.",
            "The tram line will link the railway station with the eastern estates and the university.",
            "City councillors voted to borrow more money to finish the tramway.",
            "Trams will run every six minutes at peak times once the line opens.",
        ],
        "quotes": [
            "The tram will change how this city moves for the next fifty years.",
            "We found problems under the road that nobody had mapped.",
            "My shop has lost half its trade since the tram works began.",
        ],
    },
    {
        "key": "flood-defences",
        "topics": ["lindmark", "climate"],
        "people": [OKAFOR, ("Rui Castell", "the chief flood engineer")],
        "place": "Lindmark",
        "subjects": ["the Arven flood defences", "the river barrier", "flood walls"],
        "events": [
            "evacuate streets as the Arven bursts its banks",
            "approve a new barrier on the River Arven",
            "warn that flood walls are too low",
            "count the cost of the Arven floods",
            "raise flood defences along the river",
            "test the new Arven barrier",
        ],
        "details": [
            "The River Arven rose two metres overnight and flooded hundreds of homes in the lower town.",
            "Engineers said the flood walls along the riverbank were built for a smaller storm.",
            "Residents filled sandbags as the Arven reached its highest level in forty years.",
            "Insurers estimate the flood damage at several million, much of it uninsured.",
            "A movable barrier would close across the river when storm surges push water upstream.",
            "Heavier rainfall is making floods on the Arven more frequent, hydrologists said.",
            "Pumping stations failed when the power went out during the flood.",
            "Families displaced by the floods are still living in temporary housing.",
        ],
        "quotes": [
            "The water came up through the floor faster than we could carry anything upstairs.",
            "These defences were designed for the last century's rainfall.",
            "The barrier is the only way to protect the lower town for good.",
        ],
    },
    {
        "key": "hospital",
        "topics": ["lindmark", "health"],
        "people": [FAROUK, ("Dr Amira Solberg", "medical director of Lindmark General")],
        "place": "Lindmark",
        "subjects": ["Lindmark General Hospital", "waiting lists", "the nursing shortage"],
        "events": [
            "close a ward at Lindmark General for lack of nurses",
            "report record waiting lists at the hospital",
            "recruit nurses from abroad for Lindmark General",
            "open a new emergency department",
            "cancel operations as hospital beds run out",
            "promise to cut waiting times for surgery",
        ],
        "details": [
            "Lindmark General closed a surgical ward because it could not staff night shifts with nurses.",
            "Patients waited up to eighteen months for hip and knee operations at the hospital.",
            "The emergency department treated patients on trolleys in corridors during the winter peak.",
            "Hospital managers want to recruit two hundred nurses from abroad.",
            "Doctors say bed shortages force them to cancel planned operations at short notice.",
            "The new emergency department will have twice as many treatment cubicles.",
            "Nursing unions blame low pay and burnout for the staff shortage at the hospital.",
            "Waiting lists for outpatient appointments have grown for eleven months in a row.",
        ],
        "quotes": [
            "We cannot run a ward safely without enough nurses on every shift.",
            "Every cancelled operation is a patient left in pain for longer.",
            "The new department will end the sight of patients waiting in corridors.",
        ],
    },
    {
        "key": "water-contamination",
        "topics": ["keld", "health", "environment"],
        "people": [FAROUK, ("Joris Wendt", "chief executive of Keld Water")],
        "place": "Keld",
        "subjects": ["contaminated tap water", "the Keld reservoir", "the boil-water notice"],
        "events": [
            "tell Keld households to boil their tap water",
            "trace contamination to the Keld reservoir",
            "fine the water company over the outbreak",
            "lift the boil-water notice in Keld villages",
            "find farm chemicals in the Keld reservoir",
            "treat dozens for stomach illness after the outbreak",
        ],
        "details": [
            "Thousands of households in the Keld valley were told to boil tap water after bacteria were found.",
            "Tests found parasites in water leaving the treatment works beside the Keld reservoir.",
            "Dozens of children were treated for stomach illness linked to the contaminated supply.",
            "The water company handed out bottled water from lorries in village squares.",
            "Inspectors said a filter at the treatment works had failed weeks before the outbreak.",
            "Runoff of fertiliser and slurry from farms may have polluted the reservoir.",
            "The boil-water notice stays until three clean samples are taken in a row.",
            "The water regulator opened an investigation into the company's testing records.",
        ],
        "quotes": [
            "People trusted that the water from their taps was safe, and it was not.",
            "We will not lift the notice until every sample is clean.",
            "The company must explain why a failed filter went unnoticed for weeks.",
        ],
    },
    {
        "key": "mayoral-election",
        "topics": ["lindmark", "elections"],
        "people": [OKAFOR, ("Viktor Hale", "the challenger for mayor")],
        "place": "Lindmark",
        "subjects": ["the mayoral election", "the mayoral race", "the Lindmark vote"],
        "events": [
            "launch a campaign to be mayor of Lindmark",
            "trade blows in the mayoral debate",
            "lead the mayoral race in a new poll",
            "win the Lindmark mayoral election",
            "challenge the result of the mayoral vote",
            "court voters in the final week of the campaign",
        ],
        "details": [
            "The candidates for mayor clashed over rents, rubbish collection and council tax in a televised debate.",
            "Polls put the two candidates within three points of each other a week before the vote.",
            "Turnout in the mayoral election reached fifty-two per cent, the highest in a decade.",
            "The challenger promised to freeze council tax and audit the city's accounts.",
            "Campaign volunteers knocked on doors across the city's wards every evening.",
            "Postal votes were counted separately after complaints about missing ballot papers.",
            "The election count ran through the night at the city exhibition hall.",
            "Both campaigns spent heavily on leaflets and local radio advertising.",
        ],
        "quotes": [
            "Voters want a mayor who answers their letters, not one who cuts ribbons.",
            "My record speaks for itself, and I will ask the city to judge it.",
            "Every ballot will be counted, however long the night is.",
        ],
    },
    {
        "key": "rail-freight",
        "topics": ["dastan", "transport", "trade"],
        "people": [ADREL, ("Ines Dahl", "the transport minister")],
        "place": "Varsk",
        "subjects": ["the freight railway", "the Varsk rail link", "freight wagons"],
        "events": [
            "sign a contract for the Varsk freight railway",
            "lay the first track of the Varsk rail link",
            "find cracks in a freight railway bridge",
            "run the first freight train to Varsk",
            "raise track fees for freight wagons",
            "suspend freight trains after a derailment",
        ],
        "details": [
            "The freight railway will carry containers and grain wagons between the coast and Varsk.",
            "Engineers found cracks in a railway bridge over the gorge, halting freight trains for inspection.",
            "Track gauges differ on each side, so wagons must change bogies at the Varsk railhead.",
            "A freight train derailed near the railhead, spilling grain across the line.",
            "Rail operators complained that new track access fees make freight uncompetitive with lorries.",
            "The rail link is paid for with loans from a regional development bank.",
            "Signalling on the single-track line limits it to twelve freight trains a day.",
            "Locomotives for the line are being leased until new ones are delivered.",
        ],
        "quotes": [
            "Every train on this line takes forty lorries off the road.",
            "We will not run a single wagon over that bridge until it is safe.",
            "The railway is the backbone of trade between our countries.",
        ],
    },
    {
        "key": "drought",
        "topics": ["serel", "climate", "agriculture"],
        "people": [("Mateo Quist", "the agriculture minister"), ("Hanna Roos", "a wheat farmer")],
        "place": "the Serel highlands",
        "subjects": ["the drought", "the wheat harvest", "irrigation bans"],
        "events": [
            "ban irrigation as the drought deepens",
            "declare a drought emergency in the Serel highlands",
            "warn of the worst wheat harvest in decades",
            "pay farmers hit by the drought",
            "ration water for livestock in the highlands",
            "welcome the first rain after months of drought",
        ],
        "details": [
            "No significant rain has fallen on the Serel highlands for five months.",
            "Wheat yields are expected to fall by a third as crops wither in parched fields.",
            "Farmers are selling cattle early because pasture has dried out and hay is scarce.",
            "An irrigation ban means growers may not draw water from rivers or boreholes.",
            "Wells in highland villages have run dry and water is delivered by tanker.",
            "Compensation for failed harvests will be paid per hectare of lost crops.",
            "Agronomists recommend drought-resistant seed varieties for next season.",
            "Reservoir levels in the highlands are at a fifth of their capacity.",
        ],
        "quotes": [
            "I have farmed this land for thirty years and never seen the soil so dry.",
            "Rationing water is painful, but the reservoirs must last until autumn.",
            "Without help now, young farmers will give up and leave the highlands.",
        ],
    },
]

# Sentences any story might carry: they add shared vocabulary, not signal.
GENERIC = [
    "Officials said a decision was expected before the end of the month.",
    "The government said it was following the situation closely.",
    "A spokesperson declined to comment on the details.",
    "Critics said the announcement came too late and offered too little.",
    "Local residents said they had not been consulted.",
    "The ministry will publish a report on the matter in the spring.",
    "Opposition politicians demanded an urgent statement in parliament.",
    "The figures were published on the official statistics website.",
    "Further meetings are planned for the coming weeks.",
    "The announcement was made at a press conference on the steps of the ministry.",
]
SECTIONS = ["news", "news", "analysis", "opinion", "interview"]


@dataclass
class LabelledStory:
    text: StoryText
    storyline: str


def _neighbours(line: dict) -> list[dict]:
    """Return the running stories that share a person or the place with ``line``."""
    people = set(line["people"])
    return [
        other
        for other in STORYLINES
        if other is not line and (people & set(other["people"]) or other["place"] == line["place"])
    ]


def _cap(text: str) -> str:
    return text[0].upper() + text[1:]


def generate(stories_per_line: int = 26, seed: int = 3, start: datetime | None = None):
    """Return labelled stories: ``stories_per_line`` for each of the running stories.

    Storylines run over overlapping stretches of about 120 days, so publication time
    alone cannot tell them apart.
    """
    rng = random.Random(seed)
    start = start or datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
    stories = []
    for line_index, line in enumerate(STORYLINES):
        others = [other for other in STORYLINES if other is not line]
        line_start = start + timedelta(days=line_index * 9)
        for i in range(stories_per_line):
            name, role = rng.choice(line["people"])
            event = rng.choice(line["events"])
            subject = rng.choice(line["subjects"])
            headline = rng.choice(
                [
                    f"{name} and officials {event}",
                    f"Ministers {event}",
                    f"{_cap(line['place'])}: officials {event}",
                    f"Why {subject} matters as leaders {event}",
                    f"Authorities {event}",
                ]
            )
            details = rng.sample(line["details"], 3)
            # The nearest other running story: one sharing a person or the place.
            neighbour = _neighbours(line)
            other = rng.choice(neighbour or others)
            cameo_name, cameo_role = rng.choice(other["people"])
            quote = rng.choice(line["quotes"])
            body = [
                details[0],
                f"{name}, {role}, spoke to reporters in {line['place']}.",
                f'"{quote}" said {name}.',
                rng.choice(GENERIC),
                details[1],
                f"Separately, {rng.choice(other['details'])[0].lower()}"
                f"{rng.choice(other['details'])[1:]}",
                f"Attention is divided: {rng.choice(other['subjects'])} is also on the agenda, "
                f"and {cameo_name}, {cameo_role}, is expected in {other['place']} this week.",
                rng.choice(GENERIC),
            ]
            # Tagging is as uneven as in a real newsroom: some of the storyline's topics,
            # sometimes one borrowed from the neighbouring story it mentions.
            topics = rng.sample(line["topics"], rng.randint(1, min(2, len(line["topics"]))))
            if rng.random() < 0.35:
                topics.append(rng.choice(other["topics"]))
            published = line_start + timedelta(days=i * 120 / stories_per_line, hours=i % 7)
            stories.append(
                LabelledStory(
                    text=StoryText(
                        key=f"{line['key']}-{i}",
                        headline=headline,
                        standfirst=details[2],
                        body=" ".join(body),
                        topics=topics,
                        section=rng.choice(SECTIONS),
                        published_at=published,
                    ),
                    storyline=line["key"],
                )
            )
    return stories
