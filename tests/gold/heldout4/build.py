"""Writes the heldout4 set (articles/ and gold/ in the claims-dev format) from the table below.

Written before any rule change of this round, longer and closer to wire copy than heldout3
(several paragraphs, datelines, ministries and officials speaking for states, "the group",
"the militia", pronouns and bare surnames across paragraphs, nationality titles, agentless
passives, denials, headline-only claims, capitals as places, namesakes), in domains none of
claims-dev, heldout2 or heldout3 use (gas pipelines, arms exports, peacekeeping, fisheries,
satellite launches, cyber sanctions, migrant deals, aviation bans, export controls, prisoner
releases, whaling, nuclear plants, border clashes, telecom bans, piracy, territorial disputes,
tanker inspections, militia strikes, a police mission, border treaties). Annotated by reading,
by the claims-dev README rules. Each claim names a unique fragment of its evidence; the
evidence is the sentence holding it (of the title for headline claims). `needs_coref` and
`entities` are derived from the registry the way claims-dev's validate.py checks them.
Never tune a rule on this set.

    python tests/gold/heldout4/build.py
"""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path

import yaml

HERE = Path(__file__).parent
_spec = importlib.util.spec_from_file_location(
    "heldout3_build", HERE.parent / "heldout3" / "build.py"
)
assert _spec is not None and _spec.loader is not None
_h3 = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_h3)
_named, _spans = _h3._named, _h3._spans

