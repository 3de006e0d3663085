"""A fictional region for the demo newsroom, written for Masthead.

Every place, person, organisation and event here is invented. Nothing is taken from
a real news site.
"""

PUBLICATION = "The Meridian Ledger"

SECTIONS = [
    ("news", "News", "What happened today across the Sarvan Sea region."),
    ("analysis", "Analysis", "Why it happened and what comes next."),
    ("opinion", "Opinion", "Arguments from our columnists and guests."),
    ("interview", "Interview", "Conversations with the people who make the news."),
    ("business", "Business", "Trade, money and work around the Sarvan Sea."),
]

AUTHORS = [
    (
        "mira-castellan",
        "Mira Castellan",
        "Diplomatic correspondent",
        "Mira covers the Sarvan Cooperation Council and the talks between its members.",
    ),
    (
        "jonas-ekwueme",
        "Jonas Ekwueme",
        "Politics editor",
        "Jonas has reported on four elections in Dastan and edits the politics desk.",
    ),
    (
        "sofia-tarrant",
        "Sofia Tarrant",
        "Energy and climate reporter",
        "Sofia follows the pipelines, grids and droughts that shape the region's future.",
    ),
    (
        "ruben-halloway",
        "Ruben Halloway",
        "Business correspondent",
        "Ruben writes about ports, banks and the people who work in them.",
    ),
    (
        "anouk-dimitrova",
        "Anouk Dimitrova",
        "Serel correspondent",
        "Anouk reports from Tesk on city politics, floods and the press.",
    ),
    (
        "kenji-larsson-abe",
        "Kenji Larsson-Abe",
        "Contributing columnist",
        "Kenji is a former diplomat who writes a fortnightly column on regional affairs.",
    ),
]

# slug, name, kind, description
TOPICS = [
    ("irina-valek", "Irina Valek", "person", "Foreign Minister of Marevia."),
    ("tomas-adrel", "Tomas Adrel", "person", "President of Dastan."),
    (
        "leyla-korhan",
        "Leyla Korhan",
        "person",
        "Secretary-General of the Sarvan Cooperation Council.",
    ),
    ("emil-brandt-osei", "Emil Brandt-Osei", "person", "Governor of the Marevian Central Bank."),
    ("nadia-siromak", "Nadia Siromak", "person", "Chair of the Dastani Electoral Commission."),
    ("pavel-ouros", "Pavel Ouros", "person", "Energy Minister of Kolvenia."),
    ("hana-vetrova", "Hana Vetrova", "person", "Leader of the Harbour Workers' Union."),
    ("arman-delis", "Arman Delis", "person", "Mayor of Tesk."),
    ("marevia", "Marevia", "place", "The coastal republic whose capital is Port Halden."),
    ("dastan", "Dastan", "place", "The inland state north of the Sarvan Sea."),
    ("kolvenia", "Kolvenia", "place", "The highland country that feeds the region's rivers."),
    ("serel", "Serel", "place", "The delta state around the city of Tesk."),
    (
        "sarvan-cooperation-council",
        "Sarvan Cooperation Council",
        "organisation",
        "The regional body of the four Sarvan states.",
    ),
    ("marevian-central-bank", "Marevian Central Bank", "organisation", "Marevia's central bank."),
    (
        "harbour-workers-union",
        "Harbour Workers' Union",
        "organisation",
        "The union of dock and port workers in Marevia.",
    ),
    (
        "dastani-electoral-commission",
        "Dastani Electoral Commission",
        "organisation",
        "The body that runs elections in Dastan.",
    ),
    (
        "northern-grid-consortium",
        "Northern Grid Consortium",
        "organisation",
        "The companies building the Kolvenia-Serel power and gas link.",
    ),
    (
        "kolvenian-water-authority",
        "Kolvenian Water Authority",
        "organisation",
        "The state body that manages Kolvenia's reservoirs.",
    ),
    ("diplomacy", "Diplomacy", "theme", "Talks, treaties and the people who make them."),
    ("elections", "Elections", "theme", "Votes, campaigns and the rules that govern them."),
    ("energy", "Energy", "theme", "Gas, power and the grids that carry them."),
    ("water", "Water", "theme", "Rivers, reservoirs and who gets to use them."),
    ("labour", "Labour", "theme", "Work, wages and the unions."),
    ("economy", "Economy", "theme", "Prices, currencies and growth."),
    ("press-freedom", "Press freedom", "theme", "The right to report and the laws that limit it."),
    ("climate", "Climate", "theme", "Floods, droughts and how the region adapts."),
]

PEOPLE = {
    "valek": ("Irina Valek", "Marevia's Foreign Minister"),
    "adrel": ("Tomas Adrel", "the President of Dastan"),
    "korhan": ("Leyla Korhan", "Secretary-General of the Sarvan Cooperation Council"),
    "brandt": ("Emil Brandt-Osei", "Governor of the Marevian Central Bank"),
    "siromak": ("Nadia Siromak", "chair of the Dastani Electoral Commission"),
    "ouros": ("Pavel Ouros", "Kolvenia's Energy Minister"),
    "vetrova": ("Hana Vetrova", "leader of the Harbour Workers' Union"),
    "delis": ("Arman Delis", "the Mayor of Tesk"),
}
