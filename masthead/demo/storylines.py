"""Running stories of the demo newsroom: each a thread of events with its own people.

Written for Masthead; every name and event is invented.
"""

STORYLINES = [
    {
        "key": "border",
        "topics": [
            "irina-valek",
            "tomas-adrel",
            "leyla-korhan",
            "marevia",
            "dastan",
            "sarvan-cooperation-council",
            "diplomacy",
        ],
        "authors": ["mira-castellan", "jonas-ekwueme"],
        "sections": ["news", "news", "analysis", "interview", "opinion"],
        "place": "Port Halden",
        "colour": (38, 70, 110),
        "events": [
            (
                "Marevia and Dastan agree to reopen talks on the Varsk crossing",
                "The first meeting in eighteen months will decide whether lorries can cross before the harvest.",
                "Marevia and Dastan will resume talks on reopening the Varsk border crossing next week, both foreign ministries said on {day}.",
            ),
            (
                "Varsk crossing talks stall over customs inspections",
                "Negotiators disagree on who inspects cargo, and the harvest deadline is getting closer.",
                "Talks on reopening the Varsk crossing broke up on {day} without agreement on who should inspect cargo at the border.",
            ),
            (
                "Council offers to send observers to the Varsk crossing",
                "The Sarvan Cooperation Council says neutral monitors could break the deadlock on inspections.",
                "The Sarvan Cooperation Council offered on {day} to station {number} observers at the Varsk crossing if Marevia and Dastan agree.",
            ),
            (
                "Lorry drivers wait for days as the Varsk crossing stays shut",
                "Queues stretch back {number} kilometres while officials promise a decision within weeks.",
                "Hundreds of lorry drivers have been waiting near the closed Varsk crossing for up to five days, local officials said on {day}.",
            ),
            (
                "Valek and Adrel meet for the first time since the crossing closed",
                "The meeting in Port Halden is the highest-level contact between the two governments this year.",
                "Irina Valek and Tomas Adrel met in Port Halden on {day}, the first meeting between them since the Varsk crossing closed.",
            ),
            (
                "Deal reached to reopen the Varsk crossing for grain lorries",
                "Grain can cross from next month under joint inspections, but other cargo must wait.",
                "Marevia and Dastan agreed on {day} to reopen the Varsk crossing to grain lorries under a joint inspection regime.",
            ),
            (
                "What the Varsk deal leaves unresolved",
                "The grain agreement is a start; fuel, livestock and passenger traffic are still stuck.",
                "The agreement signed on {day} covers grain only, and negotiators say the harder questions are still ahead.",
            ),
            (
                "First grain lorries cross at Varsk under the new inspections",
                "Inspectors from both countries cleared {number} lorries on the first day.",
                "The first grain lorries crossed the Varsk border on {day} under the joint inspection scheme agreed last month.",
            ),
        ],
        "background": [
            "The Varsk crossing, the only road link between the two countries that can take heavy lorries, was closed after a dispute over customs fees.",
            "Traders on both sides say the closure has cost them months of sales, and grain farmers in northern Marevia have had to store their harvest in hired warehouses.",
            "The Sarvan Cooperation Council has tried twice before to bring the two governments together on the crossing, without success.",
            "Diplomats say the dispute is less about money than about which country's officials may work on the other side of the border.",
        ],
        "quotes": [
            (
                "valek",
                "We want the crossing open, but not at any price. Our inspectors must be able to do their work.",
            ),
            (
                "adrel",
                "Dastan has made every reasonable offer. The lorries are waiting, and so are we.",
            ),
            (
                "korhan",
                "The Council is ready to help. Neutral observers have worked at other borders in the region, and they can work here.",
            ),
            (
                "valek",
                "This agreement shows that patient talks can move even the most stubborn border.",
            ),
            (
                "adrel",
                "Grain is the beginning. Our farmers and our drivers expect the rest of the crossing to follow.",
            ),
        ],
        "closing": [
            "Officials from both ministries are expected to meet again before the end of the month.",
            "The Council said it would publish the terms of any agreement in full.",
            "Drivers' associations said they would keep their members informed through their own channels.",
        ],
    },
    {
        "key": "election",
        "topics": [
            "nadia-siromak",
            "tomas-adrel",
            "dastan",
            "dastani-electoral-commission",
            "elections",
        ],
        "authors": ["jonas-ekwueme"],
        "sections": ["news", "news", "analysis", "opinion", "interview"],
        "place": "Virska",
        "colour": (120, 40, 50),
        "events": [
            (
                "Dastan calls snap parliamentary election for the spring",
                "President Adrel dissolved parliament after his budget failed for a third time.",
                "Tomas Adrel dissolved Dastan's parliament on {day} and called an early election after lawmakers rejected his budget for a third time.",
            ),
            (
                "Electoral commission sets the rules for Dastan's early vote",
                "Parties have {number} days to register, the shortest deadline in the country's history.",
                "The Dastani Electoral Commission published the timetable for the early election on {day}, giving parties little time to register.",
            ),
            (
                "Opposition parties in Dastan agree on a joint list",
                "Four parties will run together to clear the threshold for seats in parliament.",
                "Four opposition parties in Dastan signed an agreement on {day} to run on a single list in the early election.",
            ),
            (
                "Dastan's commission rejects complaints about voter rolls",
                "Critics say thousands of names are missing; the commission says the rolls are the most accurate yet.",
                "The Dastani Electoral Commission rejected on {day} complaints that the voter rolls left out thousands of eligible voters.",
            ),
            (
                "Turnout is the question hanging over Dastan's vote",
                "Young voters stayed home last time; both camps are courting them now.",
                "With the early election weeks away, campaign officials in Virska say turnout among young voters will decide the result.",
            ),
            (
                "Dastan votes in an election that could end Adrel's majority",
                "Polling stations opened at seven; results are expected overnight.",
                "Voters in Dastan went to the polls on {day} in an early parliamentary election called after months of deadlock.",
            ),
            (
                "Adrel's party loses its majority in Dastan's parliament",
                "The joint opposition list came second and now holds the key to any coalition.",
                "Tomas Adrel's party lost its parliamentary majority in the election held on {day}, according to preliminary results.",
            ),
            (
                "Coalition talks begin in Virska after Dastan's vote",
                "Neither camp can govern alone, and both say they will not share power with the other.",
                "Coalition talks opened in Virska on {day}, with no party able to form a government alone.",
            ),
        ],
        "background": [
            "Dastan's parliament has 150 seats, and a party or list needs five per cent of the vote to win any of them.",
            "The last election, three years ago, gave the President's party a majority of four seats, which shrank as members defected.",
            "International observers from the Sarvan Cooperation Council monitored the last vote and called it orderly but unequal in media access.",
            "The budget dispute that triggered the election centred on subsidies for fuel and bread.",
        ],
        "quotes": [
            (
                "siromak",
                "Every citizen who is entitled to vote will be able to vote. The rolls have been checked twice.",
            ),
            (
                "adrel",
                "The people will decide. A parliament that cannot pass a budget cannot govern.",
            ),
            (
                "siromak",
                "The deadlines are short because the constitution makes them short, not because we chose them.",
            ),
            (
                "adrel",
                "We accept the result and we will talk to everyone who wants a working government.",
            ),
        ],
        "closing": [
            "Final results are due within ten days, the commission said.",
            "Observers from the Sarvan Cooperation Council will present their report next week.",
            "Parties must name their candidates for prime minister before parliament first meets.",
        ],
    },
    {
        "key": "pipeline",
        "topics": ["pavel-ouros", "kolvenia", "serel", "northern-grid-consortium", "energy"],
        "authors": ["sofia-tarrant", "ruben-halloway"],
        "sections": ["news", "business", "analysis", "news", "interview"],
        "place": "Amaru",
        "colour": (40, 100, 70),
        "events": [
            (
                "Kolvenia signs the deal for the Northern Grid gas link",
                "The pipeline to Serel would carry highland gas to the delta by the end of the decade.",
                "Kolvenia's government signed an agreement on {day} with the Northern Grid Consortium to build a gas pipeline to Serel.",
            ),
            (
                "Northern Grid route to cross three protected valleys",
                "Environmental groups say the plans threaten rivers that feed the region's reservoirs.",
                "The route published by the Northern Grid Consortium on {day} crosses three protected valleys in western Kolvenia.",
            ),
            (
                "Ouros promises full review of the pipeline's river crossings",
                "The Energy Minister says no construction will start until engineers report on the valleys.",
                "Pavel Ouros said on {day} that construction of the Northern Grid pipeline would wait for an independent review of its river crossings.",
            ),
            (
                "Cost of the Kolvenia-Serel gas link rises by a third",
                "Steel prices and a longer route push the estimate past {number} million.",
                "The estimated cost of the Northern Grid pipeline rose by a third, the consortium told investors on {day}.",
            ),
            (
                "Serel's parliament approves its share of the pipeline",
                "Lawmakers in Tesk voted to build the delta section despite the rising bill.",
                "Serel's parliament voted on {day} to fund the delta section of the Northern Grid pipeline.",
            ),
            (
                "Who pays for the Northern Grid if gas demand falls?",
                "The pipeline is priced for today's demand, but the region is also building wind and solar.",
                "As construction of the Northern Grid pipeline approaches, economists are asking whether demand will be there when it opens.",
            ),
            (
                "Engineers clear the Northern Grid's river crossings with conditions",
                "Tunnels under two rivers replace the trenches in the original plan.",
                "An engineering review published on {day} approved the Northern Grid pipeline's river crossings if two are tunnelled rather than trenched.",
            ),
            (
                "Construction begins on the Northern Grid pipeline",
                "The first section, near Amaru, should be finished within two years.",
                "Work started on {day} on the first section of the Northern Grid gas pipeline near Amaru.",
            ),
        ],
        "background": [
            "Kolvenia produces more gas than it uses, but has no pipeline to sell it to its neighbours.",
            "Serel imports most of its gas by ship, at prices well above what highland gas would cost.",
            "The Northern Grid Consortium is made up of three regional energy companies and a development bank.",
            "The pipeline would run for about 480 kilometres, most of it through mountain country.",
        ],
        "quotes": [
            (
                "ouros",
                "This pipeline turns our gas into jobs at home and cheaper heating for our neighbours.",
            ),
            (
                "ouros",
                "No valve will be welded until the engineers have told us the rivers are safe.",
            ),
            (
                "delis",
                "Tesk has paid too much for imported gas for too long. The delta needs this link.",
            ),
            ("ouros", "The price has risen, but the case for the pipeline has not changed."),
        ],
        "closing": [
            "The consortium will publish its next cost estimate in the spring.",
            "Environmental groups have said they will challenge the route in court.",
            "Serel's energy regulator must still approve the tariffs the pipeline will charge.",
        ],
    },
    {
        "key": "strike",
        "topics": ["hana-vetrova", "marevia", "harbour-workers-union", "labour"],
        "authors": ["ruben-halloway"],
        "sections": ["news", "business", "news", "interview", "opinion"],
        "place": "Port Halden",
        "colour": (30, 90, 120),
        "events": [
            (
                "Port Halden dock workers vote to strike over pay",
                "The Harbour Workers' Union says wages have fallen behind prices for three years.",
                "Dock workers at Port Halden voted on {day} to strike over pay, the Harbour Workers' Union said.",
            ),
            (
                "Ships queue off Port Halden as the dock strike begins",
                "At least {number} vessels are waiting to unload at Marevia's largest port.",
                "Container ships began queuing off Port Halden on {day} as dock workers walked out.",
            ),
            (
                "Port operators offer a pay rise to end the Halden strike",
                "The union says the offer does not cover the rise in rents around the port.",
                "The companies that run Port Halden offered dock workers a pay rise on {day}, which the union rejected.",
            ),
            (
                "Shops in Marevia report shortages as the port stays shut",
                "Imported goods are running low, and retailers warn prices will rise.",
                "Retailers across Marevia reported shortages of imported goods on {day}, the second week of the Port Halden strike.",
            ),
            (
                "Vetrova says the strike will go on until rents are addressed",
                "The union leader wants a housing fund for port workers as part of any deal.",
                "Hana Vetrova said on {day} that the Harbour Workers' Union would not end its strike without help for workers facing higher rents.",
            ),
            (
                "Port Halden strike ends with pay deal and housing fund",
                "Workers get a rise over two years and a fund to help with rents near the port.",
                "Dock workers at Port Halden voted on {day} to accept a pay deal that includes a housing fund.",
            ),
            (
                "The Halden strike showed how much Marevia depends on one port",
                "Two weeks without unloading exposed the lack of any alternative route for imports.",
                "The strike at Port Halden, which ended on {day}, revealed how little room the economy has when its main port stops.",
            ),
            (
                "Backlog at Port Halden cleared a month after the strike",
                "Port operators say ships are again unloading within a day of arrival.",
                "The queue of ships off Port Halden was cleared on {day}, a month after the dock strike ended.",
            ),
        ],
        "background": [
            "Port Halden handles about four fifths of Marevia's imports by sea.",
            "The Harbour Workers' Union represents about 6,000 dock workers, crane operators and pilots.",
            "Rents in the streets around the port have risen sharply as warehouses were turned into flats.",
            "The last strike at the port, eleven years ago, lasted four days.",
        ],
        "quotes": [
            (
                "vetrova",
                "Our members move everything this country eats and wears. They cannot afford to live near the work they do.",
            ),
            ("vetrova", "An offer that ignores rents is not an offer. We will stay out."),
            (
                "brandt",
                "A long stoppage at the port would push prices up at a difficult moment for the economy.",
            ),
            ("vetrova", "This deal is a victory for every family that lives off the docks."),
        ],
        "closing": [
            "The port operators said they would publish a schedule for clearing the backlog.",
            "The union will ballot its members on any new offer within a week.",
            "Marevia's transport ministry said it was studying a second container terminal.",
        ],
    },
    {
        "key": "drought",
        "topics": ["kolvenia", "kolvenian-water-authority", "water", "climate"],
        "authors": ["sofia-tarrant"],
        "sections": ["news", "news", "analysis", "opinion", "interview"],
        "place": "Amaru",
        "colour": (160, 110, 40),
        "events": [
            (
                "Kolvenia's reservoirs fall to their lowest level on record",
                "The water authority warns that rationing may start before the summer.",
                "Kolvenia's reservoirs were {number} per cent full on {day}, the lowest level since records began, the Kolvenian Water Authority said.",
            ),
            (
                "Amaru introduces night-time water cuts",
                "Taps in the capital will run dry from midnight to five in the morning.",
                "The Kolvenian Water Authority announced on {day} that Amaru would have no piped water overnight to save supplies.",
            ),
            (
                "Farmers in the Kolvenian highlands lose their spring planting",
                "Without irrigation, thousands of hectares of fields will stay empty this year.",
                "Farmers in the highlands said on {day} that they had given up planting on fields that depend on irrigation.",
            ),
            (
                "Downstream neighbours ask Kolvenia to keep the rivers flowing",
                "Serel and Marevia fear that Kolvenia will hold back water to refill its reservoirs.",
                "Serel and Marevia asked Kolvenia on {day} to guarantee a minimum flow in the rivers that cross their borders.",
            ),
            (
                "Why Kolvenia's drought is not just a lack of rain",
                "Leaking pipes and thirsty crops have drained the reservoirs as much as the weather.",
                "The drought gripping Kolvenia is the result of years of choices as well as a dry winter, engineers say.",
            ),
            (
                "Water authority announces plan to fix Amaru's leaking mains",
                "A third of the capital's water is lost before it reaches a tap.",
                "The Kolvenian Water Authority said on {day} it would spend the next five years replacing Amaru's oldest water mains.",
            ),
            (
                "Rain brings relief but no end to Kolvenia's water shortage",
                "The reservoirs rose for the first time in months, but remain far below normal.",
                "Heavy rain over the highlands raised Kolvenia's reservoirs on {day} for the first time since autumn.",
            ),
            (
                "Kolvenia lifts night-time water cuts in Amaru",
                "The authority warns that rationing could return if the summer is dry.",
                "Night-time water cuts in Amaru ended on {day}, the Kolvenian Water Authority said.",
            ),
        ],
        "background": [
            "Kolvenia's rivers supply most of the fresh water used in the Sarvan region, including in Serel's delta.",
            "The winter snowfall in the highlands was less than half the average of the past thirty years.",
            "The Kolvenian Water Authority manages eleven reservoirs, most of them built more than fifty years ago.",
            "Farming uses about two thirds of the country's water, most of it for fruit and cotton.",
        ],
        "quotes": [
            ("ouros", "Every ministry must save water this year, and mine is no exception."),
            ("delis", "What happens in the highlands decides whether Tesk has water in August."),
            (
                "korhan",
                "Rivers do not stop at borders, and neither should the talks about sharing them.",
            ),
        ],
        "closing": [
            "The water authority publishes reservoir levels every Monday.",
            "A meeting of the region's water ministers is planned for next month.",
            "Households can apply for a grant to fit water-saving taps.",
        ],
    },
    {
        "key": "bank",
        "topics": ["emil-brandt-osei", "marevia", "marevian-central-bank", "economy"],
        "authors": ["ruben-halloway", "kenji-larsson-abe"],
        "sections": ["business", "business", "analysis", "news", "opinion"],
        "place": "Port Halden",
        "colour": (70, 60, 110),
        "events": [
            (
                "Marevian Central Bank raises interest rates to fight inflation",
                "Prices rose {number} per cent in a year, the fastest rise in a decade.",
                "The Marevian Central Bank raised its main interest rate on {day}, citing the fastest rise in prices for ten years.",
            ),
            (
                "Marevia's currency falls to a two-year low",
                "Importers rush to buy foreign currency as the crown slides.",
                "Marevia's crown fell to its lowest level in two years on {day} as importers bought foreign currency.",
            ),
            (
                "Brandt-Osei says more rate rises may be needed",
                "The central bank governor told lawmakers inflation has not yet peaked.",
                "Emil Brandt-Osei told parliament's finance committee on {day} that the central bank might have to raise rates again.",
            ),
            (
                "Mortgage holders in Marevia feel the squeeze",
                "Monthly payments on a typical home loan have risen by a fifth since spring.",
                "Families with variable-rate mortgages in Marevia are paying about a fifth more each month than in the spring, banks said on {day}.",
            ),
            (
                "Inflation in Marevia slows for the first time this year",
                "Cheaper fuel pulled the annual rate down, but food prices kept rising.",
                "Annual inflation in Marevia slowed on {day} for the first time this year, official figures showed.",
            ),
            (
                "Central bank holds rates as Marevia's inflation eases",
                "The governor says it is too early to cut, but the worst may be over.",
                "The Marevian Central Bank left interest rates unchanged on {day}, saying inflation was easing.",
            ),
            (
                "Has Marevia's central bank done enough?",
                "The rate rises have slowed inflation, at a cost to borrowers and builders.",
                "A year of rate rises has brought inflation down in Marevia, but economists disagree about whether the job is done.",
            ),
            (
                "Marevian crown recovers as the port strike ends",
                "Traders say the end of the stoppage removed the biggest risk to exports.",
                "Marevia's crown rose on {day}, its biggest gain in months, as exports through Port Halden resumed.",
            ),
        ],
        "background": [
            "The Marevian Central Bank has raised its main rate five times in twelve months.",
            "Marevia imports most of its fuel and much of its food, so a weaker crown feeds quickly into prices.",
            "About a third of Marevian households have a mortgage, most of them at variable rates.",
            "The bank's inflation target is three per cent a year.",
        ],
        "quotes": [
            (
                "brandt",
                "Inflation hurts those with the least. We will do what it takes to bring it down.",
            ),
            ("brandt", "It is too early to declare victory, but the direction is right."),
            (
                "vetrova",
                "Workers are paying for inflation twice: once at the shops and again in their rent.",
            ),
        ],
        "closing": [
            "The bank's next rate decision is due in six weeks.",
            "Figures for the next month will be published in the first week of the month.",
            "Parliament's finance committee will hear from the governor again in the spring.",
        ],
    },
    {
        "key": "press",
        "topics": ["serel", "press-freedom", "arman-delis"],
        "authors": ["anouk-dimitrova", "kenji-larsson-abe"],
        "sections": ["news", "opinion", "analysis", "news", "interview"],
        "place": "Tesk",
        "colour": (90, 90, 90),
        "events": [
            (
                "Serel proposes licences for news websites",
                "Any site with more than {number} daily readers would need a government licence.",
                "Serel's government published a bill on {day} that would require large news websites to hold a licence.",
            ),
            (
                "Journalists in Tesk protest against the licensing bill",
                "Reporters and editors marched to parliament to demand the bill be withdrawn.",
                "Several hundred journalists marched through Tesk on {day} to protest against the proposed licensing law for news websites.",
            ),
            (
                "Mayor Delis breaks with the government over the press bill",
                "The Mayor of Tesk says the licences would silence local newsrooms.",
                "Arman Delis, the Mayor of Tesk, said on {day} he opposed the government's bill to license news websites.",
            ),
            (
                "What Serel's licensing bill would mean for small newsrooms",
                "The fees and paperwork would fall hardest on sites with a handful of staff.",
                "Serel's proposed licence for news websites would cost small newsrooms a large share of their budgets, an analysis of the bill shows.",
            ),
            (
                "Serel's parliament delays vote on the news licence law",
                "The bill goes back to committee after the coalition failed to agree.",
                "Serel's parliament postponed on {day} the final vote on the bill to license news websites.",
            ),
            (
                "Council rapporteur criticises Serel's news licence plan",
                "The Sarvan Cooperation Council's report says the bill breaks regional commitments.",
                "A report for the Sarvan Cooperation Council published on {day} said Serel's proposed licensing law would breach the region's press freedom charter.",
            ),
            (
                "Serel drops the licence requirement from its media bill",
                "A voluntary register replaces the licences, and the fees are gone.",
                "Serel's government withdrew on {day} the licence requirement from its media bill.",
            ),
        ],
        "background": [
            "Serel has about forty news websites, most of them run by fewer than ten people.",
            "The government says the licences would help fight false reports during floods and elections.",
            "Press groups note that the bill gives a government office, not a court, the power to withdraw a licence.",
            "Serel signed the Sarvan region's press freedom charter twelve years ago.",
        ],
        "quotes": [
            ("delis", "A licence that the government can take away is a leash, not a licence."),
            (
                "korhan",
                "Member states have promised each other a free press. That promise has to mean something.",
            ),
            ("delis", "Tesk's newsrooms told us about the floods before any ministry did."),
        ],
        "closing": [
            "The committee will hold public hearings on the bill next month.",
            "Press groups said they would keep campaigning until the bill is withdrawn in full.",
            "The government said it would consult newsrooms before publishing a new draft.",
        ],
    },
    {
        "key": "floods",
        "topics": ["arman-delis", "serel", "climate", "water"],
        "authors": ["anouk-dimitrova", "sofia-tarrant"],
        "sections": ["news", "news", "analysis", "interview", "business"],
        "place": "Tesk",
        "colour": (50, 110, 140),
        "events": [
            (
                "Tesk floods force thousands from their homes",
                "The delta's river burst its banks after three days of rain.",
                "About {number} people were evacuated in Tesk on {day} after the river burst its banks in several districts.",
            ),
            (
                "Flood water recedes in Tesk, leaving mud and damaged homes",
                "Residents return to count the damage as the city begins to clean up.",
                "Flood water began to recede in Tesk on {day}, and residents returned to homes filled with mud.",
            ),
            (
                "Delis asks for national help to rebuild Tesk's flood walls",
                "The mayor says the city cannot pay for new defences alone.",
                "Arman Delis asked Serel's government on {day} for money to rebuild the flood walls along the river.",
            ),
            (
                "Insurers count the cost of the Tesk floods",
                "Claims from homes and shops are expected to pass {number} million.",
                "Insurers said on {day} that claims from the Tesk floods would be the largest in the city's history.",
            ),
            (
                "Why Tesk floods more often than it used to",
                "Building on the old flood plain has left the river with nowhere to go.",
                "Tesk has flooded three times in ten years, and engineers say the city itself is partly to blame.",
            ),
            (
                "Tesk approves a plan to give the river room",
                "Parks will replace some riverside buildings so that the water can spread safely.",
                "Tesk's city council approved on {day} a plan to turn parts of the riverbank into parkland that can flood.",
            ),
            (
                "Six months on, Tesk's flooded districts are still rebuilding",
                "Many families are still in temporary housing as repairs drag on.",
                "Six months after the floods, hundreds of families in Tesk are still waiting to move back home, the city said on {day}.",
            ),
        ],
        "background": [
            "Tesk sits on the delta where the river from the Kolvenian highlands meets the sea.",
            "The city's flood walls were built more than sixty years ago and were designed for smaller floods.",
            "About a fifth of Tesk's homes are built on land that was once the river's flood plain.",
            "Serel's government has promised an emergency fund, but has not said how large it will be.",
        ],
        "quotes": [
            (
                "delis",
                "We rebuilt after the last flood, and the one before. This time we must rebuild differently.",
            ),
            ("delis", "The river needs room. If we do not give it room, it will take it."),
            (
                "ouros",
                "Kolvenia will share its river forecasts with Tesk every day during the rainy season.",
            ),
        ],
        "closing": [
            "The city has opened a hotline for residents who need temporary housing.",
            "Engineers will present detailed designs for the riverbank next year.",
            "The emergency fund will accept applications until the end of the month.",
        ],
    },
]