N = None
# (subject, predicate, object, speaker, negated, hedged, passive, headline, quantity, fragment)
ARTICLES: list[dict] = [
    {
        "title": "Azerbaijan agrees to double gas flows to Europe",
        "text": [
            "BAKU — Azerbaijan will double the volume of gas it sends to the European Union through the Southern Gas Corridor by 2028, the energy ministry said on Tuesday.",
            'The State Oil Company of Azerbaijan Republic signed a memorandum with the European Union in Baku, and it pledged to invest $4 billion in new compressor stations along the route through Turkey. Azerbaijan\'s energy minister, Parviz Shahbazov, said the deal would "make Europe less dependent on a single supplier."',
            'Moscow criticised the agreement. Kremlin spokesman Dmitry Peskov said the corridor could not replace Russian supplies and accused Brussels of paying "a political premium" for gas. He did not say whether Russia would cut its remaining deliveries through the TurkStream pipeline.',
            "Turkey's energy ministry said Ankara would not charge higher transit fees. Shahbazov met Turkish officials in Ankara on Wednesday to discuss the expansion of the pipeline, the ministry said.",
            "Analysts at Caspian Research said the plan depended on new fields coming online.",
        ],
        "claims": [
            ("azerbaijan", "double", N, "azerbaijan", 0, 0, 0, 0, N, "Azerbaijan will double"),
            ("azerbaijan", "send", "eu", "azerbaijan", 0, 0, 0, 0, N, "gas it sends to"),
            ("socar", "sign", "eu", N, 0, 0, 0, 0, N, "signed a memorandum"),
            ("socar", "invest", N, "socar", 0, 0, 0, 0, "$4 billion", "pledged to invest"),
            ("russia", "criticise", N, N, 0, 0, 0, 0, N, "Moscow criticised"),
            ("eu", "pay", N, "russia", 0, 0, 0, 0, N, "accused Brussels of paying"),
            ("turkey", "charge", N, "turkey", 1, 0, 0, 0, N, "would not charge"),
            ("azerbaijan", "meet", "turkey", "azerbaijan", 0, 0, 0, 0, N, "Shahbazov met"),
        ],
        "traps": [
            ("BAKU —", "azerbaijan", "dateline: the city of Baku"),
            ("in Baku", "azerbaijan", "literal place: the city"),
            ("in Ankara", "turkey", "literal place: the city"),
        ],
    },
    {
        "title": "Poland orders 180 more tanks from South Korea",
        "text": [
            "WARSAW — Poland has ordered 180 more K2 tanks from South Korea, the defence ministry said on Friday, in a deal worth about $6.5 billion.",
            "Poland's defence minister, Wladyslaw Kosiniak-Kamysz, signed the contract with Hyundai Rotem, the tanks' maker, at a ceremony in Warsaw. The first vehicles will be delivered to Poland in 2027, he said, and the rest will be built under licence at a state plant in Gliwice.",
            "Germany had also offered its Leopard tanks. A spokesman for Berlin's defence ministry denied that Germany had lost the tender because of delays.",
            'Seoul welcomed the order. South Korean President Lee Jae-myung called it "a milestone" and said his government would not restrict re-exports of the tanks to other NATO members.',
            "Russia's embassy in Warsaw said the purchase was a provocation.",
            "Poland now spends more than 4 percent of its economic output on defence, the highest share in NATO. Warsaw bought 250 Abrams tanks from the United States in 2022 and has also ordered Patriot missile batteries from Washington.",
        ],
        "claims": [
            (
                "poland",
                "order",
                "south-korea",
                "poland",
                0,
                0,
                0,
                0,
                "180 more K2 tanks",
                "Poland has ordered",
            ),
            ("poland", "sign", "hyundai-rotem", N, 0, 0, 0, 0, N, "signed the contract"),
            (N, "deliver", "poland", "poland", 0, 0, 1, 0, N, "will be delivered to Poland"),
            ("germany", "offer", N, N, 0, 0, 0, 0, N, "Germany had also offered"),
            ("germany", "lose", N, "germany", 1, 0, 0, 0, N, "had lost the tender"),
            ("south-korea", "welcome", N, N, 0, 0, 0, 0, N, "Seoul welcomed"),
            ("south-korea", "restrict", N, "lee-jae-myung", 1, 0, 0, 0, N, "would not restrict"),
            (
                "poland",
                "spend",
                N,
                N,
                0,
                0,
                0,
                0,
                "more than 4 percent of its economic output",
                "Poland now spends",
            ),
            ("poland", "buy", "united-states", N, 0, 0, 0, 0, "250 Abrams tanks", "Warsaw bought"),
            ("poland", "order", "united-states", N, 0, 0, 0, 0, N, "Warsaw bought"),
        ],
        "traps": [
            ("WARSAW —", "poland", "dateline: the city of Warsaw"),
            ("ceremony in Warsaw", "poland", "literal place: the city"),
            ("embassy in Warsaw", "poland", "literal place: the city"),
        ],
    },
    {
        "title": "UN peacekeepers withdraw from eastern Congo base",
        "text": [
            "GOMA — United Nations peacekeepers handed over a base near Goma to Congolese troops on Saturday as the mission prepares to leave the country's east, a spokeswoman for MONUSCO said.",
            'The M23 rebels, who seized Goma last year, said the handover was "a show." The group accused Kinshasa of recruiting militias to attack its positions around Sake. The army denied the charge.',
            'A panel of independent experts has said Rwanda trains and arms the rebels. Kigali denied the accusations on Sunday. Rwanda\'s foreign minister, Olivier Nduhungirehe, said his country had never sent troops across the border and called the panel "biased."',
            'The mission\'s head, Bintou Keita, said the mission would not abandon civilians. "We are leaving in stages, and we will protect the camps until the last day," she told reporters.',
            "Congo's government said it would ask the U.N. Security Council to extend the mandate of the remaining peacekeepers in Ituri province. Diplomats in New York said France was drafting the resolution.",
        ],
        "claims": [
            ("united-nations", "withdraw", N, N, 0, 0, 0, 1, N, "UN peacekeepers withdraw"),
            ("united-nations", "hand", "drc", "monusco", 0, 0, 0, 0, N, "handed over a base"),
            ("monusco", "leave", N, "monusco", 0, 0, 0, 0, N, "the mission prepares to leave"),
            ("m23", "seize", N, N, 0, 0, 0, 0, N, "who seized Goma"),
            ("drc", "recruit", N, "m23", 0, 0, 0, 0, N, "accused Kinshasa of recruiting"),
            ("drc", "recruit", N, "drc", 1, 0, 0, 0, N, "The army denied the charge."),
            ("rwanda", "train", "m23", N, 0, 0, 0, 0, N, "Rwanda trains and arms"),
            ("rwanda", "arm", "m23", N, 0, 0, 0, 0, N, "Rwanda trains and arms"),
            ("rwanda", "train", "m23", "rwanda", 1, 0, 0, 0, N, "Kigali denied the accusations"),
            ("rwanda", "arm", "m23", "rwanda", 1, 0, 0, 0, N, "Kigali denied the accusations"),
            ("rwanda", "send", N, "rwanda", 1, 0, 0, 0, N, "had never sent troops"),
            ("monusco", "abandon", N, "monusco", 1, 0, 0, 0, N, "would not abandon civilians"),
            ("monusco", "leave", N, "monusco", 0, 0, 0, 0, N, "We are leaving in stages"),
            ("monusco", "protect", N, "monusco", 0, 0, 0, 0, N, "We are leaving in stages"),
            ("drc", "ask", "united-nations", "drc", 0, 0, 0, 0, N, "would ask the U.N."),
            ("france", "draft", N, N, 0, 0, 0, 0, N, "France was drafting"),
        ],
        "traps": [],
    },
    {
        "title": "Norway detains Spanish trawler off Svalbard",
        "text": [
            "OSLO — Norway's coast guard detained a Spanish trawler near Svalbard on Thursday and escorted it to Tromso, accusing its crew of fishing cod without a licence, the fisheries ministry said.",
            "Spain protested. Spain's foreign ministry summoned Norway's ambassador and said the vessel had been fishing legally under rules that the European Union negotiated with Oslo in 1980. \"The Svalbard zone is not Norwegian property,\" Spain's foreign minister, José Manuel Albares, told the radio station Cadena SER.",
            "The European Commission said it was in contact with both governments. Brussels has long disputed Norway's right to set quotas in the zone, and it has asked Oslo to refer the matter to arbitration.",
            "Norway's fisheries minister, Marianne Sivertsen Naess, said the government would not release the ship until the owner paid a fine of 1.2 million crowns. She added that Norwegian inspectors had boarded 14 foreign vessels this year.",
            "The dispute has simmered since the 1920 Svalbard Treaty gave Norway sovereignty over the archipelago but equal fishing rights to the other signatories. Russia, whose trawlers also fish in the zone, has backed Spain's position.",
        ],
        "claims": [
            ("norway", "detain", N, "norway", 0, 0, 0, 0, N, "coast guard detained"),
            ("norway", "escort", N, "norway", 0, 0, 0, 0, N, "coast guard detained"),
            ("spain", "protest", N, N, 0, 0, 0, 0, N, "Spain protested."),
            ("spain", "summon", "norway", N, 0, 0, 0, 0, N, "summoned Norway's ambassador"),
            ("eu", "negotiate", "norway", "spain", 0, 0, 0, 0, N, "negotiated with Oslo"),
            ("eu", "dispute", N, N, 0, 0, 0, 0, N, "has long disputed"),
            ("eu", "ask", "norway", N, 0, 0, 0, 0, N, "has long disputed"),
            ("norway", "release", N, "norway", 1, 0, 0, 0, N, "would not release the ship"),
            ("norway", "board", N, "norway", 0, 0, 0, 0, "14 foreign vessels", "had boarded 14"),
            (N, "give", "norway", N, 0, 0, 0, 0, N, "Treaty gave Norway"),
            ("russia", "back", "spain", N, 0, 0, 0, 0, N, "has backed Spain"),
        ],
        "traps": [("OSLO —", "norway", "dateline: the city of Oslo")],
    },
    {
        "title": "North Korea says it put spy satellite into orbit",
        "text": [
            "SEOUL — North Korea launched a military reconnaissance satellite on Tuesday night, and state media said it had reached orbit, a claim South Korea's military could not confirm.",
            "The rocket was fired from the Sohae station on the west coast, South Korea's Joint Chiefs of Staff said. Japan briefly ordered residents of Okinawa to take cover.",
            'Kim Jong Un watched the launch and ordered scientists to put three more satellites into orbit next year, the official KCNA agency reported. The leader said the satellites would "watch every move of the enemy."',
            "Washington condemned the launch. A U.S. State Department spokesman said it violated U.N. Security Council resolutions and accused Russia of helping Pyongyang with rocket engines. Moscow has denied supplying any technology to the North.",
            "It was the country's third attempt to put a spy satellite into orbit. The previous two rockets crashed into the sea, and South Korea's navy recovered debris from one of them. Japan's defence ministry said no debris fell inside its exclusive economic zone.",
        ],
        "claims": [
            ("north-korea", "put", N, "north-korea", 0, 0, 0, 1, N, "it put spy satellite"),
            ("north-korea", "launch", N, N, 0, 0, 0, 0, N, "North Korea launched"),
            ("japan", "order", N, N, 0, 0, 0, 0, N, "Japan briefly ordered"),
            ("kim-jong-un", "watch", N, N, 0, 0, 0, 0, N, "Kim Jong Un watched"),
            ("kim-jong-un", "order", N, N, 0, 0, 0, 0, N, "Kim Jong Un watched"),
            ("united-states", "condemn", N, N, 0, 0, 0, 0, N, "Washington condemned"),
            (
                "russia",
                "help",
                "north-korea",
                "united-states",
                0,
                0,
                0,
                0,
                N,
                "accused Russia of helping",
            ),
            ("russia", "supply", "north-korea", "russia", 1, 0, 0, 0, N, "has denied supplying"),
            ("south-korea", "recover", N, N, 0, 0, 0, 0, N, "navy recovered debris"),
        ],
        "traps": [
            ("SEOUL —", "south-korea", "dateline: the city of Seoul"),
        ],
    },
    {
        "title": "EU sanctions Russian military hackers over Bundestag breach",
        "text": [
            "BRUSSELS — The European Union imposed sanctions on Thursday on six officers of Russia's GRU military intelligence agency and on Unit 26165, a unit it blames for hacking the German parliament's email servers.",
            "The measures freeze the officers' assets in the bloc and bar them from entering it. The unit, also known as Fancy Bear, was behind the breach, which stole data from the offices of 14 lawmakers, EU foreign ministers said in a statement.",
            'Germany had pressed for the listings since 2024. Germany\'s foreign minister, Johann Wadephul, said Berlin "will answer every one of these attacks" and that the government had expelled two Russian diplomats.',
            'The Russian foreign ministry dismissed the sanctions as "Russophobic theatre." Spokeswoman Maria Zakharova said Moscow would respond to the measures "in a way the bloc will feel."',
            "French officials have accused the hacking group of targeting France's 2017 presidential election.",
            "The bloc first used its cyber sanctions regime in 2020 against Chinese and North Korean hackers.",
        ],
        "claims": [
            ("eu", "sanction", "gru", N, 0, 0, 0, 0, N, "imposed sanctions on Thursday"),
            ("eu", "sanction", "fancy-bear", N, 0, 0, 0, 0, N, "imposed sanctions on Thursday"),
            ("fancy-bear", "hack", "germany", "eu", 0, 0, 0, 0, N, "imposed sanctions on Thursday"),
            (N, "bar", "gru", N, 0, 0, 0, 0, N, "bar them from entering"),
            ("germany", "press", N, N, 0, 0, 0, 0, N, "Germany had pressed"),
            ("germany", "answer", N, "germany", 0, 0, 0, 0, N, "will answer every one"),
            (
                "germany",
                "expel",
                "russia",
                "germany",
                0,
                0,
                0,
                0,
                "two Russian diplomats",
                "had expelled two",
            ),
            ("russia", "respond", N, "russia", 0, 0, 0, 0, N, "Moscow would respond"),
            ("fancy-bear", "target", N, "france", 0, 0, 0, 0, N, "accused the hacking group"),
            ("eu", "use", N, N, 0, 0, 0, 0, N, "first used its cyber"),
        ],
        "traps": [("BRUSSELS —", "eu", "dateline: the city of Brussels")],
    },
    {
        "title": "Italy and Albania extend migrant centres deal",
        "text": [
            "ROME — Italy will keep sending migrants rescued at sea to two centres in Albania for five more years under an agreement signed in Rome on Monday, Prime Minister Giorgia Meloni's office said.",
            'Meloni and her Albanian counterpart, Edi Rama, signed the extension after a court in Rome ordered the government to bring back 12 men held in the centres last month. The prime minister said the ruling would not stop the programme. "We will appeal this ruling," she told reporters.',
            "Rama said Tirana had not received any payment beyond the costs of running the sites and rejected claims that Albania was selling its territory.",
            "The UN refugee agency, UNHCR, said it was concerned. Its spokesman, Andrej Mahecic, said the agency had asked Rome to let its staff monitor the centres. The interior ministry said it would consider the request.",
            'Opposition leader Elly Schlein called the deal "a waste of money."',
        ],
        "claims": [
            ("italy", "extend", N, N, 0, 0, 0, 1, N, "Italy and Albania extend"),
            ("albania", "extend", N, N, 0, 0, 0, 1, N, "Italy and Albania extend"),
            (
                "italy",
                "send",
                N,
                "giorgia-meloni",
                0,
                0,
                0,
                0,
                "five more years",
                "Italy will keep sending",
            ),
            ("giorgia-meloni", "sign", N, N, 0, 0, 0, 0, N, "signed the extension"),
            ("edi-rama", "sign", N, N, 0, 0, 0, 0, N, "signed the extension"),
            (N, "order", "italy", N, 0, 0, 0, 0, N, "signed the extension"),
            ("italy", "appeal", N, "giorgia-meloni", 0, 0, 0, 0, N, "We will appeal"),
            ("albania", "receive", N, "edi-rama", 1, 0, 0, 0, N, "had not received"),
            ("albania", "sell", N, "edi-rama", 1, 0, 0, 0, N, "had not received"),
            ("unhcr", "ask", "italy", "unhcr", 0, 0, 0, 0, N, "had asked Rome"),
        ],
        "traps": [
            ("ROME —", "italy", "dateline: the city of Rome"),
            ("signed in Rome", "italy", "literal place: the city"),
            ("court in Rome", "italy", "literal place: the city's court"),
        ],
    },
    {
        "title": "EU bans Iranian airline over drone transfers",
        "text": [
            "BRUSSELS — The European Union barred Iran Air from its airspace on Wednesday, saying the state carrier had flown drone components and ballistic missiles to Russia for use in Ukraine.",
            "The ban, which also covers two smaller airlines, was agreed by the bloc's 27 governments after months of debate. Britain imposed a similar ban last year.",
            'Iran\'s foreign ministry condemned the decision. Spokesman Esmaeil Baghaei said the airline carried only passengers and humanitarian cargo, and he denied that Tehran had sent any missiles to Moscow. "This is economic terrorism against ordinary Iranians," he said.',
            "The Kremlin did not respond to a request for comment. Ukraine's foreign minister, Andrii Sybiha, thanked the bloc and urged it to sanction the Iranian factories that make the drones.",
            "Iran Air's chief executive said the company would challenge the ban in the EU's General Court in Luxembourg.",
            "Washington banned Iran Air from U.S. airspace in 2018, and the carrier's ageing fleet has struggled to find spare parts since then.",
        ],
        "claims": [
            ("eu", "ban", "iran-air", N, 0, 0, 0, 1, N, "EU bans Iranian airline"),
            ("eu", "bar", "iran-air", N, 0, 0, 0, 0, N, "barred Iran Air"),
            ("iran-air", "fly", "russia", "eu", 0, 0, 0, 0, N, "had flown drone"),
            ("eu", "agree", N, N, 0, 0, 1, 0, N, "was agreed by the bloc"),
            ("united-kingdom", "ban", N, N, 0, 0, 0, 0, N, "Britain imposed"),
            ("iran", "condemn", N, N, 0, 0, 0, 0, N, "Iran's foreign ministry condemned"),
            ("iran-air", "carry", N, "iran", 0, 0, 0, 0, N, "the airline carried"),
            ("iran", "send", "russia", "iran", 1, 0, 0, 0, N, "the airline carried"),
            ("ukraine", "thank", "eu", N, 0, 0, 0, 0, N, "thanked the bloc"),
            ("ukraine", "urge", "eu", N, 0, 0, 0, 0, N, "thanked the bloc"),
            ("iran-air", "challenge", N, "iran-air", 0, 0, 0, 0, N, "would challenge the ban"),
            ("united-states", "ban", "iran-air", N, 0, 0, 0, 0, N, "Washington banned"),
        ],
        "traps": [("BRUSSELS —", "eu", "dateline: the city of Brussels")],
    },
    {
        "title": "China halts rare earth magnet exports to U.S. defence firms",
        "text": [
            "BEIJING — China's commerce ministry said on Monday it would no longer issue export licences for rare earth magnets to 15 American defence companies, including Lockheed Martin, in retaliation for Washington's latest arms sale to Taiwan.",
            'The ministry said the companies had "seriously harmed China\'s sovereignty" by supplying weapons to the island. It did not say how long the measures would last.',
            'The U.S. Commerce Department said it was aware of the announcement. A senior administration official said the United States had stockpiled magnets over the past two years. "Beijing is using its supply chains as a weapon," the official said.',
            "Lockheed Martin said it did not expect any immediate disruption to production.",
            "Taiwan's defence ministry said the arms package would be delivered on schedule and thanked Washington for its support. Beijing regards the island as its own territory.",
            "China produces about 90 percent of the world's rare earth magnets. Japan, which stockpiled the metals after a 2010 dispute with Beijing, said it was watching the situation closely.",
        ],
        "claims": [
            ("china", "halt", N, N, 0, 0, 0, 1, N, "China halts"),
            ("china", "issue", "lockheed-martin", "china", 1, 0, 0, 0, N, "would no longer issue"),
            (N, "supply", "taiwan", "china", 0, 0, 0, 0, N, "by supplying weapons"),
            ("united-states", "stockpile", N, "united-states", 0, 0, 0, 0, N, "had stockpiled"),
            ("china", "use", N, "united-states", 0, 0, 0, 0, N, "Beijing is using"),
            ("taiwan", "thank", "united-states", N, 0, 0, 0, 0, N, "thanked Washington"),
            (
                "china",
                "produce",
                N,
                N,
                0,
                0,
                0,
                0,
                "about 90 percent of the world's rare earth magnets",
                "China produces",
            ),
            ("japan", "stockpile", N, N, 0, 0, 0, 0, N, "which stockpiled the metals"),
        ],
        "traps": [("BEIJING —", "china", "dateline: the city of Beijing")],
    },
    {
        "title": "Belarus frees 14 prisoners in U.S.-brokered deal",
        "text": [
            "VILNIUS — Belarus released 14 political prisoners on Thursday, including a journalist of Radio Liberty, after talks with a U.S. delegation in Minsk, the U.S. State Department said.",
            "The prisoners were driven to the Lithuanian border and handed over to American diplomats. U.S. envoy John Coale said President Alexander Lukashenko had also agreed to free a further 20 people by the end of the year. In return, Washington lifted sanctions on Belavia, the Belarusian state airline.",
            'Lukashenko\'s press service said the releases were "a humanitarian gesture" and denied that Minsk had received anything in exchange.',
            'The European Union said it would keep its own sanctions on Belavia. "One gesture does not erase a thousand political prisoners," the bloc\'s foreign policy chief, Kaja Kallas, said.',
            "Lithuania's interior minister said the released prisoners would be allowed to stay in the country.",
            "Belarus still holds about 1,100 political prisoners, according to the rights group Viasna. Its founder, Nobel laureate Ales Bialiatski, was freed in a previous exchange in June.",
        ],
        "claims": [
            ("belarus", "free", N, N, 0, 0, 0, 1, "14 prisoners", "Belarus frees"),
            ("united-states", "broker", N, N, 0, 0, 1, 1, N, "U.S.-brokered"),
            (
                "belarus",
                "release",
                N,
                "united-states",
                0,
                0,
                0,
                0,
                "14 political prisoners",
                "Belarus released",
            ),
            (N, "hand", "united-states", N, 0, 0, 1, 0, N, "handed over to American"),
            (
                "alexander-lukashenko",
                "free",
                N,
                "united-states",
                0,
                0,
                0,
                0,
                "a further 20 people",
                "agreed to free",
            ),
            ("united-states", "lift", N, N, 0, 0, 0, 0, N, "Washington lifted"),
            (
                "belarus",
                "receive",
                N,
                "alexander-lukashenko",
                1,
                0,
                0,
                0,
                N,
                "had received anything",
            ),
            ("eu", "keep", N, "eu", 0, 0, 0, 0, N, "would keep its own"),
            (
                "belarus",
                "hold",
                N,
                N,
                0,
                0,
                0,
                0,
                "about 1,100 political prisoners",
                "Belarus still holds",
            ),
        ],
        "traps": [
            ("VILNIUS —", "lithuania", "dateline: the city of Vilnius"),
            ("in Minsk", "belarus", "literal place: the city"),
        ],
    },
    {
        "title": "Japan resumes fin whale hunt despite Australian protest",
        "text": [
            "TOKYO — Japan's fisheries agency said on Friday that its fleet had caught 30 fin whales in the North Pacific this season, the first commercial hunt of the species in half a century.",
            'Australia condemned the hunt. Australia\'s environment minister, Murray Watt, said Canberra had raised the matter with Tokyo "at the highest level" and would push the International Whaling Commission to censure Japan at its meeting in Lima in October.',
            "Japan left the IWC in 2019. The agency said the catch was sustainable and rejected claims that the whales had been killed inside an Australian research zone.",
            'New Zealand\'s conservation minister, Tama Potaka, also criticised Tokyo. He said his government would keep negotiating with Japan on fishing quotas but would "make its views known."',
            "In Canberra, about 200 protesters gathered outside the Japanese embassy. Kyodo Senpaku, the company that operates the fleet, said its ships had returned to Shimonoseki.",
        ],
        "claims": [
            ("japan", "resume", N, N, 0, 0, 0, 1, N, "Japan resumes"),
            ("japan", "catch", N, "japan", 0, 0, 0, 0, "30 fin whales", "had caught 30"),
            ("australia", "condemn", N, N, 0, 0, 0, 0, N, "Australia condemned"),
            ("australia", "raise", "japan", "australia", 0, 0, 0, 0, N, "had raised the matter"),
            ("australia", "push", "iwc", "australia", 0, 0, 0, 0, N, "had raised the matter"),
            ("japan", "leave", "iwc", N, 0, 0, 0, 0, N, "Japan left the IWC"),
            ("new-zealand", "criticise", "japan", N, 0, 0, 0, 0, N, "also criticised Tokyo"),
            ("new-zealand", "negotiate", "japan", "new-zealand", 0, 0, 0, 0, N, "keep negotiating"),
        ],
        "traps": [
            ("TOKYO —", "japan", "dateline: the city of Tokyo"),
            ("In Canberra", "australia", "literal place: the city"),
        ],
    },
    {
        "title": "Kazakhstan picks Rosatom to build first nuclear plant",
        "text": [
            "ASTANA — Kazakhstan has chosen Russia's state nuclear company Rosatom to lead the construction of its first nuclear power plant, the country's atomic energy agency said on Saturday.",
            "The plant, near the village of Ulken on Lake Balkhash, will have two reactors. China National Nuclear Corporation will build a second plant, the agency said. France's EDF was not selected, it said.",
            'President Kassym-Jomart Tokayev said the choice was "purely technical." Critics in Astana said Moscow had pressed the government to choose Rosatom.',
            "Rosatom's chief executive, Alexei Likhachev, said the company would train 500 Kazakh engineers and supply fuel for the reactor's lifetime. He denied that Western sanctions on Russian banks would delay financing.",
            "EDF said it respected the decision. A French diplomat said Paris had offered better terms but had not been given a fair hearing.",
            "Kazakhstan's state company Kazatomprom, the world's largest uranium producer, sells most of its output to China and Russia.",
        ],
        "claims": [
            ("kazakhstan", "pick", "rosatom", N, 0, 0, 0, 1, N, "Kazakhstan picks"),
            ("kazakhstan", "choose", "rosatom", "kazakhstan", 0, 0, 0, 0, N, "has chosen"),
            ("cnnc", "build", N, "kazakhstan", 0, 0, 0, 0, N, "will build a second"),
            (N, "select", "edf", "kazakhstan", 1, 0, 1, 0, N, "was not selected"),
            ("russia", "press", "kazakhstan", N, 0, 0, 0, 0, N, "Moscow had pressed"),
            (
                "rosatom",
                "train",
                N,
                "rosatom",
                0,
                0,
                0,
                0,
                "500 Kazakh engineers",
                "would train 500",
            ),
            ("rosatom", "supply", N, "rosatom", 0, 0, 0, 0, N, "would train 500"),
            ("france", "offer", N, "france", 0, 0, 0, 0, N, "Paris had offered"),
            (N, "give", "france", "france", 1, 0, 1, 0, N, "Paris had offered"),
            (N, "sell", "china", N, 0, 0, 0, 0, N, "sells most of its output"),
            (N, "sell", "russia", N, 0, 0, 0, 0, N, "sells most of its output"),
        ],
        "traps": [
            ("ASTANA —", "kazakhstan", "dateline: the city of Astana"),
            ("in Astana", "kazakhstan", "literal place: the city"),
        ],
    },
    {
        "title": "Armenia says Azerbaijan shelled border villages",
        "text": [
            "YEREVAN — Armenia accused Azerbaijan on Sunday of shelling two villages in the Syunik province overnight and said its forces had not returned fire.",
            'Baku denied the accusation. Azerbaijan\'s defence ministry said Armenian units had fired first at its positions near Zangilan and that its troops had "suppressed" them. The ministry published a video it said showed the damage.',
            'Prime Minister Nikol Pashinyan said the incident would not derail the peace treaty the two countries agreed in Washington in August. "We will not be provoked," he told parliament. Pashinyan urged the European Union\'s monitoring mission to send patrols to the area.',
            "The mission said its observers had heard explosions but could not say who fired. President Ilham Aliyev's foreign policy adviser, Hikmet Hajiyev, said Baku remained committed to signing the treaty by the end of the year.",
            "Russia urged both sides to show restraint.",
            "Azerbaijan retook Nagorno-Karabakh in a one-day offensive in 2023, and more than 100,000 ethnic Armenians fled to Armenia.",
        ],
        "claims": [
            ("azerbaijan", "shell", N, "armenia", 0, 0, 0, 0, N, "accused Azerbaijan"),
            ("armenia", "return", N, "armenia", 1, 0, 0, 0, N, "accused Azerbaijan"),
            ("azerbaijan", "shell", N, "azerbaijan", 1, 0, 0, 0, N, "Baku denied"),
            ("armenia", "fire", "azerbaijan", "azerbaijan", 0, 0, 0, 0, N, "had fired first"),
            ("azerbaijan", "suppress", "armenia", "azerbaijan", 0, 0, 0, 0, N, "had fired first"),
            ("azerbaijan", "publish", N, N, 0, 0, 0, 0, N, "published a video"),
            ("armenia", "agree", N, "nikol-pashinyan", 0, 0, 0, 0, N, "the two countries agreed"),
            (
                "azerbaijan",
                "agree",
                N,
                "nikol-pashinyan",
                0,
                0,
                0,
                0,
                N,
                "the two countries agreed",
            ),
            (N, "provoke", "armenia", "nikol-pashinyan", 1, 0, 1, 0, N, "We will not be provoked"),
            ("nikol-pashinyan", "urge", "eu", N, 0, 0, 0, 0, N, "Pashinyan urged"),
            ("azerbaijan", "sign", N, "ilham-aliyev", 0, 0, 0, 0, N, "committed to signing"),
            ("russia", "urge", "armenia", N, 0, 0, 0, 0, N, "Russia urged"),
            ("russia", "urge", "azerbaijan", N, 0, 0, 0, 0, N, "Russia urged"),
            ("azerbaijan", "retake", N, N, 0, 0, 0, 0, N, "Azerbaijan retook"),
        ],
        "traps": [
            ("YEREVAN —", "armenia", "dateline: the city of Yerevan"),
            ("in Washington", "united-states", "literal place: the city"),
        ],
    },
    {
        "title": "Germany bars Huawei from 5G core network",
        "text": [
            "BERLIN — Germany will ban components made by Huawei and ZTE from the core of its 5G networks by the end of 2026, the interior ministry said on Thursday, after a review of the Chinese suppliers' equipment.",
            'Operators such as Deutsche Telekom will have to remove the parts from their antenna systems by 2029. Germany\'s interior minister, Alexander Dobrindt, said the government had consulted the companies and "will not compromise on the security of our critical infrastructure."',
            'China\'s embassy in Berlin said the decision was protectionism dressed up as security and urged the German government to "correct its mistake." Beijing will take "all necessary measures" to protect Chinese firms, the embassy said.',
            "Huawei said it had never been shown evidence of any risk and that it would consider legal action. The company employs about 2,000 people in Germany.",
            "The United States, which barred the two firms in 2019, welcomed the move.",
        ],
        "claims": [
            ("germany", "bar", "huawei", N, 0, 0, 0, 1, N, "Germany bars"),
            ("germany", "ban", N, "germany", 0, 0, 0, 0, N, "Germany will ban"),
            ("huawei", "make", N, "germany", 0, 0, 1, 0, N, "Germany will ban"),
            ("zte", "make", N, "germany", 0, 0, 1, 0, N, "Germany will ban"),
            ("germany", "consult", "huawei", "germany", 0, 0, 0, 0, N, "had consulted"),
            ("germany", "consult", "zte", "germany", 0, 0, 0, 0, N, "had consulted"),
            ("germany", "compromise", N, "germany", 1, 0, 0, 0, N, "had consulted"),
            ("china", "urge", "germany", N, 0, 0, 0, 0, N, "urged the German government"),
            ("china", "take", N, "china", 0, 0, 0, 0, N, "Beijing will take"),
            (N, "show", "huawei", "huawei", 1, 0, 1, 0, N, "had never been shown"),
            ("huawei", "employ", N, N, 0, 0, 0, 0, "about 2,000 people", "employs about"),
            ("united-states", "bar", "huawei", N, 0, 0, 0, 0, N, "barred the two firms"),
            ("united-states", "bar", "zte", N, 0, 0, 0, 0, N, "barred the two firms"),
            ("united-states", "welcome", N, N, 0, 0, 0, 0, N, "barred the two firms"),
        ],
        "traps": [
            ("BERLIN —", "germany", "dateline: the city of Berlin"),
            ("embassy in Berlin", "germany", "literal place: the city"),
        ],
    },
    {
        "title": "Indian navy frees bulk carrier seized by Somali pirates",
        "text": [
            "NEW DELHI — Indian navy commandos boarded a bulk carrier off the coast of Somalia on Saturday and freed its 17 crew members, two days after pirates seized the ship, the navy said.",
            "The pirates surrendered after a 40-hour standoff, and none of the crew was hurt, spokesman Commander Vivek Madhwal said. The ship, the Malta-flagged MV Ruen, was taken to Mumbai.",
            "Somalia's government thanked New Delhi. A spokesman for Somalia's presidency said the pirates had been paid by Al-Shabaab, and he accused the militia of using ransoms to buy weapons. The group has not commented.",
            "The European Union's naval force, Operation Atalanta, said it had provided a surveillance aircraft to the Indian navy. It said piracy had risen to its highest level since 2017.",
            "Bulgaria, whose nationals were among the crew, said it was grateful to India.",
            "Piracy off Somalia had nearly disappeared after 2012 but returned last year as navies shifted ships to the Red Sea. India has deployed more than a dozen warships in the Arabian Sea since December.",
        ],
        "claims": [
            ("india", "board", N, "india", 0, 0, 0, 0, N, "commandos boarded"),
            ("india", "free", N, "india", 0, 0, 0, 0, "17 crew members", "commandos boarded"),
            ("somalia", "thank", "india", N, 0, 0, 0, 0, N, "thanked New Delhi"),
            ("al-shabaab", "pay", N, "somalia", 0, 0, 1, 0, N, "paid by Al-Shabaab"),
            ("al-shabaab", "use", N, "somalia", 0, 0, 0, 0, N, "paid by Al-Shabaab"),
            ("eu", "provide", "india", "eu", 0, 0, 0, 0, N, "had provided"),
            (
                "india",
                "deploy",
                N,
                N,
                0,
                0,
                0,
                0,
                "more than a dozen warships",
                "India has deployed",
            ),
        ],
        "traps": [("NEW DELHI —", "india", "dateline: the city of New Delhi")],
    },
    {
        "title": "Guyana says Venezuelan troops crossed into Essequibo",
        "text": [
            "GEORGETOWN — Guyana said on Tuesday that Venezuelan soldiers had crossed the Cuyuni river into the disputed Essequibo region and fired on a patrol of its defence force.",
            'President Irfaan Ali called the incursion "an act of aggression" and said his government had asked the International Court of Justice to order Caracas to withdraw its troops. The court is due to rule on the border next year.',
            "Venezuela's defence minister, Vladimir Padrino López, denied that Venezuelan troops had entered Guyanese territory. He accused Georgetown of letting Exxon Mobil drill in disputed waters.",
            "Brazil sent additional troops to its northern frontier, Brazil's defence ministry said.",
            "The dispute was discussed at a conference at Georgetown University in Washington last week, where a former U.S. ambassador said Washington would defend Guyana.",
            "Venezuela held a referendum in 2023 in which voters backed the creation of a new Venezuelan state in the region. Guyana called the vote illegal and asked its neighbours to ignore it.",
        ],
        "claims": [
            ("venezuela", "cross", N, "guyana", 0, 0, 0, 0, N, "had crossed the Cuyuni"),
            ("venezuela", "fire", "guyana", "guyana", 0, 0, 0, 0, N, "had crossed the Cuyuni"),
            ("guyana", "ask", "icj", "irfaan-ali", 0, 0, 0, 0, N, "had asked the International"),
            ("icj", "rule", N, N, 0, 0, 0, 0, N, "The court is due to rule"),
            ("venezuela", "enter", N, "venezuela", 1, 0, 0, 0, N, "had entered Guyanese"),
            ("guyana", "let", N, "venezuela", 0, 0, 0, 0, N, "accused Georgetown"),
            ("brazil", "send", N, "brazil", 0, 0, 0, 0, N, "Brazil sent"),
            ("united-states", "defend", "guyana", N, 0, 0, 0, 0, N, "would defend Guyana"),
            ("venezuela", "hold", N, N, 0, 0, 0, 0, N, "Venezuela held"),
            ("guyana", "ask", N, N, 0, 0, 0, 0, N, "asked its neighbours"),
        ],
        "traps": [
            ("GEORGETOWN —", "guyana", "dateline: the city of Georgetown"),
            ("Georgetown University", "guyana", "a university in Washington"),
            ("in Washington", "united-states", "literal place: the city"),
        ],
    },
    {
        "title": "Denmark to inspect Russian shadow fleet tankers in Baltic straits",
        "text": [
            "COPENHAGEN — Denmark will begin checking the insurance papers of tankers carrying Russian oil through its straits from next month, the Danish Maritime Authority said on Monday, in a move aimed at the so-called shadow fleet.",
            "Ships that cannot show valid insurance may be detained, the authority said. Denmark's foreign minister, Lars Løkke Rasmussen, told reporters that Copenhagen had coordinated the checks with Sweden and Finland and that the three governments had informed Moscow of the plan.",
            'The Kremlin warned that it would protect Russian shipping. Spokesman Dmitry Peskov said any attempt to stop tankers would be "piracy." Russia\'s navy has escorted several tankers through the Gulf of Finland this year.',
            "The European Union has sanctioned more than 400 vessels it says belong to the fleet. The measures have not stopped the trade: Russia shipped 3.4 million barrels a day by sea in June, according to the International Energy Agency.",
        ],
        "claims": [
            ("denmark", "inspect", N, N, 0, 0, 0, 1, N, "Denmark to inspect"),
            ("denmark", "check", N, "denmark", 0, 0, 0, 0, N, "begin checking"),
            ("denmark", "coordinate", "sweden", "denmark", 0, 0, 0, 0, N, "had coordinated"),
            ("denmark", "coordinate", "finland", "denmark", 0, 0, 0, 0, N, "had coordinated"),
            ("denmark", "inform", "russia", "denmark", 0, 0, 0, 0, N, "had coordinated"),
            ("sweden", "inform", "russia", "denmark", 0, 0, 0, 0, N, "had coordinated"),
            ("finland", "inform", "russia", "denmark", 0, 0, 0, 0, N, "had coordinated"),
            ("russia", "protect", N, "russia", 0, 0, 0, 0, N, "would protect Russian"),
            ("russia", "escort", N, N, 0, 0, 0, 0, N, "has escorted"),
            ("eu", "sanction", N, N, 0, 0, 0, 0, "more than 400 vessels", "has sanctioned"),
            ("russia", "ship", N, "iea", 0, 0, 0, 0, "3.4 million barrels a day", "Russia shipped"),
        ],
        "traps": [
            ("COPENHAGEN —", "denmark", "dateline: the city of Copenhagen"),
            ("Gulf of Finland", "finland", "a sea named after the country"),
        ],
    },
    {
        "title": "U.S. strikes Kataib Hezbollah after drone attack on base",
        "text": [
            "BAGHDAD — U.S. forces carried out air strikes on Wednesday on three sites in western Iraq used by Kataib Hezbollah, a day after a drone attack on a base in Jordan wounded four American soldiers, U.S. Central Command said.",
            "The militia, which is backed by Iran, had claimed the attack on its Telegram channel. The group said it would continue to target American troops until they left the region.",
            "Iraq's government condemned the strikes as a violation of its sovereignty. Government spokesman Basim al-Awadi said Baghdad had not been informed in advance and would summon the U.S. chargé d'affaires.",
            'Iran\'s foreign ministry denied arming the militia for the drone attack. "The resistance groups make their own decisions," spokesman Esmaeil Baghaei said.',
            'U.S. Defense Secretary Pete Hegseth said Washington did not want war but would "respond at a time and place of our choosing" to any further attack.',
            "Kataib Hezbollah is part of the Popular Mobilization Forces, a coalition of mostly Shi'ite armed groups that is formally under the command of Iraq's prime minister.",
        ],
        "claims": [
            (
                "united-states",
                "strike",
                "kataib-hezbollah",
                "united-states",
                0,
                0,
                0,
                0,
                N,
                "carried out air strikes",
            ),
            (
                "kataib-hezbollah",
                "use",
                N,
                "united-states",
                0,
                0,
                1,
                0,
                N,
                "carried out air strikes",
            ),
            (
                N,
                "wound",
                "united-states",
                "united-states",
                0,
                0,
                0,
                0,
                "four American soldiers",
                "carried out air strikes",
            ),
            ("iran", "back", "kataib-hezbollah", N, 0, 0, 1, 0, N, "backed by Iran"),
            ("kataib-hezbollah", "attack", N, "kataib-hezbollah", 0, 0, 0, 0, N, "backed by Iran"),
            (
                "kataib-hezbollah",
                "target",
                "united-states",
                "kataib-hezbollah",
                0,
                0,
                0,
                0,
                N,
                "continue to target",
            ),
            ("iraq", "condemn", N, N, 0, 0, 0, 0, N, "Iraq's government condemned"),
            (N, "inform", "iraq", "iraq", 1, 0, 1, 0, N, "had not been informed"),
            ("iraq", "summon", "united-states", "iraq", 0, 0, 0, 0, N, "had not been informed"),
            ("iran", "arm", "kataib-hezbollah", "iran", 1, 0, 0, 0, N, "denied arming"),
            ("united-states", "respond", N, "united-states", 0, 1, 0, 0, N, 'would "respond'),
        ],
        "traps": [("BAGHDAD —", "iraq", "dateline: the city of Baghdad")],
    },
    {
        "title": "Kenyan police in Haiti retake port from gang coalition",
        "text": [
            "PORT-AU-PRINCE — Kenyan police officers and Haitian troops recaptured the capital's main port on Friday after a week of fighting with the Viv Ansanm gang coalition, Haiti's transitional council said.",
            "The alliance, led by former police officer Jimmy Chérizier, had seized the port in March and blocked fuel deliveries to hospitals. It said in a video that its fighters had withdrawn to avoid civilian deaths.",
            "Kenyan President William Ruto said his country would send 600 more officers to the mission in January. He thanked the United States, which has funded most of the operation, and urged other governments to contribute.",
            "The U.N. Security Council voted in October to turn the mission into a larger force.",
            "The U.S. embassy in Port-au-Prince said Washington would keep supporting Haitian police with equipment and training.",
            "Kenya deployed its first 400 officers in June 2024 after a court challenge in Nairobi delayed the mission for months. Ruto has said the force will stay until Haiti can hold elections.",
        ],
        "claims": [
            ("kenya", "retake", N, N, 0, 0, 0, 1, N, "Kenyan police in Haiti retake"),
            ("kenya", "recapture", N, "haiti", 0, 0, 0, 0, N, "recaptured the capital"),
            ("haiti", "recapture", N, "haiti", 0, 0, 0, 0, N, "recaptured the capital"),
            (N, "lead", "viv-ansanm", N, 0, 0, 1, 0, N, "led by former"),
            ("viv-ansanm", "seize", N, N, 0, 0, 0, 0, N, "led by former"),
            ("viv-ansanm", "block", N, N, 0, 0, 0, 0, N, "led by former"),
            ("viv-ansanm", "withdraw", N, "viv-ansanm", 0, 0, 0, 0, N, "had withdrawn"),
            ("kenya", "send", N, "william-ruto", 0, 0, 0, 0, "600 more officers", "would send 600"),
            ("william-ruto", "thank", "united-states", N, 0, 0, 0, 0, N, "He thanked"),
            ("united-states", "fund", N, N, 0, 0, 0, 0, N, "He thanked"),
            ("william-ruto", "urge", N, N, 0, 0, 0, 0, N, "He thanked"),
            ("united-nations", "vote", N, N, 0, 0, 0, 0, N, "Security Council voted"),
            (
                "united-states",
                "support",
                "haiti",
                "united-states",
                0,
                0,
                0,
                0,
                N,
                "keep supporting",
            ),
            ("kenya", "deploy", N, N, 0, 0, 0, 0, "its first 400 officers", "Kenya deployed"),
        ],
        "traps": [
            ("PORT-AU-PRINCE —", "haiti", "dateline: the city of Port-au-Prince"),
            ("challenge in Nairobi", "kenya", "literal place: the city"),
            ("embassy in Port-au-Prince", "haiti", "literal place: the city"),
        ],
    },
    {
        "title": "Kyrgyzstan and Tajikistan open border after treaty",
        "text": [
            "BISHKEK — Kyrgyzstan and Tajikistan reopened their main border crossing on Monday, four years after clashes over water and land killed more than 100 people, the Kyrgyz foreign ministry said.",
            "President Sadyr Japarov and Tajik President Emomali Rahmon signed the demarcation treaty in Bishkek in March. Under the agreement, Kyrgyzstan handed 17 villages to Tajikistan and received a stretch of the Isfara river valley.",
            'Tajikistan\'s parliament ratified the treaty last week. The speaker, Rustam Emomali, said it would "end a century of quarrels." In Dushanbe, opposition activists accused the government of ceding land without a referendum, a charge the presidency denied.',
            "Russia and China both welcomed the deal. Moscow said it would help train border guards in both countries.",
            "Japarov said customs officers would begin checking trucks at the crossing within a month.",
            "The treaty ends a dispute that dates back to the Soviet era, when Moscow drew the borders of the Central Asian republics.",
        ],
        "claims": [
            ("kyrgyzstan", "open", N, N, 0, 0, 0, 1, N, "Kyrgyzstan and Tajikistan open"),
            ("tajikistan", "open", N, N, 0, 0, 0, 1, N, "Kyrgyzstan and Tajikistan open"),
            ("kyrgyzstan", "reopen", N, "kyrgyzstan", 0, 0, 0, 0, N, "reopened their main"),
            ("tajikistan", "reopen", N, "kyrgyzstan", 0, 0, 0, 0, N, "reopened their main"),
            ("sadyr-japarov", "sign", N, N, 0, 0, 0, 0, N, "signed the demarcation"),
            ("emomali-rahmon", "sign", N, N, 0, 0, 0, 0, N, "signed the demarcation"),
            ("kyrgyzstan", "hand", "tajikistan", N, 0, 0, 0, 0, "17 villages", "handed 17"),
            ("kyrgyzstan", "receive", N, N, 0, 0, 0, 0, N, "handed 17"),
            ("tajikistan", "ratify", N, N, 0, 0, 0, 0, N, "parliament ratified"),
            ("tajikistan", "cede", N, N, 0, 0, 0, 0, N, "of ceding land"),
            ("tajikistan", "cede", N, "tajikistan", 1, 0, 0, 0, N, "of ceding land"),
            ("russia", "welcome", N, N, 0, 0, 0, 0, N, "both welcomed"),
            ("china", "welcome", N, N, 0, 0, 0, 0, N, "both welcomed"),
            ("russia", "train", "kyrgyzstan", "russia", 0, 0, 0, 0, N, "help train"),
            ("russia", "train", "tajikistan", "russia", 0, 0, 0, 0, N, "help train"),
            ("russia", "draw", N, N, 0, 0, 0, 0, N, "Moscow drew"),
        ],
        "traps": [
            ("BISHKEK —", "kyrgyzstan", "dateline: the city of Bishkek"),
            ("in Bishkek", "kyrgyzstan", "literal place: the city"),
            ("In Dushanbe", "tajikistan", "literal place: the city"),
        ],
    },
]

