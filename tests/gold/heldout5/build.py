#!/usr/bin/env python3
"""Build the heldout5 evaluation set (articles/ and gold/) from the table below.

Usage (from /work/main):  .venv/bin/python tests/gold/heldout5/build.py

Each article is one dict: id, title, source, published, slug, paras (the body paragraphs),
claims and traps. A claim is a tuple
    (subject, predicate, object, speaker, negated, hedged, passive, headline, quantity, fragment)
where the ids are registry ids or None and `fragment` is a string that occurs exactly once in
the body (in the title for headline claims). The claim's evidence is the sentence of the body
that contains the fragment (the whole title for headline claims). A trap is a tuple
(surface, id, refers_to).

Derived, the way claims-dev's validate.py checks them:
  * entities: ids whose name or alias occurs in the body on whole tokens, case-sensitively,
    longest match first, minus matches inside a trap surface for the same id;
  * not_entities: trap ids that are not entities;
  * needs_coref: true when some non-null role (subject, object, speaker) is not named by
    name or alias inside the evidence.
The script checks its own output (fragments unique, roles among the entities, quantities in
the evidence, 280-450 words, 5-8 paragraphs, title actors named in the body) and exits 1 on
any error.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
ROLES = ("subject", "object", "speaker")
ABBR = ("U.S.", "U.N.", "U.K.", "Dr.", "Mr.", "Ms.", "Mrs.", "Gen.", "Lt.", "Col.", "St.", "No.")
ARTICLES = []


def art(**kw):
    ARTICLES.append(kw)


# ---------------------------------------------------------------- matching (as validate.py)
def surface_forms(ent):
    forms = {ent["name"]}
    for a in ent.get("aliases") or []:
        forms.add(a)
        if a.lower().startswith("the "):
            forms.add(a[4:])
    return forms


def mentions(text, registry, traps=()):
    cands = []
    for eid, ent in registry.items():
        for f in surface_forms(ent):
            for m in re.finditer(r"(?<!\w)" + re.escape(f) + r"(?!\w)", text):
                cands.append((m.start(), m.end(), eid))
    spans = [
        (m.start(), m.end(), t["id"])
        for t in traps
        for m in re.finditer(re.escape(t["surface"]), text)
    ]
    taken, out = [], []
    for s, e, eid in sorted(cands, key=lambda c: (c[0] - c[1], c[0])):
        if any(s < te and ts < e for ts, te in taken):
            continue
        if any(s < te and ts < e and tid == eid for ts, te, tid in spans):
            continue
        taken.append((s, e))
        out.append((s, e, eid))
    return sorted(out)


def sentences(text):
    """(start, end) of every sentence: paragraphs are split after . ! ? (and a closing
    quote) when whitespace and a capital, digit or opening quote follow, except after the
    abbreviations in ABBR."""
    out = []
    for pm in re.finditer(r"[^\n]+", text):
        p, base, start = pm.group(), pm.start(), 0
        for m in re.finditer(r"[.!?][\"”’)]?(?=\s+[\"“(]?[A-Z0-9])", p):
            head = p[: m.end()]
            if any(
                head.endswith(a) and (len(head) == len(a) or not head[-len(a) - 1].isalnum())
                for a in ABBR
            ):
                continue
            out.append((base + start, base + m.end()))
            start = m.end()
            while start < len(p) and p[start].isspace():
                start += 1
        out.append((base + start, base + len(p)))
    return out


# ---------------------------------------------------------------- building
def build():
    registry = {
        e["id"]: e
        for e in yaml.safe_load((HERE / "entities.yaml").read_text(encoding="utf-8"))["actors"]
    }
    errors = []
    (HERE / "articles").mkdir(exist_ok=True)
    (HERE / "gold").mkdir(exist_ok=True)
    for d in ("articles", "gold"):
        for p in (HERE / d).glob("h*.json"):
            p.unlink()
    used = set()
    for a in ARTICLES:
        aid = a["id"]
        err = lambda msg, aid=aid: errors.append(f"{aid}: {msg}")  # noqa: E731
        text = "\n\n".join(a["paras"])
        title = a["title"]
        if any(not p or p != p.strip() or "\n" in p for p in a["paras"]):
            err("bad paragraph")
        if not 5 <= len(a["paras"]) <= 8:
            err(f"{len(a['paras'])} paragraphs")
        nw = len(text.split())
        if not 280 <= nw <= 450:
            err(f"{nw} words")
        traps = [{"surface": s, "id": i, "refers_to": r} for s, i, r in a.get("traps", [])]
        for t in traps:
            if t["id"] not in registry:
                err(f"trap id {t['id']}")
            if t["surface"] not in text:
                err(f"trap surface not in text: {t['surface']!r}")
            elif t["id"] in registry and not any(
                re.search(r"(?<!\w)" + re.escape(f.lower()) + r"(?!\w)", t["surface"].lower())
                for f in surface_forms(registry[t["id"]])
            ):
                err(f"trap surface contains no form of {t['id']}: {t['surface']!r}")
        tm = mentions(text, registry, traps)
        hm = mentions(title, registry, traps)
        ents = sorted({i for _, _, i in tm})
        used |= set(ents)
        for i in {i for _, _, i in hm} - set(ents):
            err(f"title names {i}, the body does not")
        nots = sorted({t["id"] for t in traps} - set(ents))
        sents = sentences(text)
        claims = []
        for c in a["claims"]:
            if len(c) != 10:
                err(f"claim tuple of length {len(c)}: {c}")
                continue
            subj, pred, obj, spk, neg, hed, pas, head, qty, frag = c
            if head:
                if frag not in title:
                    err(f"headline fragment not in title: {frag!r}")
                    continue
                ev, _src, ments, off = title, title, hm, 0
            else:
                if text.count(frag) != 1:
                    err(f"fragment occurs {text.count(frag)} times: {frag!r}")
                    continue
                i = text.find(frag)
                hit = [(s, e) for s, e in sents if s <= i and i + len(frag) <= e]
                if not hit:
                    err(f"fragment spans two sentences: {frag!r}")
                    continue
                s, e = hit[0]
                ev, _src, ments, off = text[s:e], text, tm, s
            for r, v in zip(ROLES, (subj, obj, spk), strict=False):
                if v is not None and v not in ents:
                    err(f"{r} {v!r} not among entities ({frag!r})")
            if subj is None and obj is None:
                err(f"subject and object both null ({frag!r})")
            if not re.match(r"^[a-z]+(?: [a-z]+)?$", pred):
                err(f"bad predicate {pred!r}")
            if qty is not None and qty not in ev:
                err(f"quantity {qty!r} not in evidence {ev!r}")
            named = {i for s, e, i in ments if off <= s and e <= off + len(ev)}
            coref = any(v is not None and v not in named for v in (subj, obj, spk))
            claims.append(
                {
                    "subject": subj,
                    "predicate": pred,
                    "object": obj,
                    "speaker": spk,
                    "negated": bool(neg),
                    "hedged": bool(hed),
                    "passive": bool(pas),
                    "needs_coref": coref,
                    "headline": bool(head),
                    "quantity": qty,
                    "evidence": ev,
                }
            )
        src_slug = re.sub(r"[^a-z0-9]+", "-", a["source"].lower()).strip("-")
        day = a["published"][:10].replace("-", "/")
        article = {
            "id": aid,
            "title": title,
            "source": a["source"],
            "published": a["published"],
            "url": f"https://example-news.test/{src_slug}/{day}/{a['slug']}",
            "text": text,
        }
        gold = {
            "entities": ents,
            "not_entities": nots,
            "claims": claims,
            "duplicate_of": None,
            "traps": traps,
        }
        for d, obj_ in (("articles", article), ("gold", gold)):
            (HERE / d / f"{aid}.json").write_text(
                json.dumps(obj_, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
            )
    for eid in sorted(set(registry) - used):
        errors.append(f"registry actor {eid} is named in no article")
    for e in errors:
        print("ERROR:", e)
    n = sum(1 for _ in ARTICLES)
    print(f"{n} articles written" + ("" if not errors else f"; {len(errors)} error(s)"))
    return 1 if errors else 0


# ---------------------------------------------------------------- the table
N = None

art(
    id="h001",
    source="Northgate News Service",
    published="2026-02-13T16:40:00Z",
    slug="who-pandemic-annex-talks-eu-indonesia",
    title="WHO extends pandemic annex talks after EU rejects Indonesian compromise",
    paras=[
        "GENEVA — Negotiations on the pathogen-sharing annex to the World Health Organization's pandemic agreement ran past their deadline on Friday after the European Union rejected a compromise text drafted by Indonesia, diplomats said.",
        "The annex sets out how much of their output drug makers must set aside for poorer countries during a pandemic. The current draft reserves 20 percent of real-time production of vaccines, tests and treatments, half of it as a donation. Indonesia, which leads a group of about 80 developing countries in the talks, had sought 30 percent.",
        '"We cannot sign an annex that guarantees supplies on paper and nothing in practice," said Indonesia\'s health minister, Arief Santoso, who chaired the group\'s meetings in Geneva. He accused the EU of "protecting the profits of its pharmaceutical industry" at the expense of the global south.',
        'The EU\'s lead negotiator, Katrin Vollmer, said the bloc had raised its offer to 25 percent on Thursday and would fund vaccine plants in Africa and Southeast Asia through a new €500 million facility. "Nobody here wants a repeat of 2021, but the numbers have to work for the companies that do the manufacturing," she said.',
        'South Africa sided with Indonesia. Its health minister, Thandiwe Mokoena, accused the EU of "negotiating in bad faith" and said Pretoria would not ratify the agreement without a binding annex. African health ministers will meet in Pretoria next month to agree a common position.',
        'Tedros Adhanom Ghebreyesus, the WHO\'s director-general, urged member states to finish the annex before the World Health Assembly in May. "The next pandemic will not wait for our procedures," he said. Talks resume on April 27.',
        "The United States quit the WHO in January and was absent from the talks. Argentina, which is also leaving the organisation, sent only an observer.",
    ],
    claims=[
        ("who", "extend", N, N, 0, 0, 0, 1, N, "WHO extends pandemic annex talks"),
        (
            "european-union",
            "reject",
            N,
            N,
            0,
            0,
            0,
            0,
            N,
            "the European Union rejected a compromise text",
        ),
        ("indonesia", "draft", N, N, 0, 0, 1, 0, N, "drafted by Indonesia"),
        (
            "indonesia",
            "lead",
            N,
            N,
            0,
            0,
            0,
            0,
            "about 80 developing countries",
            "which leads a group of about 80",
        ),
        ("indonesia", "seek", N, N, 0, 0, 0, 0, "30 percent", "had sought 30 percent"),
        ("indonesia", "sign", N, "indonesia", 1, 0, 0, 0, N, "We cannot sign an annex"),
        ("indonesia", "chair", N, N, 0, 0, 0, 0, N, "who chaired the group's meetings"),
        ("european-union", "protect", N, "indonesia", 0, 0, 0, 0, N, "He accused the EU of"),
        (
            "european-union",
            "raise",
            N,
            "european-union",
            0,
            0,
            0,
            0,
            "25 percent",
            "had raised its offer",
        ),
        (
            "european-union",
            "fund",
            N,
            "european-union",
            0,
            0,
            0,
            0,
            "€500 million",
            "would fund vaccine plants",
        ),
        (
            "south-africa",
            "side",
            "indonesia",
            N,
            0,
            0,
            0,
            0,
            N,
            "South Africa sided with Indonesia",
        ),
        (
            "european-union",
            "negotiate",
            N,
            "south-africa",
            0,
            0,
            0,
            0,
            N,
            "negotiating in bad faith",
        ),
        (
            "south-africa",
            "ratify",
            N,
            "south-africa",
            1,
            0,
            0,
            0,
            N,
            "would not ratify the agreement",
        ),
        ("tedros", "urge", N, N, 0, 0, 0, 0, N, "urged member states to finish the annex"),
        ("united-states", "quit", "who", N, 0, 0, 0, 0, N, "The United States quit the WHO"),
        (N, "leave", "who", N, 0, 0, 0, 0, N, "which is also leaving the organisation"),
    ],
    traps=[
        (
            "meet in Pretoria",
            "south-africa",
            "literal place: the city where the ministers will meet",
        )
    ],
)

art(
    id="h002",
    source="Harbour Post",
    published="2026-05-19T08:15:00Z",
    slug="india-wheat-export-ban-bangladesh",
    title="India halts wheat exports as Bangladesh seeks emergency supplies",
    paras=[
        "NEW DELHI — India on Tuesday banned exports of wheat and wheat flour with immediate effect, citing a heatwave that has cut the harvest in Punjab and Haryana by as much as a fifth, the commerce ministry said.",
        'The order exempts shipments already backed by letters of credit and allows the government to approve sales to "friendly countries" facing food emergencies. Exporters had shipped 3.2 million tonnes in the first four months of the year, most of it to Bangladesh, Nepal and the United Arab Emirates. Indian port officials said about 1.8 million tonnes of wheat were stuck at terminals in Gujarat.',
        'Bangladesh, which buys about a third of its wheat from India, asked New Delhi on Wednesday to honour contracts signed before the ban. "Contracts are contracts. We are asking India to keep its word," Bangladesh\'s food minister, Rezaul Karim, told reporters in Dhaka.',
        "Egypt, the world's largest wheat importer, said its reserves would last until September. Its supply ministry nonetheless bought 240,000 tonnes from Russia and Romania on Thursday, traders said. Russia's agriculture ministry said Moscow would keep supplying \"traditional partners\" in North Africa and the Middle East at market prices.",
        'The ban drew criticism at the World Trade Organization, where the United States and Australia said export restrictions by large producers "destabilise world markets". India has defended such curbs as necessary to feed its 1.4 billion people, and an Indian trade official said New Delhi would notify the WTO "in due course".',
        "India imposed a similar ban in May 2022 and eased it only partly the following year. Prime Minister Narendra Modi has promised farmers a minimum purchase price 7 percent higher than last season's, and state agencies have bought a record volume of grain since April.",
        "Traders said the ban could push global wheat prices up by 10 percent before the northern harvest. The commerce ministry said India would review shipments to Bangladesh case by case.",
    ],
    claims=[
        ("india", "halt", N, N, 0, 0, 0, 1, N, "India halts wheat exports"),
        ("bangladesh", "seek", N, N, 0, 0, 0, 1, N, "Bangladesh seeks emergency supplies"),
        ("india", "ban", N, "india", 0, 0, 0, 0, N, "India on Tuesday banned exports"),
        (N, "allow", "india", N, 0, 0, 0, 0, N, "allows the government to approve"),
        (
            N,
            "ship",
            "bangladesh",
            N,
            0,
            0,
            0,
            0,
            "3.2 million tonnes",
            "Exporters had shipped 3.2 million tonnes",
        ),
        (
            N,
            "ship",
            "uae",
            N,
            0,
            0,
            0,
            0,
            "3.2 million tonnes",
            "Exporters had shipped 3.2 million tonnes",
        ),
        (
            "bangladesh",
            "buy",
            "india",
            N,
            0,
            0,
            0,
            0,
            "about a third of its wheat",
            "which buys about a third",
        ),
        ("bangladesh", "ask", "india", N, 0, 0, 0, 0, N, "asked New Delhi on Wednesday"),
        (
            "bangladesh",
            "ask",
            "india",
            "bangladesh",
            0,
            0,
            0,
            0,
            N,
            "We are asking India to keep its word",
        ),
        ("egypt", "buy", "russia", N, 0, 0, 0, 0, "240,000 tonnes", "bought 240,000 tonnes"),
        ("russia", "supply", N, "russia", 0, 0, 0, 0, N, "would keep supplying"),
        ("india", "defend", N, N, 0, 0, 0, 0, N, "India has defended such curbs"),
        ("india", "notify", "wto", "india", 0, 0, 0, 0, N, "would notify the WTO"),
        ("india", "ban", N, N, 0, 0, 0, 0, N, "India imposed a similar ban"),
        ("india", "ease", N, N, 0, 0, 0, 0, N, "eased it only partly"),
        ("narendra-modi", "promise", N, N, 0, 0, 0, 0, "7 percent", "has promised farmers"),
        ("india", "review", N, "india", 0, 0, 0, 0, N, "India would review shipments"),
    ],
    traps=[
        ("NEW DELHI —", "india", "dateline: the city of New Delhi"),
        ("reporters in Dhaka", "bangladesh", "literal place: where the minister spoke"),
    ],
)

art(
    id="h003",
    source="Equator Wire",
    published="2026-04-06T11:30:00Z",
    slug="chad-refugee-rations-wfp-cuts",
    title="UN agencies cut rations in Chad camps as donors fall short",
    paras=[
        "N'DJAMENA — The World Food Programme will halve food rations for more than 600,000 Sudanese refugees in eastern Chad from next month because of a funding shortfall, the agency said on Monday.",
        'The WFP said it had received only 38 percent of the $412 million it needs for its operation in the country this year. Its country director, Marianne Okafor, said the cuts would hit children first. "We are choosing between feeding families today and keeping anything in the pipeline for the lean season," she said.',
        "The UN Refugee Agency, UNHCR, said more than 20,000 people had crossed the border from the Darfur region in March alone, fleeing attacks by the Rapid Support Forces around El Fasher. The paramilitary group, which has been fighting Sudan's army since April 2023, denied targeting civilians. Sudan's government, based in Port Sudan, accused the RSF of shelling camps for displaced people near the border.",
        "Chad already hosts about 1.2 million refugees, most of them in camps such as Adré and Farchana near the border. Its government has asked donors for an extra $150 million and has allocated 400 hectares of land for new camps, Interior Minister Ali Ahmat Hassane told reporters in N'Djamena.",
        "The European Union, the largest donor to the response last year, pledged €45 million in new aid on Friday. The United States, which gave the WFP nearly half of its funding for the operation until 2024, has made no pledge for this year. The World Bank has offered Chad a $90 million grant for water and health services in the eastern provinces.",
        'Aid groups said the cuts would push families to return to Darfur, where the RSF is fighting the army for control of the remaining towns. "People will go back to a war zone because a war zone has food," said a camp leader in Adré.',
    ],
    claims=[
        (
            "wfp",
            "halve",
            N,
            "wfp",
            0,
            0,
            0,
            0,
            "more than 600,000 Sudanese refugees",
            "will halve food rations",
        ),
        (
            "wfp",
            "receive",
            N,
            "wfp",
            0,
            0,
            0,
            0,
            "only 38 percent of the $412 million",
            "had received only 38 percent",
        ),
        ("rsf", "fight", "sudan", N, 0, 0, 0, 0, N, "which has been fighting Sudan's army"),
        ("rsf", "target", N, "rsf", 1, 0, 0, 0, N, "denied targeting civilians"),
        ("chad", "host", N, N, 0, 0, 0, 0, "about 1.2 million refugees", "Chad already hosts"),
        ("chad", "ask", N, "chad", 0, 0, 0, 0, "an extra $150 million", "has asked donors"),
        ("chad", "allocate", N, "chad", 0, 0, 0, 0, "400 hectares", "has allocated 400 hectares"),
        ("european-union", "pledge", N, N, 0, 0, 0, 0, "€45 million", "pledged €45 million"),
        (
            "united-states",
            "give",
            "wfp",
            N,
            0,
            0,
            0,
            0,
            "nearly half of its funding",
            "which gave the WFP",
        ),
        ("united-states", "pledge", N, N, 1, 0, 0, 0, N, "has made no pledge"),
        ("rsf", "shell", N, "sudan", 0, 0, 0, 0, N, "accused the RSF of shelling camps"),
        ("world-bank", "offer", "chad", N, 0, 0, 0, 0, "a $90 million grant", "has offered Chad"),
        ("rsf", "fight", "sudan", N, 0, 0, 0, 0, N, "where the RSF is fighting the army"),
    ],
    traps=[
        ("N'DJAMENA —", "chad", "dateline: the city of N'Djamena"),
        ("reporters in N'Djamena", "chad", "literal place: where the minister spoke"),
        ("Port Sudan", "sudan", "the city of Port Sudan, seat of the government"),
    ],
)

art(
    id="h004",
    source="Kestrel Press",
    published="2026-03-27T06:50:00Z",
    slug="imf-sri-lanka-china-exim-debt-terms",
    title="IMF to pay Sri Lanka $340 million after Chinese lender accepts debt terms",
    paras=[
        "COLOMBO — The International Monetary Fund agreed on Thursday to pay Sri Lanka a further $340 million under its bailout programme, after the Export-Import Bank of China accepted new terms on about $4.2 billion in loans, the fund said.",
        "The deal ends a standoff of almost a year. Beijing had resisted the 12-year maturity extension that Sri Lanka agreed last year with India, Japan and France, which lead its official creditor committee, arguing that state lenders should not be treated on the same terms as governments.",
        '"This is a fair outcome for Sri Lanka\'s people and for its creditors," President Anura Kumara Dissanayake said in a televised address. "It was hard, and it took far too long.',
        '"The government will use this money to rebuild our reserves. We will not cut welfare payments to the 1.8 million low-income families who depend on them."',
        'IMF Managing Director Kristalina Georgieva praised the government for "staying the course" on tax reform. Revenue rose to 13.5 percent of gross domestic product last year from 8.2 percent in 2022, according to the fund, although economists say much of the increase came from a value-added tax that has hit poorer households hardest.',
        'India, which lent Sri Lanka about $4 billion in emergency credit lines during the 2022 crisis, said it would continue to support "our closest neighbour" through the recovery. Chinese state media said the agreement showed Beijing was a "responsible creditor".',
        "Private bondholders, who accepted a 27 percent haircut in 2024, are not affected by the new terms. The World Bank said it would lend Colombo a further $500 million for power-sector reform once the IMF review was complete.",
        "Opposition lawmakers accused the government of surrendering economic policy to Washington-based lenders and demanded a parliamentary vote on the terms. Dissanayake won the presidency in 2024 on a promise to renegotiate the bailout, but has kept its main targets in place.",
    ],
    claims=[
        (
            "imf",
            "pay",
            "sri-lanka",
            "imf",
            0,
            0,
            0,
            0,
            "a further $340 million",
            "agreed on Thursday to pay Sri Lanka",
        ),
        ("china", "resist", N, N, 0, 0, 0, 0, N, "Beijing had resisted"),
        ("sri-lanka", "agree", "india", N, 0, 0, 0, 0, N, "that Sri Lanka agreed last year"),
        ("india", "lead", N, N, 0, 0, 0, 0, N, "which lead its official creditor committee"),
        (
            "sri-lanka",
            "use",
            N,
            "anura-kumara-dissanayake",
            0,
            0,
            0,
            0,
            N,
            "The government will use this money",
        ),
        (
            "sri-lanka",
            "cut",
            N,
            "anura-kumara-dissanayake",
            1,
            0,
            0,
            0,
            "1.8 million low-income families",
            "We will not cut welfare payments",
        ),
        ("kristalina-georgieva", "praise", "sri-lanka", N, 0, 0, 0, 0, N, "praised the government"),
        ("india", "lend", "sri-lanka", N, 0, 0, 0, 0, "about $4 billion", "which lent Sri Lanka"),
        ("india", "support", "sri-lanka", "india", 0, 0, 0, 0, N, "would continue to support"),
        (
            "world-bank",
            "lend",
            "sri-lanka",
            "world-bank",
            0,
            0,
            0,
            0,
            "a further $500 million",
            "would lend Colombo",
        ),
        ("sri-lanka", "surrender", N, N, 0, 0, 0, 0, N, "surrendering economic policy"),
        ("anura-kumara-dissanayake", "win", N, N, 0, 0, 0, 0, N, "Dissanayake won the presidency"),
        ("anura-kumara-dissanayake", "keep", N, N, 0, 0, 0, 0, N, "has kept its main targets"),
    ],
    traps=[
        ("COLOMBO —", "sri-lanka", "dateline: the city of Colombo"),
        (
            "Export-Import Bank of China",
            "china",
            "a Chinese state bank, not the Chinese government",
        ),
        ("Washington-based", "united-states", "literal place: where the lenders are based"),
    ],
)

art(
    id="h005",
    source="Crossroads Daily",
    published="2026-01-21T13:05:00Z",
    slug="ethiopia-second-blue-nile-dam-egypt-au",
    title="Cairo warns Addis Ababa over new Blue Nile dam",
    paras=[
        "ADDIS ABABA — Ethiopia has begun building a second hydropower dam on the Blue Nile, about 140 kilometres downstream of the Grand Ethiopian Renaissance Dam, Water Minister Kebede Alemu said on Tuesday.",
        'The minister said the 2,100-megawatt project would be financed entirely from domestic bonds and would not reduce the volume of water reaching Sudan and Egypt. "No foreign power will decide how Ethiopians use their own river," he said.',
        "Egypt's foreign ministry said the project violated a 2015 declaration of principles and accused Addis Ababa of \"imposing facts on the ground\". Cairo formally asked the African Union's Peace and Security Council to order a halt to construction, diplomats said.",
        'Sudan, downstream of both dams, is caught in the middle. Its irrigation minister, Osman Babiker, said Khartoum would not join a complaint against Ethiopia. "We need rules, not rival dams," he said.',
        "The African Union has hosted three rounds of talks on the Renaissance dam since 2020 without producing a deal. Egypt says Ethiopia filled the reservoir too fast during the 2022 drought, a charge Ethiopia rejects. The White Nile, which rises in Uganda and crosses South Sudan, is not affected by either project.",
        'Prime Minister Abiy Ahmed, who inaugurated the Renaissance dam in September 2025, told parliament last month that Ethiopia planned to build at least three more dams on the Nile\'s tributaries. Abiy has repeatedly offered Egypt electricity from the dams at discounted prices. Egyptian President Abdel Fattah al-Sisi has called water security "a red line".',
        "The AU's peace and security commissioner, Adaeze Nwosu, said she would invite Egypt, Ethiopia and Sudan to a summit in Addis Ababa in June. \"The river is shared, and so is the responsibility,\" she said. Egypt's foreign minister will attend, his spokesman said.",
    ],
    claims=[
        ("egypt", "warn", "ethiopia", N, 0, 0, 0, 1, N, "Cairo warns Addis Ababa"),
        ("ethiopia", "build", N, "ethiopia", 0, 0, 0, 0, N, "Ethiopia has begun building"),
        ("ethiopia", "impose", N, "egypt", 0, 0, 0, 0, N, "accused Addis Ababa of"),
        ("egypt", "ask", "african-union", N, 0, 0, 0, 0, N, "Cairo formally asked"),
        ("sudan", "join", N, "sudan", 1, 0, 0, 0, N, "would not join a complaint"),
        (
            "african-union",
            "host",
            N,
            N,
            0,
            0,
            0,
            0,
            "three rounds of talks",
            "has hosted three rounds",
        ),
        ("ethiopia", "fill", N, "egypt", 0, 0, 0, 0, N, "Ethiopia filled the reservoir"),
        ("ethiopia", "fill", N, "ethiopia", 1, 0, 0, 0, N, "a charge Ethiopia rejects"),
        ("abiy-ahmed", "inaugurate", N, N, 0, 0, 0, 0, N, "who inaugurated the Renaissance dam"),
        (
            "ethiopia",
            "build",
            N,
            "abiy-ahmed",
            0,
            1,
            0,
            0,
            "at least three more dams",
            "planned to build at least",
        ),
        ("abiy-ahmed", "offer", "egypt", N, 0, 0, 0, 0, N, "Abiy has repeatedly offered Egypt"),
        ("egypt", "attend", N, "egypt", 0, 0, 0, 0, N, "Egypt's foreign minister will attend"),
        (
            "african-union",
            "invite",
            "egypt",
            "african-union",
            0,
            0,
            0,
            0,
            N,
            "she would invite Egypt",
        ),
        (
            "african-union",
            "invite",
            "ethiopia",
            "african-union",
            0,
            0,
            0,
            0,
            N,
            "she would invite Egypt",
        ),
        (
            "african-union",
            "invite",
            "sudan",
            "african-union",
            0,
            0,
            0,
            0,
            N,
            "she would invite Egypt",
        ),
    ],
    traps=[
        ("ADDIS ABABA —", "ethiopia", "dateline: the city of Addis Ababa"),
        ("South Sudan", "sudan", "a different country, South Sudan"),
        ("summit in Addis Ababa", "ethiopia", "literal place: where the summit will be held"),
    ],
)

art(
    id="h006",
    source="Tidewater Report",
    published="2026-06-08T10:20:00Z",
    slug="nigeria-pangolin-scales-seizure-vietnam",
    title="Nigeria seizes 3.8 tonnes of pangolin scales bound for Vietnam",
    paras=[
        "LAGOS — Nigerian customs officers seized 3.8 tonnes of pangolin scales and 420 kilograms of ivory hidden in a shipping container at the Apapa port on Saturday, the Nigeria Customs Service said.",
        "The container, declared as frozen fish, was to be shipped to Vietnam through the port of Hai Phong, customs spokesman Tunde Bakare told reporters. He said three Nigerians and a Vietnamese national had been arrested and that the haul was worth about $14 million on the black market.",
        "Nigeria has become the main export hub for pangolin scales poached across Central and West Africa, according to the Wildlife Justice Commission, a group based in The Hague. It estimates that traffickers moved at least 190 tonnes through Nigerian ports between 2016 and 2024.",
        "Interpol said the seizure was part of Operation Thunder, a coordinated crackdown in which police and customs agencies in 138 countries arrested more than 360 suspects last month. The organisation's environmental crime unit had passed intelligence on the container to Nigerian authorities, its head, Rania Haddad, said.",
        "Vietnam's environment ministry said it would cooperate with Abuja to identify the buyers. Hanoi banned the trade in pangolin products in 2018 and has pledged to destroy seized stockpiles, and Vietnamese police raided a traditional medicine market in Hanoi last week.",
        'Nigeria signed a memorandum with Vietnam on wildlife enforcement in 2023, but campaigners say arrests rarely lead to convictions. "The kingpins are never in the container," said Olamide Adeyemi of the Pangolin Guardians Network. Britain funded the training of 200 Nigerian customs officers in wildlife forensics last year.',
        "Nigeria's environment minister, Hadiza Lawal, said Abuja would ask Hanoi to extradite a Vietnamese businessman suspected of financing the shipment.",
    ],
    claims=[
        (
            "nigeria",
            "seize",
            N,
            "nigeria",
            0,
            0,
            0,
            0,
            "3.8 tonnes of pangolin scales",
            "Nigerian customs officers seized",
        ),
        (N, "ship", "vietnam", "nigeria", 0, 0, 1, 0, N, "was to be shipped to Vietnam"),
        ("interpol", "pass", "nigeria", "interpol", 0, 0, 0, 0, N, "had passed intelligence"),
        ("vietnam", "cooperate", "nigeria", "vietnam", 0, 0, 0, 0, N, "would cooperate with Abuja"),
        ("vietnam", "ban", N, N, 0, 0, 0, 0, N, "Hanoi banned the trade"),
        ("vietnam", "destroy", N, N, 0, 0, 0, 0, N, "has pledged to destroy"),
        ("vietnam", "raid", N, N, 0, 0, 0, 0, N, "Vietnamese police raided"),
        ("nigeria", "sign", "vietnam", N, 0, 0, 0, 0, N, "Nigeria signed a memorandum"),
        (
            "united-kingdom",
            "fund",
            N,
            N,
            0,
            0,
            0,
            0,
            "200 Nigerian customs officers",
            "Britain funded the training",
        ),
        ("nigeria", "ask", "vietnam", "nigeria", 0, 0, 0, 0, N, "Abuja would ask Hanoi"),
    ],
    traps=[("market in Hanoi", "vietnam", "literal place: where the market is")],
)

art(
    id="h007",
    source="Polar Star News",
    published="2026-02-02T19:10:00Z",
    slug="canada-expels-chinese-diplomats-uyghur-activists",
    title="Canada expels two Chinese diplomats over intimidation of Uyghur activists",
    paras=[
        "OTTAWA — Canada on Monday expelled two Chinese diplomats it said had directed a campaign to intimidate Uyghur activists in Toronto and Vancouver.",
        'Global Affairs Canada said the pair, a consul in Vancouver and a second secretary at the embassy in Ottawa, had been given five days to leave the country. "Canada will not tolerate any form of foreign interference on our soil," the department said in a statement.',
        "The expulsions follow a police investigation which found that relatives of at least four activists had been detained in Xinjiang after the activists spoke at protests last year. One of them, a student in Vancouver, said she had received threatening calls from a man who did not give his name. Police said at least 11 people in Canada had been approached by the pair since 2024.",
        'China\'s embassy in Ottawa rejected the accusations as "groundless" and warned that Beijing would respond "firmly". Foreign ministry spokesman Lin Jian said in a regular briefing that Ottawa had "poisoned the atmosphere" of the relationship.',
        'Prime Minister Mark Carney said he had raised the case with Chinese President Xi Jinping at a summit in November. "I told him directly that this has to stop," Carney told reporters in Ottawa. "We want a working relationship with China, but not at any price." Carney has also ordered a review of all Chinese consular activity in the country.',
        "Relations had begun to recover after Beijing lifted tariffs on Canadian canola last year. Ottawa cut its tariff on Chinese electric vehicles to 20 percent in January, a move welcomed by carmakers but criticised by unions in Ontario.",
        "Air Canada, which resumed flights to Shanghai in March, said its schedule was unaffected. Analysts said Beijing was likely to expel Canadian diplomats in return.",
    ],
    claims=[
        (
            "canada",
            "expel",
            "china",
            N,
            0,
            0,
            0,
            0,
            "two Chinese diplomats",
            "Canada on Monday expelled",
        ),
        ("china", "direct", N, "canada", 0, 0, 0, 0, N, "had directed a campaign"),
        (N, "give", "china", "canada", 0, 0, 1, 0, "five days", "had been given five days"),
        (
            "china",
            "approach",
            N,
            N,
            0,
            0,
            1,
            0,
            "at least 11 people",
            "had been approached by the pair",
        ),
        ("canada", "tolerate", N, "canada", 1, 0, 0, 0, N, "Canada will not tolerate"),
        ("china", "direct", N, "china", 1, 0, 0, 0, N, "rejected the accusations"),
        ("china", "respond", N, "china", 0, 0, 0, 0, N, "Beijing would respond"),
        ("canada", "poison", N, "china", 0, 0, 0, 0, N, 'had "poisoned the atmosphere"'),
        ("mark-carney", "raise", "china", "mark-carney", 0, 0, 0, 0, N, "he had raised the case"),
        ("mark-carney", "order", N, N, 0, 0, 0, 0, N, "Carney has also ordered a review"),
        ("china", "lift", N, N, 0, 0, 0, 0, N, "Beijing lifted tariffs"),
        ("canada", "cut", N, N, 0, 0, 0, 0, "20 percent", "Ottawa cut its tariff"),
        ("china", "expel", "canada", N, 0, 1, 0, 0, N, "Beijing was likely to expel"),
    ],
    traps=[
        ("OTTAWA —", "canada", "dateline: the city of Ottawa"),
        ("embassy in Ottawa", "canada", "literal place: where the embassy is"),
        ("reporters in Ottawa", "canada", "literal place: where Carney spoke"),
        ("Air Canada", "canada", "an airline, not the Canadian government"),
    ],
)

art(
    id="h008",
    source="Sentinel Wire",
    published="2026-03-07T15:45:00Z",
    slug="kinshasa-military-court-coup-plot-sentences",
    title="Military court sentences 14 to death over Congo palace coup plot",
    paras=[
        "KINSHASA — A military court in the capital on Friday sentenced 14 soldiers to death and jailed 17 others for plotting a coup against President Félix Tshisekedi in December, in the second coup-attempt trial in the Democratic Republic of the Congo in two years.",
        "Prosecutors said the group, led by a former colonel of the presidential guard, had planned to seize the state broadcaster and arrest Tshisekedi at his home in the Gombe district. The plot was uncovered by military intelligence two days before it was due to begin, the court heard.",
        "Three of the defendants hold dual Congolese and U.S. citizenship. The U.S. embassy in Kinshasa said it had provided consular assistance to the three men. In 2025, Kinshasa transferred three Americans convicted over the first coup attempt to the United States to serve their sentences.",
        'Defence lawyers said the confessions had been obtained under torture and that the soldiers had been denied access to counsel for six weeks. Justice Minister Marie-Claire Mbuyi denied that the army had mistreated the detainees and said the trial had been "open and fair".',
        "Tshisekedi, who won a second term in 2023, pardoned 20 soldiers convicted over the 2024 attempt last year in what his office called a gesture of reconciliation. His allies have said foreign powers were behind the latest plot, but the court found no evidence of foreign involvement.",
        "The sentences are unlikely to be carried out. Congo had observed a moratorium on executions since 2003, but the government lifted it for soldiers convicted of treason in March 2024. Amnesty International urged Kinshasa to commute all death sentences.",
        "Two of the defendants were arrested in Congo-Brazzaville after crossing the Congo River by boat.",
    ],
    claims=[
        (N, "plot", "felix-tshisekedi", N, 0, 0, 0, 0, N, "for plotting a coup against"),
        (N, "arrest", "felix-tshisekedi", N, 0, 1, 0, 0, N, "arrest Tshisekedi at his home"),
        (
            "united-states",
            "provide",
            N,
            "united-states",
            0,
            0,
            0,
            0,
            N,
            "had provided consular assistance",
        ),
        (
            "dr-congo",
            "transfer",
            "united-states",
            N,
            0,
            0,
            0,
            0,
            "three Americans",
            "Kinshasa transferred three Americans",
        ),
        (
            "dr-congo",
            "mistreat",
            N,
            "dr-congo",
            1,
            0,
            0,
            0,
            N,
            "denied that the army had mistreated",
        ),
        ("felix-tshisekedi", "win", N, N, 0, 0, 0, 0, N, "who won a second term"),
        ("felix-tshisekedi", "pardon", N, N, 0, 0, 0, 0, "20 soldiers", "pardoned 20 soldiers"),
        ("dr-congo", "observe", N, N, 0, 0, 0, 0, N, "Congo had observed a moratorium"),
        ("dr-congo", "lift", N, N, 0, 0, 0, 0, N, "the government lifted it"),
        (N, "urge", "dr-congo", N, 0, 0, 0, 0, N, "Amnesty International urged Kinshasa"),
    ],
    traps=[
        ("KINSHASA —", "dr-congo", "dateline: the city of Kinshasa"),
        ("embassy in Kinshasa", "dr-congo", "literal place: where the embassy is"),
        ("Congo-Brazzaville", "dr-congo", "the neighbouring Republic of the Congo"),
        ("Congo River", "dr-congo", "the river"),
    ],
)

art(
    id="h009",
    source="Northgate News Service",
    published="2026-04-20T02:30:00Z",
    slug="eln-releases-hostages-arauca-cuba-talks",
    title="ELN frees four hostages as Havana talks resume",
    paras=[
        "BOGOTÁ — The National Liberation Army released four hostages, including two police officers, in the northeastern province of Arauca on Sunday, hours before peace talks were due to resume in Cuba, the Catholic Church said.",
        'The hostages, who had been held for up to seven months, were handed to a humanitarian commission of the Church and the United Nations and flown to the city of Arauca by helicopter. The ELN said the release was "a gesture of goodwill" and not a response to military pressure.',
        'President Gustavo Petro said the group was still holding at least 30 people, most of them for ransom. "There will be no ceasefire while the ELN keeps kidnapping Colombians," Petro wrote on social media. Kidnappings in Colombia rose by almost a third last year, according to figures from the defence ministry.',
        'The government\'s chief negotiator, Lucía Mendoza, said her team would travel to Havana on Monday and would press the rebels to stop kidnapping altogether. "Every kidnapping makes this table weaker," she told reporters.',
        'Cuba has hosted the negotiations since 2023, with Norway, Mexico and Venezuela acting as guarantors. Havana\'s foreign ministry said it was ready to host the delegations "for as long as the parties need".',
        "The ELN, which has about 6,000 fighters, suspended the talks in September after a military offensive in Arauca. The Colombian army said last week it had killed 11 ELN fighters in the province and destroyed three camps used to hold hostages. Defence Minister Andrés Salcedo said the offensive would continue until the group released all its captives.",
        "Colombia's attorney general has suspended arrest warrants for 17 ELN commanders so that they can take part in the Havana talks. Victims' groups have criticised the decision.",
    ],
    claims=[
        ("eln", "free", N, N, 0, 0, 0, 1, "four hostages", "ELN frees four hostages"),
        ("eln", "release", N, N, 0, 0, 0, 0, "four hostages", "released four hostages"),
        (
            "eln",
            "hold",
            N,
            "gustavo-petro",
            0,
            0,
            0,
            0,
            "at least 30 people",
            "was still holding at least 30 people",
        ),
        ("eln", "kidnap", N, "gustavo-petro", 0, 0, 0, 0, N, "keeps kidnapping Colombians"),
        ("colombia", "travel", N, "colombia", 0, 0, 0, 0, N, "her team would travel"),
        ("colombia", "press", "eln", "colombia", 0, 0, 0, 0, N, "would press the rebels"),
        ("cuba", "host", N, N, 0, 0, 0, 0, N, "Cuba has hosted the negotiations"),
        ("cuba", "host", N, "cuba", 0, 1, 0, 0, N, "it was ready to host"),
        ("eln", "have", N, N, 0, 0, 0, 0, "about 6,000 fighters", "which has about 6,000 fighters"),
        ("eln", "suspend", N, N, 0, 0, 0, 0, N, "suspended the talks in September"),
        (
            "colombia",
            "kill",
            "eln",
            "colombia",
            0,
            0,
            0,
            0,
            "11 ELN fighters",
            "had killed 11 ELN fighters",
        ),
        ("colombia", "destroy", N, "colombia", 0, 0, 0, 0, "three camps", "destroyed three camps"),
        (
            "colombia",
            "suspend",
            N,
            N,
            0,
            0,
            0,
            0,
            "17 ELN commanders",
            "has suspended arrest warrants",
        ),
    ],
    traps=[
        ("BOGOTÁ —", "colombia", "dateline: the city of Bogotá"),
        ("travel to Havana", "cuba", "literal place: the city the negotiators travel to"),
        ("the Havana talks", "cuba", "the talks held in the city of Havana"),
    ],
)

art(
    id="h010",
    source="Coastline Dispatch",
    published="2026-08-14T21:00:00Z",
    slug="space-station-moved-russian-satellite-breakup",
    title="NASA moves space station after Russian satellite breaks up",
    paras=[
        "HOUSTON — A defunct Russian reconnaissance satellite broke apart in low Earth orbit on Wednesday, and the U.S. Space Force said it was tracking more than 300 pieces of debris spreading along the satellite's former path.",
        "NASA fired the International Space Station's thrusters for about four minutes on Thursday to raise its orbit by 1.2 kilometres, the agency said. The seven crew members were told to shelter in their spacecraft for two hours as a precaution, and the station's solar arrays were turned edge-on to reduce the risk of a strike.",
        'Roscosmos denied that Russia had tested an anti-satellite weapon and said the break-up was caused by an old battery. "There was no collision and no test of any kind," the agency\'s spokeswoman, Yulia Markova, said in Moscow.',
        'Russia destroyed a derelict Soviet-era satellite with a missile in November 2021, creating a cloud of more than 1,500 fragments, and the United States has since campaigned for a global ban on destructive tests. "We will be asking Moscow for the telemetry," a U.S. State Department official said.',
        'The European Space Agency said its Sentinel-1C radar satellite had dodged a fragment on Friday. China, whose 2007 anti-satellite test created the largest debris cloud on record, urged "all spacefaring nations" to act responsibly.',
        'Pavel Lukin, a Moscow-based space analyst, said the satellite\'s batteries had never been designed to be made safe at the end of its life. "Dozens of old spacecraft like this one are waiting to fail," he said.',
        "NASA has contracted SpaceX to bring the station down over the Pacific around 2030. Until then, operators expect more close calls as low orbit grows more crowded. Debris from the break-up is expected to stay in orbit for at least five years, according to the Space Force.",
    ],
    claims=[
        ("nasa", "move", N, N, 0, 0, 0, 1, N, "NASA moves space station"),
        (
            "united-states",
            "track",
            N,
            "united-states",
            0,
            0,
            0,
            0,
            "more than 300 pieces of debris",
            "it was tracking more than 300",
        ),
        (
            "nasa",
            "fire",
            N,
            "nasa",
            0,
            0,
            0,
            0,
            "about four minutes",
            "NASA fired the International Space Station's thrusters",
        ),
        ("russia", "test", N, "roscosmos", 1, 0, 0, 0, N, "Roscosmos denied that Russia"),
        ("russia", "destroy", N, N, 0, 0, 0, 0, N, "Russia destroyed a derelict"),
        (
            "russia",
            "create",
            N,
            N,
            0,
            0,
            0,
            0,
            "more than 1,500 fragments",
            "creating a cloud of more than 1,500",
        ),
        ("united-states", "campaign", N, N, 0, 0, 0, 0, N, "has since campaigned"),
        (
            "united-states",
            "ask",
            "russia",
            "united-states",
            0,
            0,
            0,
            0,
            N,
            "We will be asking Moscow",
        ),
        ("esa", "dodge", N, "esa", 0, 0, 0, 0, N, "had dodged a fragment"),
        ("china", "urge", N, N, 0, 0, 0, 0, N, 'urged "all spacefaring nations"'),
        ("nasa", "contract", N, N, 0, 0, 0, 0, N, "NASA has contracted SpaceX"),
    ],
    traps=[
        ("said in Moscow", "russia", "literal place: where the spokeswoman spoke"),
        ("Moscow-based", "russia", "literal place: where the analyst is based"),
    ],
)

art(
    id="h011",
    source="Kestrel Press",
    published="2026-05-04T07:25:00Z",
    slug="georgia-detains-journalists-opposition-rally",
    title="Georgia detains three journalists after opposition rally",
    paras=[
        "TBILISI — Georgian police detained three journalists covering an opposition rally outside parliament on Saturday night, including a reporter for an independent television channel who was later charged with assaulting an officer, her lawyer said.",
        'Tamar Beridze, a correspondent for the channel Studio Mta, was pushed to the ground and dragged into a van, according to footage shared by colleagues. Georgia\'s interior ministry denied that officers had beaten her and said all three had been detained "for taking part in violence, not for reporting it".',
        'The detentions bring to 41 the number of journalists held since the ruling Georgian Dream party suspended accession talks with the European Union in November 2024, according to Reporters Without Borders. The group, known by its French initials RSF, called the arrests part of a "systematic campaign" against the press.',
        'The EU condemned Tbilisi over the arrests on Sunday and said it would extend a suspension of visa-free travel for holders of Georgian diplomatic passports. "Journalists are not criminals," the bloc\'s foreign policy spokesman, Marc Delvaux, said.',
        'Georgian Dream\'s founder, Bidzina Ivanishvili, has accused the United States and the EU of funding "radical opposition" media. The government adopted a law in 2024 requiring outlets that receive more than 20 percent of their funding from abroad to register as "pursuing the interests of a foreign power", and several have since closed.',
        'The U.S. State Department said it had barred 12 Georgian officials, including two senior police commanders, from entering the United States over the crackdown on protesters and reporters. Prime Minister Irakli Kobakhidze called the measures "blackmail" and said Georgia would not "bow to pressure" from Washington.',
        'Eka Tsereteli, who teaches journalism at the University of Georgia, said students were abandoning the profession. "Parents ask me why their children should risk prison for a job that pays 900 lari a month," she said.',
    ],
    claims=[
        (
            "georgia",
            "detain",
            N,
            N,
            0,
            0,
            0,
            0,
            "three journalists",
            "Georgian police detained three journalists",
        ),
        ("georgia", "beat", N, "georgia", 1, 0, 0, 0, N, "denied that officers had beaten her"),
        ("georgian-dream", "suspend", N, N, 0, 0, 0, 0, N, "suspended accession talks"),
        ("european-union", "condemn", "georgia", N, 0, 0, 0, 0, N, "The EU condemned Tbilisi"),
        (
            "european-union",
            "extend",
            N,
            "european-union",
            0,
            0,
            0,
            0,
            N,
            "it would extend a suspension",
        ),
        (
            "united-states",
            "fund",
            N,
            "georgian-dream",
            0,
            0,
            0,
            0,
            N,
            "has accused the United States and the EU",
        ),
        (
            "european-union",
            "fund",
            N,
            "georgian-dream",
            0,
            0,
            0,
            0,
            N,
            "has accused the United States and the EU",
        ),
        ("georgia", "adopt", N, N, 0, 0, 0, 0, N, "The government adopted a law"),
        (
            "united-states",
            "bar",
            "georgia",
            "united-states",
            0,
            0,
            0,
            0,
            "12 Georgian officials",
            "had barred 12 Georgian officials",
        ),
        ("georgia", "bow", N, "georgia", 1, 0, 0, 0, N, '"bow to pressure"'),
    ],
    traps=[
        ("TBILISI —", "georgia", "dateline: the city of Tbilisi"),
        (
            "RSF",
            "rsf",
            "Reporters Without Borders (Reporters sans frontières), not the Rapid Support Forces",
        ),
        ("University of Georgia", "georgia", "a private university in Tbilisi, not the state"),
    ],
)

art(
    id="h012",
    source="Equator Wire",
    published="2026-07-09T09:40:00Z",
    slug="myanmar-junta-rakhine-aid-corridor-asean",
    title="Myanmar junta allows UN aid convoys into Rakhine after ASEAN talks",
    paras=[
        "BANGKOK — Myanmar's military government has agreed to let United Nations aid convoys cross from Bangladesh into northern Rakhine state for the first time since 2023, after two days of meetings with ASEAN envoys in Naypyitaw, the regional bloc said on Thursday.",
        "The corridor will run from the border town of Teknaf to Maungdaw and Buthidaung, two townships now controlled by the Arakan Army, an ethnic armed group that has defeated junta forces across most of Rakhine over the past two years. Junta aircraft launched air strikes on Arakan Army positions in Kyauktaw on Tuesday, the group said.",
        'The Arakan Army said it would guarantee the safety of the convoys and would not tax aid deliveries. "Our people are starving, and we will not block food," its spokesman, Khaing Min Zaw, said in a statement.',
        "The World Food Programme estimates that more than two million people in Rakhine face hunger, and that some families have been eating banana stems and rice husks. The agency said it had stockpiled 5,000 tonnes of rice and pulses in warehouses near the border.",
        'Bangladesh, which shelters more than one million Rohingya refugees in camps around Cox\'s Bazar, said it would allow the convoys through its territory but would not accept new arrivals. "We have reached the limit of what we can carry," Foreign Secretary Nasreen Akter said in Dhaka.',
        "Rights groups have accused both the military and the Arakan Army of abusing the Rohingya, a mostly Muslim minority. The junta denies targeting civilians, and the Arakan Army has rejected reports that its fighters killed Rohingya civilians in Buthidaung in 2024.",
        "ASEAN's special envoy on Myanmar, Surapong Chaiyasit, said the bloc would monitor the corridor with a team of observers from member states. The first convoy, of 40 trucks, is due to leave Teknaf next week, subject to the monsoon.",
    ],
    claims=[
        ("myanmar", "allow", N, N, 0, 0, 0, 1, N, "Myanmar junta allows UN aid convoys"),
        (
            "myanmar",
            "let",
            N,
            "asean",
            0,
            0,
            0,
            0,
            N,
            "has agreed to let United Nations aid convoys",
        ),
        ("arakan-army", "control", N, N, 0, 0, 1, 0, N, "now controlled by the Arakan Army"),
        ("arakan-army", "defeat", "myanmar", N, 0, 0, 0, 0, N, "has defeated junta forces"),
        (
            "myanmar",
            "strike",
            "arakan-army",
            "arakan-army",
            0,
            0,
            0,
            0,
            N,
            "Junta aircraft launched air strikes",
        ),
        ("arakan-army", "guarantee", N, "arakan-army", 0, 0, 0, 0, N, "would guarantee the safety"),
        ("arakan-army", "tax", N, "arakan-army", 1, 0, 0, 0, N, "would not tax aid deliveries"),
        ("arakan-army", "block", N, "arakan-army", 1, 0, 0, 0, N, "we will not block food"),
        (
            "wfp",
            "stockpile",
            N,
            "wfp",
            0,
            0,
            0,
            0,
            "5,000 tonnes of rice and pulses",
            "had stockpiled 5,000 tonnes",
        ),
        (
            "bangladesh",
            "shelter",
            "rohingya",
            N,
            0,
            0,
            0,
            0,
            "more than one million Rohingya refugees",
            "which shelters more than one million",
        ),
        ("bangladesh", "allow", N, "bangladesh", 0, 0, 0, 0, N, "would allow the convoys through"),
        ("bangladesh", "accept", N, "bangladesh", 1, 0, 0, 0, N, "would not accept new arrivals"),
        ("myanmar", "abuse", "rohingya", N, 0, 0, 0, 0, N, "of abusing the Rohingya"),
        ("arakan-army", "abuse", "rohingya", N, 0, 0, 0, 0, N, "of abusing the Rohingya"),
        ("myanmar", "target", N, "myanmar", 1, 0, 0, 0, N, "The junta denies targeting civilians"),
        (
            "arakan-army",
            "kill",
            "rohingya",
            "arakan-army",
            1,
            0,
            0,
            0,
            N,
            "its fighters killed Rohingya civilians",
        ),
        ("asean", "monitor", N, "asean", 0, 0, 0, 0, N, "would monitor the corridor"),
    ],
    traps=[
        ("envoys in Naypyitaw", "myanmar", "literal place: where the meetings were held"),
        ("said in Dhaka", "bangladesh", "literal place: where the official spoke"),
    ],
)

art(
    id="h013",
    source="Polar Star News",
    published="2026-09-14T12:00:00Z",
    slug="zapad-drills-belarus-nato-poland",
    title="NATO reinforces Poland as Zapad drills start in Belarus",
    paras=[
        "MINSK — Tens of thousands of Russian and Belarusian troops started drilling near the borders of Poland and Lithuania on Monday at the start of Zapad-2026, the largest joint exercise since Russia's full-scale invasion of Ukraine in 2022.",
        "Belarus's defence ministry said about 13,000 troops were involved, but Western officials estimate the real number at more than 30,000, including units that Moscow moved from its western military district in August. Russia deployed the Oreshnik, a nuclear-capable intermediate-range missile, in Belarus last year, and the ministry said the drills would include a simulated launch.",
        'President Alexander Lukashenko, who has ruled Belarus since 1994, said the exercise was "purely defensive" and that Minsk had no plans to attack anyone. "We are not threatening Poland. We are reminding it that we exist.',
        '"Anyone who crosses our border will regret it, but nobody needs to cross it," he told state television.',
        'NATO said it had deployed 4,000 additional troops to Poland and the Baltic states and would keep two air-defence battalions on high alert until the drills end. "We see no immediate threat, but nobody should mistake calm for complacency," the alliance\'s spokeswoman, Ingrid Solheim, said.',
        'Poland has closed two of its border crossings with Belarus and moved an armoured brigade to the east. Poland\'s deputy defence minister, Piotr Zaleski, said Warsaw would not be intimidated by "theatre on the other side of the fence".',
        'The Kremlin said the exercise was a response to a Western military build-up on its borders. Dmitry Peskov, President Vladimir Putin\'s spokesman, accused the alliance of "militarising Europe" and said Moscow would "respond proportionately" to any new deployments.',
        "Zapad exercises date back to the Soviet era, when they rehearsed a war between the Warsaw Pact and the West. The previous edition, in 2021, came months before the collapse of the Minsk agreements on eastern Ukraine.",
    ],
    claims=[
        ("nato", "reinforce", "poland", N, 0, 0, 0, 1, N, "NATO reinforces Poland"),
        ("russia", "drill", N, N, 0, 0, 0, 0, N, "started drilling"),
        ("belarus", "drill", N, N, 0, 0, 0, 0, N, "started drilling"),
        ("russia", "move", N, N, 0, 0, 0, 0, N, "units that Moscow moved"),
        ("russia", "deploy", N, N, 0, 0, 0, 0, N, "Russia deployed the Oreshnik"),
        (
            "alexander-lukashenko",
            "rule",
            "belarus",
            N,
            0,
            0,
            0,
            0,
            N,
            "who has ruled Belarus since 1994",
        ),
        (
            "belarus",
            "attack",
            N,
            "alexander-lukashenko",
            1,
            1,
            0,
            0,
            N,
            "had no plans to attack anyone",
        ),
        (
            "belarus",
            "threaten",
            "poland",
            "alexander-lukashenko",
            1,
            0,
            0,
            0,
            N,
            "We are not threatening Poland",
        ),
        (
            "belarus",
            "remind",
            "poland",
            "alexander-lukashenko",
            0,
            0,
            0,
            0,
            N,
            "We are reminding it",
        ),
        (
            "nato",
            "deploy",
            N,
            "nato",
            0,
            0,
            0,
            0,
            "4,000 additional troops",
            "had deployed 4,000 additional troops",
        ),
        (
            "nato",
            "keep",
            N,
            "nato",
            0,
            0,
            0,
            0,
            "two air-defence battalions",
            "would keep two air-defence battalions",
        ),
        (
            "poland",
            "close",
            N,
            N,
            0,
            0,
            0,
            0,
            "two of its border crossings",
            "Poland has closed two",
        ),
        ("poland", "move", N, N, 0, 0, 0, 0, N, "moved an armoured brigade"),
        (N, "intimidate", "poland", "poland", 1, 0, 1, 0, N, "Warsaw would not be intimidated"),
        ("nato", "militarise", N, "russia", 0, 0, 0, 0, N, "accused the alliance of"),
        ("russia", "respond", N, "russia", 0, 1, 0, 0, N, 'Moscow would "respond proportionately"'),
    ],
    traps=[
        ("MINSK —", "belarus", "dateline: the city of Minsk"),
        ("Warsaw Pact", "poland", "the Soviet-led military alliance of 1955-1991"),
        (
            "Minsk agreements",
            "belarus",
            "the 2014-2015 ceasefire accords on eastern Ukraine, named after the city",
        ),
    ],
)

art(
    id="h014",
    source="Harbour Post",
    published="2026-10-06T17:35:00Z",
    slug="repsol-ordered-to-pay-peru-oil-spill",
    title="Repsol ordered to pay $1.1 billion over Peru oil spill",
    paras=[
        "LIMA — A civil court in Lima on Tuesday ordered Repsol to pay 4.1 billion soles ($1.1 billion) in damages to fishermen and the Peruvian state over the 2022 oil spill at its La Pampilla refinery, the largest environmental award in the country's history.",
        "About 11,900 barrels of crude spilled into the Pacific on January 15, 2022, while a tanker was unloading at the refinery's offshore terminal during waves caused by the eruption of an undersea volcano near Tonga. The oil spread along 140 kilometres of coast, killing seabirds and closing fishing grounds for months.",
        'Repsol said it would appeal to the Supreme Court and denied that the refinery had ignored warnings about the waves. "The ruling ignores the compensation we have already paid to more than 10,000 people," the company said in a statement, adding that it had spent more than $150 million on remediation.',
        "Peru's environment ministry said the government would use its share of the award to restore beaches and wetlands north of Lima. The government has also barred the company from signing new supply contracts with the state oil firm Petroperú until the cleanup is certified, and the environmental regulator OEFA has fined it 12 times over the spill.",
        '"We have waited four years for someone to say it out loud," said Miriam Quispe, who leads an association of 2,000 artisanal fishermen in Ventanilla. "The sea is still not what it was."',
        "The case has strained relations between Lima and Madrid. Spain's trade secretary raised the ruling with Peruvian officials during a visit last month, according to two people familiar with the talks.",
        "Repsol, which is based in Madrid, also faces a separate criminal case in which prosecutors have charged four of its executives with environmental contamination. Their trial is not expected to begin before next year.",
    ],
    claims=[
        (N, "order", "repsol", N, 0, 0, 0, 0, "4.1 billion soles", "ordered Repsol to pay"),
        ("repsol", "appeal", N, "repsol", 0, 0, 0, 0, N, "Repsol said it would appeal"),
        ("repsol", "ignore", N, "repsol", 1, 0, 0, 0, N, "denied that the refinery had ignored"),
        (
            "repsol",
            "pay",
            N,
            "repsol",
            0,
            0,
            0,
            0,
            "more than 10,000 people",
            "we have already paid",
        ),
        (
            "repsol",
            "spend",
            N,
            "repsol",
            0,
            0,
            0,
            0,
            "more than $150 million",
            "it had spent more than",
        ),
        ("peru", "use", N, "peru", 0, 0, 0, 0, N, "the government would use its share"),
        ("peru", "bar", "repsol", N, 0, 0, 0, 0, N, "has also barred the company"),
        (N, "fine", "repsol", N, 0, 0, 0, 0, "12 times", "has fined it 12 times"),
        ("spain", "raise", "peru", N, 0, 0, 0, 0, N, "raised the ruling with Peruvian officials"),
        (
            N,
            "charge",
            "repsol",
            N,
            0,
            0,
            0,
            0,
            "four of its executives",
            "have charged four of its executives",
        ),
    ],
    traps=[
        ("LIMA —", "peru", "dateline: the city of Lima"),
        ("court in Lima", "peru", "literal place: where the court sits"),
        ("north of Lima", "peru", "literal place: the coast north of the city"),
        ("based in Madrid", "spain", "literal place: where Repsol has its headquarters"),
    ],
)

art(
    id="h015",
    source="Sentinel Wire",
    published="2026-06-25T20:15:00Z",
    slug="us-visa-bans-nicaraguan-officials-church",
    title="Washington targets Ortega's inner circle with new visa bans",
    paras=[
        'WASHINGTON — The United States on Wednesday barred about 250 Nicaraguan officials, judges and police commanders from entering the country, accusing the government of President Daniel Ortega of "a systematic assault on religious freedom" after the arrest of three more Catholic priests.',
        'Secretary of State Marco Rubio said Washington would also revoke the visas of relatives of senior officials who live or study in the United States. "Ortega has jailed more priests than any government in the hemisphere," he said in a statement. The measures are the fourth round of visa bans since 2021.',
        'Managua rejected the measures as "imperialist aggression". In a statement read on state television, co-president Rosario Murillo said Nicaragua would "never kneel" and accused Washington of financing a failed coup in 2018. Murillo, Ortega\'s wife, was made co-president under a constitutional change last year.',
        "Ortega, 80, has governed since 2007. Nicaragua's government has closed more than 5,000 non-governmental organisations, expelled the Jesuits and stripped over 450 opponents of their nationality since protests in 2018 in which more than 300 people were killed, according to a U.N. panel of experts.",
        "The Organization of American States, which Nicaragua left in 2023, said its human rights commission would examine the arrests at a session next month. The Treasury Department has also imposed sanctions on Nicaragua's national police and a state gold trading company, the State Department said.",
        'In Managua, shopkeeper Luis Ortega, who is no relation to the president, said few people dared to talk about the sanctions in public. "Everyone knows someone who has been taken," he said.',
        'Sofía Campos, a Central America researcher at George Washington University, said visa bans had done little to change the government\'s behaviour since 2019. "They are a signal, not a strategy," she said.',
    ],
    claims=[
        (
            "united-states",
            "target",
            "daniel-ortega",
            N,
            0,
            0,
            0,
            1,
            N,
            "Washington targets Ortega's inner circle",
        ),
        (
            "united-states",
            "bar",
            "nicaragua",
            N,
            0,
            0,
            0,
            0,
            "about 250 Nicaraguan officials",
            "barred about 250 Nicaraguan officials",
        ),
        (
            "united-states",
            "revoke",
            N,
            "marco-rubio",
            0,
            0,
            0,
            0,
            N,
            "Washington would also revoke",
        ),
        (
            "daniel-ortega",
            "jail",
            N,
            "marco-rubio",
            0,
            0,
            0,
            0,
            N,
            "Ortega has jailed more priests",
        ),
        ("nicaragua", "reject", N, N, 0, 0, 0, 0, N, "Managua rejected the measures"),
        ("nicaragua", "kneel", N, "nicaragua", 1, 0, 0, 0, N, '"never kneel"'),
        (
            "united-states",
            "finance",
            N,
            "nicaragua",
            0,
            0,
            0,
            0,
            N,
            "accused Washington of financing",
        ),
        ("daniel-ortega", "govern", N, N, 0, 0, 0, 0, N, "Ortega, 80, has governed since 2007"),
        (
            "nicaragua",
            "close",
            N,
            N,
            0,
            0,
            0,
            0,
            "more than 5,000 non-governmental organisations",
            "has closed more than 5,000",
        ),
        ("nicaragua", "expel", N, N, 0, 0, 0, 0, N, "expelled the Jesuits"),
        (
            "nicaragua",
            "strip",
            N,
            N,
            0,
            0,
            0,
            0,
            "over 450 opponents",
            "stripped over 450 opponents",
        ),
        ("nicaragua", "leave", "oas", N, 0, 0, 0, 0, N, "which Nicaragua left in 2023"),
        ("oas", "examine", N, "oas", 0, 0, 0, 0, N, "would examine the arrests"),
        (N, "sanction", "nicaragua", N, 0, 0, 0, 0, N, "has also imposed sanctions on Nicaragua's"),
    ],
    traps=[
        ("WASHINGTON —", "united-states", "dateline: the city of Washington"),
        ("In Managua", "nicaragua", "literal place: where the shopkeeper lives"),
        ("Luis Ortega", "daniel-ortega", "a Managua shopkeeper who shares the president's surname"),
        (
            "George Washington University",
            "united-states",
            "a university named after George Washington",
        ),
    ],
)

art(
    id="h016",
    source="Crossroads Daily",
    published="2026-11-17T14:50:00Z",
    slug="swiss-bribery-probe-2034-world-cup-vote",
    title="Swiss prosecutors open bribery probe into 2034 World Cup vote",
    paras=[
        "ZURICH — Swiss federal prosecutors have opened a criminal investigation into suspected bribery linked to the award of the 2034 World Cup, searching the offices of two football officials and a sports marketing firm in Zurich and Geneva, the Office of the Attorney General said on Tuesday.",
        "Prosecutors suspect that at least $18 million was paid to officials from five member associations through consultancy contracts in the months before FIFA's congress approved the Saudi bid in December 2024. They did not name the officials or say who had made the payments.",
        'FIFA said it was cooperating fully with the investigation. "The bidding process for 2034 was the most transparent in our history," a spokesman said, adding that an independent audit had found no irregularities. The organisation\'s ethics committee said separately that it had suspended one of the officials, a former head of a Central American federation, for 90 days.',
        "Saudi Arabia, the only candidate after Australia withdrew, has denied any wrongdoing. The kingdom's sports ministry said Riyadh had \"won the right to host on the strength of its bid\" and had not paid anyone for votes. Saudi officials said they had invited the Swiss investigators to inspect the bid committee's accounts.",
        'FIFA President Gianni Infantino, who is not a suspect, has travelled to Riyadh at least 10 times since 2023. In a speech in 2024 he praised Saudi Arabia for its "passion for the game".',
        "Saudi Aramco, the state oil company, signed a four-year sponsorship deal with FIFA in April 2024, a move criticised by several national teams and by women's rights groups. Human Rights Watch urged FIFA to suspend the deal until the investigation is complete.",
        "Swiss prosecutors spent almost a decade investigating the awards of the 2018 and 2022 World Cups to Russia and Qatar. Most of those cases were closed without convictions.",
    ],
    claims=[
        ("fifa", "approve", N, N, 0, 0, 0, 0, N, "FIFA's congress approved the Saudi bid"),
        ("fifa", "cooperate", N, "fifa", 0, 0, 0, 0, N, "FIFA said it was cooperating fully"),
        (
            "fifa",
            "suspend",
            N,
            "fifa",
            0,
            0,
            0,
            0,
            "90 days",
            "it had suspended one of the officials",
        ),
        ("saudi-arabia", "win", N, "saudi-arabia", 0, 0, 0, 0, N, 'Riyadh had "won the right'),
        ("saudi-arabia", "pay", N, "saudi-arabia", 1, 0, 0, 0, N, "had not paid anyone for votes"),
        (
            "saudi-arabia",
            "invite",
            N,
            "saudi-arabia",
            0,
            0,
            0,
            0,
            N,
            "they had invited the Swiss investigators",
        ),
        (
            "gianni-infantino",
            "travel",
            N,
            N,
            0,
            0,
            0,
            0,
            "at least 10 times",
            "has travelled to Riyadh",
        ),
        ("gianni-infantino", "praise", "saudi-arabia", N, 0, 0, 0, 0, N, "he praised Saudi Arabia"),
        (N, "sign", "fifa", N, 0, 0, 0, 0, N, "signed a four-year sponsorship deal"),
        (N, "urge", "fifa", N, 0, 0, 0, 0, N, "Human Rights Watch urged FIFA"),
    ],
    traps=[
        ("travelled to Riyadh", "saudi-arabia", "literal place: the city Infantino travelled to")
    ],
)

art(
    id="h017",
    source="Tidewater Report",
    published="2026-07-28T10:05:00Z",
    slug="kenya-lamu-port-dp-world-concession",
    title="Kenya leases Lamu port to DP World for 30 years",
    paras=[
        "NAIROBI — Kenya's cabinet on Tuesday approved a concession allowing DP World to operate three berths at the deepwater port of Lamu for the next three decades, the transport ministry said, in a deal the Dubai-based company valued at $1.2 billion in investment.",
        "The port, built by China Communications Construction Company at a cost of about $480 million, has been largely idle since its first berths opened in 2021. Under the agreement, DP World will dredge the approach channel to 17 metres and build a container yard, the ministry said.",
        'Transport Secretary Faith Wanjiru said the concession would create 4,000 jobs and that Kenya would keep ownership of the port. "We are not selling Lamu. We are putting it to work," she told reporters in Nairobi.',
        "Opposition leaders said the terms had not been made public and accused the government of handing a strategic asset to DP World without competitive bidding. DP World signed a similar deal for Tanzania's Dar es Salaam port in 2023 despite protests there.",
        "Kenya signed a trade agreement with the United Arab Emirates last year, and Abu Dhabi has lent Nairobi $1.5 billion to refinance maturing Eurobonds. The government of Dubai, one of the seven emirates, owns DP World through the state holding company Dubai World.",
        "Chinese diplomats had lobbied Nairobi to award the concession to China Merchants Port Holdings, according to two Kenyan officials involved in the talks. China financed Kenya's standard-gauge railway and remains its largest bilateral lender, with about $6 billion outstanding.",
        "Lamu, 240 kilometres north of Mombasa, is at the heart of a long-delayed plan to link Kenya with South Sudan and Ethiopia by road, rail and pipeline. Only a stretch of highway has been completed so far.",
    ],
    claims=[
        (
            "kenya",
            "lease",
            "dp-world",
            N,
            0,
            0,
            0,
            1,
            "30 years",
            "Kenya leases Lamu port to DP World",
        ),
        ("kenya", "approve", N, "kenya", 0, 0, 0, 0, N, "approved a concession"),
        (N, "allow", "dp-world", "kenya", 0, 0, 0, 0, N, "allowing DP World to operate"),
        ("dp-world", "dredge", N, "kenya", 0, 0, 0, 0, "17 metres", "DP World will dredge"),
        ("dp-world", "build", N, "kenya", 0, 0, 0, 0, N, "build a container yard"),
        ("kenya", "keep", N, "kenya", 0, 0, 0, 0, N, "Kenya would keep ownership"),
        ("kenya", "sell", N, "kenya", 1, 0, 0, 0, N, "We are not selling Lamu"),
        ("kenya", "hand", "dp-world", N, 0, 0, 0, 0, N, "handing a strategic asset"),
        ("dp-world", "sign", N, N, 0, 0, 0, 0, N, "DP World signed a similar deal"),
        ("kenya", "sign", "uae", N, 0, 0, 0, 0, N, "Kenya signed a trade agreement"),
        ("uae", "lend", "kenya", N, 0, 0, 0, 0, "$1.5 billion", "Abu Dhabi has lent Nairobi"),
        (N, "own", "dp-world", N, 0, 0, 0, 0, N, "owns DP World through"),
        (
            "china",
            "lobby",
            "kenya",
            "kenya",
            0,
            0,
            0,
            0,
            N,
            "Chinese diplomats had lobbied Nairobi",
        ),
        ("china", "finance", N, N, 0, 0, 0, 0, N, "China financed Kenya's standard-gauge railway"),
    ],
    traps=[
        ("NAIROBI —", "kenya", "dateline: the city of Nairobi"),
        (
            "China Communications Construction Company",
            "china",
            "a Chinese state construction company, not the government",
        ),
        ("reporters in Nairobi", "kenya", "literal place: where the minister spoke"),
        ("China Merchants Port Holdings", "china", "a Chinese port operator, not the government"),
        ("South Sudan", "sudan", "a different country, South Sudan"),
    ],
)

art(
    id="h018",
    source="Coastline Dispatch",
    published="2026-10-23T05:55:00Z",
    slug="pakistan-mobile-internet-shutdown-pti-march",
    title="Pakistan cuts mobile internet ahead of PTI protest march",
    paras=[
        "ISLAMABAD — Pakistani authorities suspended mobile internet services in Islamabad, Rawalpindi and much of Punjab province on Friday, hours before supporters of former prime minister Imran Khan were due to begin a march on the capital, according to the internet monitor NetBlocks.",
        'The Pakistan Telecommunication Authority said the shutdown had been ordered by the interior ministry "to maintain law and order" and would last until further notice. Fixed-line broadband was slowed but not cut.',
        'Khan\'s party, Pakistan Tehreek-e-Insaf, said more than 1,200 of its workers had been arrested since Wednesday. "They can switch off the internet, but they cannot switch off the people," PTI spokesman Raza Qureshi said in a video message recorded before the shutdown.',
        'Prime Minister Shehbaz Sharif said the government would not allow "a mob" to paralyse the capital and accused the PTI of planning violence. He said the government had held talks with PTI leaders on Thursday but that they had refused to move the rally to the outskirts. Sharif\'s elder brother, Nawaz Sharif, a three-time prime minister, leads the ruling party.',
        "Khan, 73, has been in prison since August 2023 on charges he says are politically motivated. A court in Rawalpindi sentenced him to 14 years in January 2025 in a land corruption case. His supporters say the cases are designed to keep him out of the next election.",
        "Digital rights group Bolo Bhi said Pakistan had blocked mobile internet at least 18 times since 2024, costing businesses an estimated $1.6 billion. Islamabad United, the capital's cricket team, postponed a practice match scheduled for Saturday, saying players could not reach the ground.",
        "The United States and the European Union urged Islamabad to restore access and respect the right to peaceful protest.",
    ],
    claims=[
        ("pakistan", "cut", N, N, 0, 0, 0, 1, N, "Pakistan cuts mobile internet"),
        ("pakistan", "suspend", N, N, 0, 0, 0, 0, N, "Pakistani authorities suspended"),
        (
            "pakistan",
            "order",
            N,
            "pakistan",
            0,
            0,
            1,
            0,
            N,
            "had been ordered by the interior ministry",
        ),
        (
            N,
            "arrest",
            "pti",
            "pti",
            0,
            0,
            1,
            0,
            "more than 1,200 of its workers",
            "had been arrested since Wednesday",
        ),
        ("pakistan", "allow", N, "shehbaz-sharif", 1, 0, 0, 0, N, "would not allow"),
        ("pti", "plan", N, "shehbaz-sharif", 0, 0, 0, 0, N, "accused the PTI of planning violence"),
        (
            "pakistan",
            "talk",
            "pti",
            "shehbaz-sharif",
            0,
            0,
            0,
            0,
            N,
            "had held talks with PTI leaders",
        ),
        ("pti", "move", N, "shehbaz-sharif", 1, 0, 0, 0, N, "had refused to move the rally"),
        (N, "sentence", "imran-khan", N, 0, 0, 0, 0, "14 years", "sentenced him to 14 years"),
        ("pakistan", "block", N, N, 0, 0, 0, 0, "at least 18 times", "had blocked mobile internet"),
        (
            "united-states",
            "urge",
            "pakistan",
            N,
            0,
            0,
            0,
            0,
            N,
            "urged Islamabad to restore access",
        ),
        (
            "european-union",
            "urge",
            "pakistan",
            N,
            0,
            0,
            0,
            0,
            N,
            "urged Islamabad to restore access",
        ),
    ],
    traps=[
        ("ISLAMABAD —", "pakistan", "dateline: the city of Islamabad"),
        ("services in Islamabad", "pakistan", "literal place: where the services were suspended"),
        ("Nawaz Sharif", "shehbaz-sharif", "the prime minister's elder brother"),
        ("Islamabad United", "pakistan", "a cricket team named after the city"),
    ],
)

art(
    id="h019",
    source="Lakeshore Bulletin",
    published="2026-09-30T13:20:00Z",
    slug="opcw-finds-undeclared-sarin-precursors-syria",
    title="OPCW inspectors find undeclared sarin precursors at Syrian site",
    paras=[
        "THE HAGUE — Inspectors from the Organisation for the Prohibition of Chemical Weapons found about 2 tonnes of undeclared sarin precursors at a former military research site near Hama last month, the organisation said on Wednesday, the largest discovery since the fall of Bashar al-Assad in December 2024.",
        "The site was among 112 locations that Syria's new authorities have disclosed to the OPCW since March 2025. Syria's deputy foreign minister, Omar Haddad, said Damascus would \"destroy every trace\" of the former government's programme and had given the organisation's inspectors unrestricted access.",
        "The OPCW's director-general said the find showed that Syria's former government had lied for a decade about the scope of its programme. Syria joined the Chemical Weapons Convention in 2013 under a deal brokered by Russia and the United States, weeks after a sarin attack killed more than 1,000 people near Damascus.",
        'Russia, which shielded Assad at the U.N. Security Council for years, has repeatedly denied that Syrian government forces used chemical weapons. Its envoy to the organisation, Sergei Volkov, said on Wednesday that the new findings "prove nothing about who used what, and when".',
        'Britain said it would give the OPCW £3 million to speed up the destruction of the material. "This is the moment to close the file for good," Sarah Whitcombe, a Foreign Office minister, said in London.',
        "Syrian officials said the precursors would be destroyed at a mobile facility supplied by the United States, similar to the one used to neutralise the declared stockpile at sea in 2014. Inspectors are due to return to Hama next month to take further samples.",
        "The OPCW's executive council will consider next month whether to restore Syria's voting rights, which the organisation suspended in 2021 after concluding that Syrian air force helicopters had dropped chlorine on the town of Saraqib.",
    ],
    claims=[
        (
            "opcw",
            "find",
            N,
            "opcw",
            0,
            0,
            0,
            0,
            "about 2 tonnes of undeclared sarin precursors",
            "found about 2 tonnes",
        ),
        ("syria", "disclose", "opcw", N, 0, 0, 0, 0, "112 locations", "have disclosed to the OPCW"),
        ("syria", "destroy", N, "syria", 0, 0, 0, 0, N, 'would "destroy every trace"'),
        (
            "syria",
            "give",
            "opcw",
            "syria",
            0,
            0,
            0,
            0,
            N,
            "had given the organisation's inspectors",
        ),
        ("syria", "lie", N, "opcw", 0, 0, 0, 0, N, "had lied for a decade"),
        ("syria", "join", N, N, 0, 0, 0, 0, N, "Syria joined the Chemical Weapons Convention"),
        ("russia", "broker", N, N, 0, 0, 1, 0, N, "brokered by Russia and the United States"),
        (
            "united-states",
            "broker",
            N,
            N,
            0,
            0,
            1,
            0,
            N,
            "brokered by Russia and the United States",
        ),
        ("russia", "shield", N, N, 0, 0, 0, 0, N, "which shielded Assad"),
        ("syria", "use", N, "russia", 1, 0, 0, 0, N, "denied that Syrian government forces used"),
        (
            "united-kingdom",
            "give",
            "opcw",
            N,
            0,
            0,
            0,
            0,
            "£3 million",
            "Britain said it would give the OPCW",
        ),
        (
            "united-states",
            "supply",
            N,
            "syria",
            0,
            0,
            1,
            0,
            N,
            "a mobile facility supplied by the United States",
        ),
        ("opcw", "suspend", N, N, 0, 0, 0, 0, N, "which the organisation suspended in 2021"),
        ("syria", "drop", N, "opcw", 0, 0, 0, 0, N, "Syrian air force helicopters had dropped"),
    ],
    traps=[
        ("near Damascus", "syria", "literal place: where the 2013 attack happened"),
        ("said in London", "united-kingdom", "literal place: where the minister spoke"),
    ],
)

art(
    id="h020",
    source="Northgate News Service",
    published="2026-03-16T08:00:00Z",
    slug="famine-warning-southern-madagascar",
    title="Famine warning issued for southern Madagascar after third failed rainy season",
    paras=[
        "ANTANANARIVO — Parts of southern Madagascar could slide into famine by October after a third consecutive failed rainy season, a coalition of aid agencies and government forecasters warned on Monday, urging donors to release emergency funds before the lean season peaks.",
        "The Integrated Food Security Phase Classification, a partnership that sets the global standard for measuring hunger, said about 1.3 million people in the Androy, Anosy and Atsimo-Andrefana regions were in crisis or worse, including 28,000 at risk of starvation.",
        '"We are seeing families sell their last cattle and eat cactus leaves," said Hanta Rakotomalala, who coordinates nutrition programmes for a local charity in Ambovombe. Clinics in the town admitted more than 4,000 severely malnourished children in February, twice as many as a year earlier.',
        "The national disaster office declared an emergency in the three regions last week and said it would distribute 12,000 tonnes of rice and cassava flour from state reserves. Officials conceded that the stocks would last about six weeks.",
        'Chad Whitmore, a climatologist at Washington State University who studies the region, said rainfall in the south had been below average in nine of the past 12 seasons. "This is not a single bad year. The climate of the deep south is shifting," he said.',
        "UNICEF's Nairobi-based regional office said it had received less than a fifth of the $65 million it requested for the country this year. Its staff have begun screening children in remote villages that can only be reached on foot.",
        "A similar crisis in 2021 was eased by late rains and a large aid operation. A pipeline bringing water from the Efaho river, completed in 2023, has helped some villages but reaches only a fraction of the population.",
    ],
    claims=[],
    traps=[
        ("Chad Whitmore", "chad", "a climatologist whose first name is Chad"),
        (
            "Washington State University",
            "united-states",
            "a university named after the U.S. state of Washington",
        ),
        ("Nairobi-based", "kenya", "literal place: where the UNICEF office is based"),
    ],
)


if __name__ == "__main__":
    sys.exit(build())
