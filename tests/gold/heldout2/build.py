"""Writes the heldout2 set (articles/ and gold/ in the claims-dev format) from the table below.

Written for issue 13 before any rule change, in domains and wording that neither claims-dev nor
tests/gold use (Caucasus, South China Sea, Great Lakes, Haiti, Colombia, Somalia, the Nile,
the Balkans, WHO, OPEC, Myanmar, Norway, India-Pakistan, sport). Annotated by the claims-dev
README rules. `needs_coref` and `entities` are derived from the registry the same way
claims-dev's validate.py checks them. Never tune a rule on this set: score it, do not read it.

    python tests/gold/heldout2/build.py
    newsmon extract --entities tests/gold/heldout2/entities.yaml --json \
        tests/gold/heldout2/articles/*.json > /tmp/h2.jsonl
    python3 ../shared/claims-dev/score.py /tmp/h2.jsonl \
        --gold-dir tests/gold/heldout2/gold --articles-dir tests/gold/heldout2/articles
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml

HERE = Path(__file__).parent
N = None
# (subject, predicate, object, speaker, negated, hedged, passive, headline, quantity, evidence)
ARTICLES: list[dict] = [
    {
        "title": "Armenia and Azerbaijan trade blame over border shooting",
        "text": "YEREVAN — Azerbaijani troops attacked Armenian positions near the village of Sotk on Tuesday, wounding two farmers, Armenia's defence ministry said.\n\nBaku denied firing first. The Azerbaijani defence ministry accused Armenian units of shelling its posts in the Kalbajar district overnight and said its forces had returned fire.\n\nPrime Minister Nikol Pashinyan spoke by phone with French President Emmanuel Macron and asked the European Union to expand its monitoring mission. Pashinyan said Azerbaijan wanted to seize more land.",
        "claims": [
            ("azerbaijan", "attack", "armenia", "armenia", 0, 0, 0, 0, N, "Azerbaijani troops attacked Armenian positions near the village of Sotk on Tuesday, wounding two farmers, Armenia's defence ministry said."),
            ("azerbaijan", "wound", N, "armenia", 0, 0, 0, 0, "two farmers", "Azerbaijani troops attacked Armenian positions near the village of Sotk on Tuesday, wounding two farmers, Armenia's defence ministry said."),
            ("azerbaijan", "fire", N, "azerbaijan", 1, 0, 0, 0, N, "Baku denied firing first."),
            ("armenia", "shell", "azerbaijan", "azerbaijan", 0, 0, 0, 0, N, "The Azerbaijani defence ministry accused Armenian units of shelling its posts in the Kalbajar district overnight and said its forces had returned fire."),
            ("azerbaijan", "return", N, "azerbaijan", 0, 0, 0, 0, N, "The Azerbaijani defence ministry accused Armenian units of shelling its posts in the Kalbajar district overnight and said its forces had returned fire."),
            ("nikol-pashinyan", "speak", N, N, 0, 0, 0, 0, N, "Prime Minister Nikol Pashinyan spoke by phone with French President Emmanuel Macron and asked the European Union to expand its monitoring mission."),
            ("nikol-pashinyan", "ask", "european-union", N, 0, 0, 0, 0, N, "Prime Minister Nikol Pashinyan spoke by phone with French President Emmanuel Macron and asked the European Union to expand its monitoring mission."),
            ("azerbaijan", "seize", N, "nikol-pashinyan", 0, 0, 0, 0, N, "Pashinyan said Azerbaijan wanted to seize more land."),
        ],
        "traps": [("YEREVAN —", "armenia", "dateline: the city of Yerevan")],
    },
    {
        "title": "Chinese coast guard blasts Philippine boat with water cannon",
        "text": "MANILA — A China Coast Guard vessel fired a water cannon at a Philippine supply boat near Second Thomas Shoal on Saturday, injuring three sailors, the Philippine coast guard said.\n\nBeijing said the boat had intruded into Chinese waters and that its coast guard had acted lawfully. The Philippines summoned China's ambassador in Manila and protested to Beijing.\n\nThe United States, Japan and Australia criticised the incident.",
        "claims": [
            ("china-coast-guard", "blast", "philippines", N, 0, 0, 0, 1, N, "Chinese coast guard blasts Philippine boat with water cannon"),
            ("china-coast-guard", "fire", "philippines", "philippines", 0, 0, 0, 0, N, "A China Coast Guard vessel fired a water cannon at a Philippine supply boat near Second Thomas Shoal on Saturday, injuring three sailors, the Philippine coast guard said."),
            ("china-coast-guard", "injure", N, "philippines", 0, 0, 0, 0, "three sailors", "A China Coast Guard vessel fired a water cannon at a Philippine supply boat near Second Thomas Shoal on Saturday, injuring three sailors, the Philippine coast guard said."),
            ("philippines", "intrude", N, "china", 0, 0, 0, 0, N, "Beijing said the boat had intruded into Chinese waters and that its coast guard had acted lawfully."),
            ("china-coast-guard", "act", N, "china", 0, 0, 0, 0, N, "Beijing said the boat had intruded into Chinese waters and that its coast guard had acted lawfully."),
            ("philippines", "summon", "china", N, 0, 0, 0, 0, N, "The Philippines summoned China's ambassador in Manila and protested to Beijing."),
            ("philippines", "protest", "china", N, 0, 0, 0, 0, N, "The Philippines summoned China's ambassador in Manila and protested to Beijing."),
        ],
        "traps": [("MANILA —", "philippines", "dateline: the city of Manila"), ("ambassador in Manila", "philippines", "literal place: the ambassador posted in the city")],
    },
    {
        "title": "Congo accuses Rwanda of arming M23 rebels",
        "text": "KINSHASA — Congo's government accused Rwanda on Wednesday of supplying weapons and troops to the M23 rebels.\n\nThe M23 has seized large parts of North Kivu province since 2022. Kigali rejected the accusation. \"Rwanda does not support any armed group in Congo,\" government spokeswoman Yolande Makolo told reporters in Kigali.\n\nThe rebels captured the mining town of Rubaya last month. U.N. experts said Rwandan soldiers fought alongside the group.",
        "claims": [
            ("rwanda", "arm", "m23", "drc", 0, 0, 0, 1, N, "Congo accuses Rwanda of arming M23 rebels"),
            ("rwanda", "supply", "m23", "drc", 0, 0, 0, 0, N, "Congo's government accused Rwanda on Wednesday of supplying weapons and troops to the M23 rebels."),
            ("m23", "seize", N, N, 0, 0, 0, 0, N, "The M23 has seized large parts of North Kivu province since 2022."),
            ("rwanda", "supply", "m23", "rwanda", 1, 0, 0, 0, N, "Kigali rejected the accusation."),
            ("rwanda", "support", N, "rwanda", 1, 0, 0, 0, N, "\"Rwanda does not support any armed group in Congo,\" government spokeswoman Yolande Makolo told reporters in Kigali."),
            ("m23", "capture", N, N, 0, 0, 0, 0, N, "The rebels captured the mining town of Rubaya last month."),
            ("rwanda", "fight", "m23", N, 0, 0, 0, 0, N, "U.N. experts said Rwandan soldiers fought alongside the group."),
        ],
        "traps": [("KINSHASA —", "drc", "dateline: the city of Kinshasa"), ("reporters in Kigali", "rwanda", "literal place: the city of Kigali")],
    },
    {
        "title": "Kenyan police arrive in Haiti",
        "text": "PORT-AU-PRINCE — A first contingent of 400 Kenyan police officers landed in Port-au-Prince on Tuesday to lead a multinational mission against the gangs that control most of the capital.\n\nKenya's President William Ruto said the officers would help Haiti restore order. Haiti's transitional council thanked Nairobi for the deployment.\n\nGang leader Jimmy Chérizier warned that his fighters would resist the foreign force.",
        "claims": [
            ("kenya", "arrive", N, N, 0, 0, 0, 1, N, "Kenyan police arrive in Haiti"),
            ("kenya", "land", N, N, 0, 0, 0, 0, "400 Kenyan police officers", "PORT-AU-PRINCE — A first contingent of 400 Kenyan police officers landed in Port-au-Prince on Tuesday to lead a multinational mission against the gangs that control most of the capital."),
            ("kenya", "help", "haiti", "kenya", 0, 0, 0, 0, N, "Kenya's President William Ruto said the officers would help Haiti restore order."),
            ("haiti", "thank", "kenya", N, 0, 0, 0, 0, N, "Haiti's transitional council thanked Nairobi for the deployment."),
        ],
        "traps": [("landed in Port-au-Prince", "haiti", "literal place: the city of Port-au-Prince")],
    },
    {
        "title": "Colombia suspends peace talks with ELN after bombing",
        "text": "BOGOTÁ — President Gustavo Petro suspended peace talks with the National Liberation Army on Friday after the guerrilla group bombed a military base in Arauca, killing two soldiers.\n\nThe ELN claimed responsibility for the attack in a statement but said it remained committed to dialogue. Petro said the rebels had \"chosen war\" and ordered the army to pursue them.\n\nColombia has fought the ELN since 1964. Cuba and Norway, which guarantee the talks, urged both sides to return to the table.",
        "claims": [
            ("colombia", "suspend", "eln", N, 0, 0, 0, 1, N, "Colombia suspends peace talks with ELN after bombing"),
            ("gustavo-petro", "suspend", "eln", N, 0, 0, 0, 0, N, "BOGOTÁ — President Gustavo Petro suspended peace talks with the National Liberation Army on Friday after the guerrilla group bombed a military base in Arauca, killing two soldiers."),
            ("eln", "bomb", N, N, 0, 0, 0, 0, N, "BOGOTÁ — President Gustavo Petro suspended peace talks with the National Liberation Army on Friday after the guerrilla group bombed a military base in Arauca, killing two soldiers."),
            ("eln", "kill", N, N, 0, 0, 0, 0, "two soldiers", "BOGOTÁ — President Gustavo Petro suspended peace talks with the National Liberation Army on Friday after the guerrilla group bombed a military base in Arauca, killing two soldiers."),
            ("eln", "attack", N, "eln", 0, 0, 0, 0, N, "The ELN claimed responsibility for the attack in a statement but said it remained committed to dialogue."),
            ("eln", "choose", N, "gustavo-petro", 0, 0, 0, 0, N, "Petro said the rebels had \"chosen war\" and ordered the army to pursue them."),
            ("gustavo-petro", "order", N, N, 0, 0, 0, 0, N, "Petro said the rebels had \"chosen war\" and ordered the army to pursue them."),
            ("colombia", "fight", "eln", N, 0, 0, 0, 0, N, "Colombia has fought the ELN since 1964."),
            ("norway", "guarantee", N, N, 0, 0, 0, 0, N, "Cuba and Norway, which guarantee the talks, urged both sides to return to the table."),
            ("norway", "urge", N, N, 0, 0, 0, 0, N, "Cuba and Norway, which guarantee the talks, urged both sides to return to the table."),
        ],
        "traps": [("BOGOTÁ —", "colombia", "dateline: the city of Bogotá")],
    },
    {
        "title": "Al-Shabaab gunmen storm seaside hotel",
        "text": "MOGADISHU — Al-Shabaab gunmen stormed a beachfront hotel in Mogadishu late on Friday, killing at least nine people before security forces ended a six-hour siege, police said.\n\nThe militants detonated a car bomb at the gate and then shot at guests. The group said in a statement that it had targeted government officials.\n\nThe African Union condemned the attack and pledged to support Somalia's army.",
        "claims": [
            ("al-shabaab", "storm", N, N, 0, 0, 0, 0, N, "MOGADISHU — Al-Shabaab gunmen stormed a beachfront hotel in Mogadishu late on Friday, killing at least nine people before security forces ended a six-hour siege, police said."),
            ("al-shabaab", "kill", N, N, 0, 0, 0, 0, "at least nine people", "MOGADISHU — Al-Shabaab gunmen stormed a beachfront hotel in Mogadishu late on Friday, killing at least nine people before security forces ended a six-hour siege, police said."),
            ("al-shabaab", "detonate", N, N, 0, 0, 0, 0, N, "The militants detonated a car bomb at the gate and then shot at guests."),
            ("al-shabaab", "shoot", N, N, 0, 0, 0, 0, N, "The militants detonated a car bomb at the gate and then shot at guests."),
            ("al-shabaab", "target", N, "al-shabaab", 0, 0, 0, 0, N, "The group said in a statement that it had targeted government officials."),
            ("african-union", "condemn", N, N, 0, 0, 0, 0, N, "The African Union condemned the attack and pledged to support Somalia's army."),
            ("african-union", "support", "somalia", N, 0, 0, 0, 0, N, "The African Union condemned the attack and pledged to support Somalia's army."),
        ],
        "traps": [("hotel in Mogadishu", "somalia", "literal place: the city of Mogadishu")],
    },
    {
        "title": "Egypt warns Ethiopia over fifth filling of Nile dam",
        "text": "CAIRO — Egypt's foreign ministry warned Ethiopia on Sunday against filling the reservoir of the Grand Ethiopian Renaissance Dam for a fifth time without a binding agreement.\n\nEthiopia has rejected demands to share data on the dam's operation. Its water minister said Addis Ababa would not accept any deal that limits its right to develop the river.\n\nSudan, which lies between the two countries, has asked the African Union to mediate.",
        "claims": [
            ("egypt", "warn", "ethiopia", N, 0, 0, 0, 0, N, "CAIRO — Egypt's foreign ministry warned Ethiopia on Sunday against filling the reservoir of the Grand Ethiopian Renaissance Dam for a fifth time without a binding agreement."),
            ("ethiopia", "reject", N, N, 0, 0, 0, 0, N, "Ethiopia has rejected demands to share data on the dam's operation."),
            ("ethiopia", "accept", N, "ethiopia", 1, 0, 0, 0, N, "Its water minister said Addis Ababa would not accept any deal that limits its right to develop the river."),
            (N, "ask", "african-union", N, 0, 0, 0, 0, N, "Sudan, which lies between the two countries, has asked the African Union to mediate."),
        ],
        "traps": [("CAIRO —", "egypt", "dateline: the city of Cairo")],
    },
    {
        "title": "Serbia puts army on alert after Kosovo police raid",
        "text": "BELGRADE — Serbian President Aleksandar Vučić placed the army on high alert on Monday after Kosovo police raided four municipal offices in the Serb-majority north.\n\nPristina said the operation targeted illegal parallel institutions funded by Belgrade. Vučić accused Kosovo's prime minister of provoking a conflict and said Serbia would protect Serbs \"by all means\".\n\nThe European Union urged both sides to de-escalate. NATO peacekeepers increased patrols near the border.",
        "claims": [
            ("serbia", "put", N, N, 0, 0, 0, 1, N, "Serbia puts army on alert after Kosovo police raid"),
            ("aleksandar-vucic", "place", N, N, 0, 0, 0, 0, N, "BELGRADE — Serbian President Aleksandar Vučić placed the army on high alert on Monday after Kosovo police raided four municipal offices in the Serb-majority north."),
            ("kosovo", "raid", N, N, 0, 0, 0, 0, "four municipal offices", "BELGRADE — Serbian President Aleksandar Vučić placed the army on high alert on Monday after Kosovo police raided four municipal offices in the Serb-majority north."),
            ("serbia", "fund", N, "kosovo", 0, 0, 1, 0, N, "Pristina said the operation targeted illegal parallel institutions funded by Belgrade."),
            ("kosovo", "provoke", N, "aleksandar-vucic", 0, 0, 0, 0, N, "Vučić accused Kosovo's prime minister of provoking a conflict and said Serbia would protect Serbs \"by all means\"."),
            ("serbia", "protect", N, "aleksandar-vucic", 0, 0, 0, 0, N, "Vučić accused Kosovo's prime minister of provoking a conflict and said Serbia would protect Serbs \"by all means\"."),
            ("european-union", "urge", N, N, 0, 0, 0, 0, N, "The European Union urged both sides to de-escalate."),
        ],
        "traps": [("BELGRADE —", "serbia", "dateline: the city of Belgrade")],
    },
    {
        "title": "WHO declares mpox outbreak a global emergency",
        "text": "GENEVA — The World Health Organization declared the spread of mpox in central Africa a public health emergency of international concern on Wednesday.\n\nThe agency said it would release $1.5 million from its contingency fund and ship 50,000 vaccine doses to Congo in the coming weeks. Congo's health minister said his country had recorded more than 15,000 cases this year.\n\nWHO chief Tedros Adhanom Ghebreyesus urged wealthy nations to donate more vaccines.",
        "claims": [
            ("who", "declare", N, N, 0, 0, 0, 0, N, "GENEVA — The World Health Organization declared the spread of mpox in central Africa a public health emergency of international concern on Wednesday."),
            ("who", "release", N, "who", 0, 0, 0, 0, "$1.5 million", "The agency said it would release $1.5 million from its contingency fund and ship 50,000 vaccine doses to Congo in the coming weeks."),
            ("who", "ship", "drc", "who", 0, 0, 0, 0, "50,000 vaccine doses", "The agency said it would release $1.5 million from its contingency fund and ship 50,000 vaccine doses to Congo in the coming weeks."),
            ("drc", "record", N, "drc", 0, 0, 0, 0, "more than 15,000 cases", "Congo's health minister said his country had recorded more than 15,000 cases this year."),
            ("who", "urge", N, N, 0, 0, 0, 0, N, "WHO chief Tedros Adhanom Ghebreyesus urged wealthy nations to donate more vaccines."),
        ],
        "traps": [],
    },
    {
        "title": "Saudi Arabia leads OPEC output cut",
        "text": "VIENNA — OPEC and its allies agreed on Sunday to cut oil production by a further 1 million barrels a day from July, after prices fell to their lowest level in two years.\n\nSaudi Arabia will carry most of the reduction, its energy minister Prince Abdulaziz bin Salman told a news conference. Russia pledged to lower its exports by 500,000 barrels a day.\n\nThe International Energy Agency warned that the cuts could push prices higher. Riyadh has denied coordinating the decision with Moscow.",
        "claims": [
            ("saudi-arabia", "lead", N, N, 0, 0, 0, 1, N, "Saudi Arabia leads OPEC output cut"),
            ("opec", "cut", N, N, 0, 0, 0, 0, "a further 1 million barrels a day", "VIENNA — OPEC and its allies agreed on Sunday to cut oil production by a further 1 million barrels a day from July, after prices fell to their lowest level in two years."),
            ("saudi-arabia", "carry", N, "saudi-arabia", 0, 0, 0, 0, N, "Saudi Arabia will carry most of the reduction, its energy minister Prince Abdulaziz bin Salman told a news conference."),
            ("russia", "lower", N, "russia", 0, 0, 0, 0, "500,000 barrels a day", "Russia pledged to lower its exports by 500,000 barrels a day."),
            ("saudi-arabia", "coordinate", "russia", "saudi-arabia", 1, 0, 0, 0, N, "Riyadh has denied coordinating the decision with Moscow."),
        ],
        "traps": [],
    },
    {
        "title": "Arakan Army seizes border town from Myanmar junta",
        "text": "The Arakan Army said on Thursday it had captured the town of Maungdaw near the Bangladesh border after months of clashes with Myanmar's military.\n\nThe junta's spokesman, Major General Zaw Min Tun, denied that the town had fallen and accused the rebels of burning homes. The ethnic armed group rejected the charge.\n\nThousands of Rohingya residents have fled across the border into Bangladesh, aid workers said.",
        "claims": [
            ("arakan-army", "seize", "myanmar", N, 0, 0, 0, 1, N, "Arakan Army seizes border town from Myanmar junta"),
            ("arakan-army", "capture", N, "arakan-army", 0, 0, 0, 0, N, "The Arakan Army said on Thursday it had captured the town of Maungdaw near the Bangladesh border after months of clashes with Myanmar's military."),
            ("arakan-army", "burn", N, "myanmar", 0, 0, 0, 0, N, "The junta's spokesman, Major General Zaw Min Tun, denied that the town had fallen and accused the rebels of burning homes."),
            ("arakan-army", "burn", N, "arakan-army", 1, 0, 0, 0, N, "The ethnic armed group rejected the charge."),
        ],
        "traps": [],
    },
    {
        "title": "Norway expels Russian diplomats over spying",
        "text": "OSLO — Norway expelled 15 Russian diplomats on Thursday, saying they had spied on Norwegian defence firms.\n\nThe Kremlin called the decision \"unfriendly\" and promised to retaliate. Norwegian police arrested a university researcher last month on suspicion of spying for Moscow.\n\nRussia's embassy in Oslo said the diplomats had done nothing wrong.",
        "claims": [
            ("norway", "expel", "russia", N, 0, 0, 0, 0, "15 Russian diplomats", "OSLO — Norway expelled 15 Russian diplomats on Thursday, saying they had spied on Norwegian defence firms."),
            ("russia", "spy", N, "norway", 0, 0, 0, 0, N, "OSLO — Norway expelled 15 Russian diplomats on Thursday, saying they had spied on Norwegian defence firms."),
            ("russia", "retaliate", N, "russia", 0, 0, 0, 0, N, "The Kremlin called the decision \"unfriendly\" and promised to retaliate."),
            ("norway", "arrest", N, N, 0, 0, 0, 0, N, "Norwegian police arrested a university researcher last month on suspicion of spying for Moscow."),
        ],
        "traps": [("OSLO —", "norway", "dateline: the city of Oslo"), ("embassy in Oslo", "norway", "literal place: the city of Oslo")],
    },
    {
        "title": "India halts water treaty with Pakistan",
        "text": "NEW DELHI — India suspended the Indus Waters Treaty with Pakistan on Wednesday, a day after gunmen killed 26 tourists in Kashmir.\n\nNew Delhi blamed the attack on militants backed by Islamabad. Pakistan denied any involvement and said stopping its share of the river's water would be \"an act of war\".\n\nThe World Bank, which brokered the 1960 treaty, said it had no role in the decision.",
        "claims": [
            ("india", "halt", "pakistan", N, 0, 0, 0, 1, N, "India halts water treaty with Pakistan"),
            ("india", "suspend", "pakistan", N, 0, 0, 0, 0, N, "NEW DELHI — India suspended the Indus Waters Treaty with Pakistan on Wednesday, a day after gunmen killed 26 tourists in Kashmir."),
            ("india", "blame", N, "india", 0, 0, 0, 0, N, "New Delhi blamed the attack on militants backed by Islamabad."),
            ("pakistan", "back", N, "india", 0, 0, 1, 0, N, "New Delhi blamed the attack on militants backed by Islamabad."),
            ("pakistan", "back", N, "pakistan", 1, 0, 0, 0, N, "Pakistan denied any involvement and said stopping its share of the river's water would be \"an act of war\"."),
        ],
        "traps": [("NEW DELHI —", "india", "dateline: the city of New Delhi")],
    },
    {
        "title": "Kagame meets Tshisekedi in Doha",
        "text": "Rwandan President Paul Kagame met his Congolese counterpart Félix Tshisekedi in Doha on Tuesday for their first direct talks in a year, the Qatari foreign ministry said.\n\nThe two leaders agreed to support a ceasefire in eastern Congo. Kagame has long denied backing the M23, but he told a Rwandan newspaper that his country would defend its border.\n\nThe rebels said they were not bound by the agreement.",
        "claims": [
            ("paul-kagame", "meet", N, N, 0, 0, 0, 0, N, "Rwandan President Paul Kagame met his Congolese counterpart Félix Tshisekedi in Doha on Tuesday for their first direct talks in a year, the Qatari foreign ministry said."),
            ("paul-kagame", "support", N, N, 0, 0, 0, 0, N, "The two leaders agreed to support a ceasefire in eastern Congo."),
            ("paul-kagame", "back", "m23", "paul-kagame", 1, 0, 0, 0, N, "Kagame has long denied backing the M23, but he told a Rwandan newspaper that his country would defend its border."),
            ("rwanda", "defend", N, "paul-kagame", 0, 0, 0, 0, N, "Kagame has long denied backing the M23, but he told a Rwandan newspaper that his country would defend its border."),
            (N, "bind", "m23", "m23", 1, 0, 1, 0, N, "The rebels said they were not bound by the agreement."),
        ],
        "traps": [],
    },
    {
        "title": "Manila gets patrol boats from Japan",
        "text": "The Philippines received five coastal patrol vessels from Japan on Monday under a loan agreement, the Philippine navy said.\n\nThe ships will be stationed near Scarborough Shoal, where Chinese vessels have harassed Filipino fishermen. Beijing warned Manila against \"provocations\" and said its coast guard would continue to patrol the area.\n\nJapan has also sold radar systems to the Philippines.",
        "claims": [
            ("philippines", "get", N, N, 0, 0, 0, 1, N, "Manila gets patrol boats from Japan"),
            ("philippines", "receive", N, "philippines", 0, 0, 0, 0, "five coastal patrol vessels", "The Philippines received five coastal patrol vessels from Japan on Monday under a loan agreement, the Philippine navy said."),
            ("china", "harass", N, N, 0, 0, 0, 0, N, "The ships will be stationed near Scarborough Shoal, where Chinese vessels have harassed Filipino fishermen."),
            ("china", "warn", "philippines", N, 0, 0, 0, 0, N, "Beijing warned Manila against \"provocations\" and said its coast guard would continue to patrol the area."),
            ("china-coast-guard", "patrol", N, "china", 0, 0, 0, 0, N, "Beijing warned Manila against \"provocations\" and said its coast guard would continue to patrol the area."),
            (N, "sell", "philippines", N, 0, 0, 0, 0, N, "Japan has also sold radar systems to the Philippines."),
        ],
        "traps": [],
    },
    {
        "title": "Kenyan troops killed in roadside blast",
        "text": "Eight Kenyan soldiers were killed by a roadside bomb in Lamu county near the Somali border, Kenya's defence ministry said on Saturday.\n\nThe ministry blamed al-Shabaab for the attack. The militants have killed hundreds of Kenyan civilians since Nairobi sent troops to Somalia in 2011.\n\nSomalia's government condemned the bombing and offered its condolences to Kenya.",
        "claims": [
            (N, "kill", "kenya", "kenya", 0, 0, 1, 0, "Eight Kenyan soldiers", "Eight Kenyan soldiers were killed by a roadside bomb in Lamu county near the Somali border, Kenya's defence ministry said on Saturday."),
            ("kenya", "blame", "al-shabaab", "kenya", 0, 0, 0, 0, N, "The ministry blamed al-Shabaab for the attack."),
            ("al-shabaab", "kill", N, N, 0, 0, 0, 0, "hundreds of Kenyan civilians", "The militants have killed hundreds of Kenyan civilians since Nairobi sent troops to Somalia in 2011."),
            ("kenya", "send", "somalia", N, 0, 0, 0, 0, N, "The militants have killed hundreds of Kenyan civilians since Nairobi sent troops to Somalia in 2011."),
            ("somalia", "condemn", N, N, 0, 0, 0, 0, N, "Somalia's government condemned the bombing and offered its condolences to Kenya."),
            ("somalia", "offer", "kenya", N, 0, 0, 0, 0, N, "Somalia's government condemned the bombing and offered its condolences to Kenya."),
        ],
        "traps": [],
    },
    {
        "title": "Petro orders extradition of ELN commander",
        "text": "Colombian President Gustavo Petro approved the extradition of a senior ELN commander to the United States on Thursday, reversing his earlier refusal.\n\nU.S. prosecutors have charged the commander, known as Pablito, with drug trafficking. The guerrillas warned that the move would end any chance of peace.\n\nPetro had refused to extradite rebel leaders during the talks. He said in March that he would not extradite anyone who was negotiating with the government.",
        "claims": [
            ("gustavo-petro", "order", N, N, 0, 0, 0, 1, N, "Petro orders extradition of ELN commander"),
            ("gustavo-petro", "approve", N, N, 0, 0, 0, 0, N, "Colombian President Gustavo Petro approved the extradition of a senior ELN commander to the United States on Thursday, reversing his earlier refusal."),
            ("gustavo-petro", "reverse", N, N, 0, 0, 0, 0, N, "Colombian President Gustavo Petro approved the extradition of a senior ELN commander to the United States on Thursday, reversing his earlier refusal."),
            (N, "charge", "eln", N, 0, 0, 0, 0, N, "U.S. prosecutors have charged the commander, known as Pablito, with drug trafficking."),
            ("gustavo-petro", "extradite", N, N, 1, 0, 0, 0, N, "Petro had refused to extradite rebel leaders during the talks."),
            ("gustavo-petro", "extradite", N, "gustavo-petro", 1, 0, 0, 0, N, "He said in March that he would not extradite anyone who was negotiating with the government."),
        ],
        "traps": [],
    },
    {
        "title": "Serbia signs gas deal with Russia despite EU pressure",
        "text": "Serbia signed a three-year gas supply contract with Russia on Friday, defying calls from the European Union to reduce its dependence on Russian energy.\n\nUnder the deal, gas delivered by Gazprom through the TurkStream pipeline will cover most of Serbia's needs, Vučić told state television. He thanked President Vladimir Putin for a \"fair price\".\n\nBrussels has frozen part of the funds promised to Belgrade for its accession talks. An EU spokesperson said the bloc was studying the contract.",
        "claims": [
            ("serbia", "sign", "russia", N, 0, 0, 0, 0, N, "Serbia signed a three-year gas supply contract with Russia on Friday, defying calls from the European Union to reduce its dependence on Russian energy."),
            ("serbia", "defy", N, N, 0, 0, 0, 0, N, "Serbia signed a three-year gas supply contract with Russia on Friday, defying calls from the European Union to reduce its dependence on Russian energy."),
            ("aleksandar-vucic", "thank", N, N, 0, 0, 0, 0, N, "He thanked President Vladimir Putin for a \"fair price\"."),
            ("european-union", "freeze", N, N, 0, 0, 0, 0, N, "Brussels has frozen part of the funds promised to Belgrade for its accession talks."),
            (N, "promise", "serbia", N, 0, 0, 1, 0, N, "Brussels has frozen part of the funds promised to Belgrade for its accession talks."),
            ("european-union", "study", N, "european-union", 0, 0, 0, 0, N, "An EU spokesperson said the bloc was studying the contract."),
        ],
        "traps": [],
    },
    {
        "title": "Cholera vaccines shipped to Haiti",
        "text": "The World Health Organization and UNICEF have shipped 200,000 doses of oral cholera vaccine to Haiti and the Dominican Republic, the agency said on Monday.\n\nHaiti's health ministry has reported more than 3,000 suspected cases since January, most of them in camps for people displaced by gang violence. The vaccines were paid for by the European Union and Kenya.\n\nGangs have looted two clinics in the capital, the ministry said.",
        "claims": [
            ("who", "ship", "haiti", "who", 0, 0, 0, 0, "200,000 doses of oral cholera vaccine", "The World Health Organization and UNICEF have shipped 200,000 doses of oral cholera vaccine to Haiti and the Dominican Republic, the agency said on Monday."),
            ("european-union", "pay", N, N, 0, 0, 1, 0, N, "The vaccines were paid for by the European Union and Kenya."),
            ("kenya", "pay", N, N, 0, 0, 1, 0, N, "The vaccines were paid for by the European Union and Kenya."),
        ],
        "traps": [],
    },
    {
        "title": "Aliyev says peace deal with Armenia is within reach",
        "text": "BAKU — President Ilham Aliyev said on Monday that Azerbaijan and Armenia had agreed on the text of a peace treaty. He urged Yerevan to change its constitution before the document is signed.\n\nArmenian Prime Minister Nikol Pashinyan welcomed the progress. He said his government would not amend the constitution under pressure.\n\nAliyev also accused France of arming Armenia. Paris has sold armoured vehicles and radars to Yerevan since 2023.",
        "claims": [
            ("azerbaijan", "agree", N, "ilham-aliyev", 0, 0, 0, 0, N, "BAKU — President Ilham Aliyev said on Monday that Azerbaijan and Armenia had agreed on the text of a peace treaty."),
            ("armenia", "agree", N, "ilham-aliyev", 0, 0, 0, 0, N, "BAKU — President Ilham Aliyev said on Monday that Azerbaijan and Armenia had agreed on the text of a peace treaty."),
            ("ilham-aliyev", "urge", "armenia", N, 0, 0, 0, 0, N, "He urged Yerevan to change its constitution before the document is signed."),
            ("nikol-pashinyan", "welcome", N, N, 0, 0, 0, 0, N, "Armenian Prime Minister Nikol Pashinyan welcomed the progress."),
            ("armenia", "amend", N, "nikol-pashinyan", 1, 0, 0, 0, N, "He said his government would not amend the constitution under pressure."),
            (N, "arm", "armenia", "ilham-aliyev", 0, 0, 0, 0, N, "Aliyev also accused France of arming Armenia."),
            (N, "sell", "armenia", N, 0, 0, 0, 0, N, "Paris has sold armoured vehicles and radars to Yerevan since 2023."),
        ],
        "traps": [("BAKU —", "azerbaijan", "dateline: the city of Baku")],
    },
    {
        "title": "Ruiz double lifts América past Toluca",
        "text": "MEXICO CITY — Kenya Ruiz scored twice as Club América beat Toluca 3-1 on Saturday to move top of the league.\n\nRuiz, who joined from Pachuca in January, opened the scoring with a header and added a second from the penalty spot. Toluca's coach said his side had been unlucky.\n\nAmérica will travel to New Orleans next month for a friendly at a stadium near Congo Square.",
        "claims": [],
        "traps": [("Kenya Ruiz", "kenya", "a footballer named Kenya"), ("Congo Square", "drc", "a square in New Orleans")],
    },
]


def _forms(actor: dict) -> list[str]:
    forms = {actor["name"], *actor.get("aliases", [])}
    forms |= {f[4:] for f in forms if f.startswith("the ")}
    return sorted(forms, key=len, reverse=True)


def _spans(text: str, form: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(rf"(?<!\w){re.escape(form)}(?!\w)", text)]


def _named(text: str, actor: dict, traps: list[tuple[int, int]]) -> bool:
    for form in _forms(actor):
        for s, e in _spans(text, form):
            if not any(s < te and e > ts for ts, te in traps):
                return True
    return False


def build() -> None:
    actors = {a["id"]: a for a in yaml.safe_load((HERE / "entities.yaml").read_text())["actors"]}
    (HERE / "articles").mkdir(exist_ok=True)
    (HERE / "gold").mkdir(exist_ok=True)
    for n, art in enumerate(ARTICLES, start=1):
        aid = f"h{n:03d}"
        text = art["text"]
        trap_spans = {
            tid: [sp for s, t, _ in art["traps"] if t == tid for sp in _spans(text, s)]
            for _, tid, _ in art["traps"]
        }
        entities = sorted(i for i, a in actors.items() if _named(text, a, trap_spans.get(i, [])))
        claims = []
        for subj, pred, obj, spk, neg, hedged, passive, headline, qty, ev in art["claims"]:
            source = art["title"] if headline else text
            assert ev in source, (aid, ev)
            assert qty is None or qty in ev, (aid, qty)
            roles = [r for r in (subj, obj, spk) if r is not None]
            needs = any(not _named(ev, actors[r], []) for r in roles)
            claims.append(
                {
                    "subject": subj, "predicate": pred, "object": obj, "speaker": spk,
                    "negated": bool(neg), "hedged": bool(hedged), "passive": bool(passive),
                    "needs_coref": needs, "headline": bool(headline), "quantity": qty,
                    "evidence": ev,
                }
            )
        not_entities = sorted({t for _, t, _ in art["traps"]} - set(entities))
        gold = {
            "entities": entities, "not_entities": not_entities, "claims": claims,
            "duplicate_of": None,
            "traps": [{"surface": s, "id": t, "refers_to": r} for s, t, r in art["traps"]],
        }
        article = {
            "id": aid, "title": art["title"], "source": "Heldout Wire",
            "published": f"2026-05-{n:02d}T09:00:00Z",
            "url": f"https://example-news.test/heldout2/{aid}", "text": text,
        }
        dump = {"ensure_ascii": False, "indent": 2}
        (HERE / "articles" / f"{aid}.json").write_text(json.dumps(article, **dump) + "\n")
        (HERE / "gold" / f"{aid}.json").write_text(json.dumps(gold, **dump) + "\n")


if __name__ == "__main__":
    build()