_SENT_END = re.compile(r"(?<=[.!?])(?<![A-Z]\.[A-Z]\.)[\"”]?\s+(?=[A-Z\"“])")


def _sentence(source: str, fragment: str) -> str:
    """The sentence of `source` that holds the unique `fragment`."""
    assert source.count(fragment) == 1, fragment
    at = source.index(fragment)
    start = 0
    for m in _SENT_END.finditer(source):
        if m.end() <= at:
            start = m.end()
        elif m.start() >= at + len(fragment):
            # A closing quotation mark belongs to the sentence it closes.
            return source[start : m.start()] + source[m.start() : m.end()].rstrip().rstrip(" ")
    return source[start:].rstrip()


def build() -> None:
    actors = {a["id"]: a for a in yaml.safe_load((HERE / "entities.yaml").read_text())["actors"]}
    (HERE / "articles").mkdir(exist_ok=True)
    (HERE / "gold").mkdir(exist_ok=True)
    everyone = list(actors.values())
    for n, art in enumerate(ARTICLES, start=1):
        aid = f"m{n:03d}"
        text = "\n\n".join(art["text"])
        traps = art["traps"]
        for surface, tid, _ in traps:
            assert surface in text and tid in actors, (aid, surface)
        trap_spans = {
            t: [sp for s, tt, _ in traps if tt == t for sp in _spans(text, s)] for _, t, _ in traps
        }
        entities = sorted(
            i for i, a in actors.items() if _named(text, a, trap_spans.get(i, []), everyone)
        )
        claims = []
        for subj, pred, obj, spk, neg, hedged, passive, headline, qty, frag in art["claims"]:
            ev = _sentence(art["title"] if headline else text, frag).strip()
            assert "\n" not in ev, (aid, ev)
            assert qty is None or qty in ev, (aid, qty)
            roles = [r for r in (subj, obj, spk) if r is not None]
            for r in roles:
                assert r in actors, (aid, r)
            ev_traps = {
                t: [sp for s, tt, _ in traps if tt == t for sp in _spans(ev, s)]
                for _, t, _ in traps
            }
            needs = any(not _named(ev, actors[r], ev_traps.get(r, []), everyone) for r in roles)
            claims.append(
                {
                    "subject": subj,
                    "predicate": pred,
                    "object": obj,
                    "speaker": spk,
                    "negated": bool(neg),
                    "hedged": bool(hedged),
                    "passive": bool(passive),
                    "needs_coref": needs,
                    "headline": bool(headline),
                    "quantity": qty,
                    "evidence": ev,
                }
            )
        gold = {
            "entities": entities,
            "not_entities": sorted({t for _, t, _ in traps} - set(entities)),
            "claims": claims,
            "duplicate_of": None,
            "traps": [{"surface": s, "id": t, "refers_to": r} for s, t, r in traps],
        }
        article = {
            "id": aid,
            "title": art["title"],
            "source": "Heldout Wire",
            "published": f"2026-08-{n:02d}T09:00:00Z",
            "url": f"https://example-news.test/heldout4/{aid}",
            "text": text,
        }
        dump = {"ensure_ascii": False, "indent": 2}
        (HERE / "articles" / f"{aid}.json").write_text(json.dumps(article, **dump) + "\n")
        (HERE / "gold" / f"{aid}.json").write_text(json.dumps(gold, **dump) + "\n")


if __name__ == "__main__":
    build()
