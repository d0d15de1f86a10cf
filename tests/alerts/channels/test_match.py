"""Subscription matching, table-driven over rules and extractions."""

from __future__ import annotations

import pytest
from notify_facts import DENIAL_ONLY, DENY, SUPPLY, UKRAINE_ONLY, WAGNER_NK, facts, sub

from pipeline.alerts.match import ArticleFacts, Match, match_all, match_rule
from pipeline.models import Extraction, Rule

NK, WG = "north-korea", "wagner-group"
SUPPLY_VERBS = ("supply", "deliver", "send", "provide")

CASES = [
    # (case id, rule, facts, expected actor ids or None, expected claims)
    ("any-one-present", Rule(any_actors=(WG, "yevgeny-prigozhin")), facts(), (WG,), ()),
    ("any-none-present", Rule(any_actors=("yevgeny-prigozhin",)), facts(), None, ()),
    ("all-cooccur", Rule(all_actors=(NK, WG)), facts(), (NK, WG), ()),
    ("all-one-missing", Rule(all_actors=(NK, "russia")), facts(), None, ()),
    ("all-other-article", Rule(all_actors=(NK, WG)), facts(UKRAINE_ONLY), None, ()),
    (
        "claim-full",
        Rule(claim_subject=NK, claim_predicates=SUPPLY_VERBS, claim_object=WG),
        facts(),
        (NK, WG),
        (SUPPLY,),
    ),
    ("claim-wrong-verb", Rule(claim_subject=NK, claim_predicates=("condemn",)), facts(), None, ()),
    ("claim-verb-case", Rule(claim_predicates=("DELIVER",)), facts(), (NK, WG), (SUPPLY,)),
    ("claim-reversed", Rule(claim_subject=WG, claim_object=NK), facts(), None, ()),
    ("claim-negated-wanted", Rule(claim_subject=NK, claim_negated=True), facts(), None, ()),
    (
        "claim-denial",
        Rule(claim_subject=NK, claim_negated=True),
        facts(DENIAL_ONLY),
        (NK, WG),
        (DENY,),
    ),
    (
        "claim-either",
        Rule(claim_subject=NK, claim_predicates=SUPPLY_VERBS),
        facts(DENIAL_ONLY),
        (NK, WG),
        (DENY,),
    ),
    (
        "claim-affirmed-only",
        Rule(claim_subject=NK, claim_negated=False),
        facts(DENIAL_ONLY),
        None,
        (),
    ),
    ("source-ok", Rule(any_actors=(NK,), sources=("Reuters.com",)), facts(), (NK,), ()),
    (
        "source-subdomain",
        Rule(any_actors=(NK,), sources=("reuters.com",)),
        facts(source="www.reuters.com"),
        (NK,),
        (),
    ),
    ("source-other", Rule(any_actors=(NK,), sources=("bbc.co.uk",)), facts(), None, ()),
    (
        "source-lookalike",
        Rule(any_actors=(NK,), sources=("reuters.com",)),
        facts(source="notreuters.com"),
        None,
        (),
    ),
    (
        "source-unknown",
        Rule(any_actors=(NK,), sources=("bbc.co.uk",)),
        facts(source=None),
        None,
        (),
    ),
    ("language-ok", Rule(any_actors=(NK,), languages=("EN",)), facts(language="en-GB"), (NK,), ()),
    ("language-other", Rule(any_actors=(NK,), languages=("ru",)), facts(), None, ()),
    ("filters-only", Rule(languages=("en",)), facts(), (), ()),
    ("empty-rule", Rule(), facts(), None, ()),
    ("and-of-criteria", Rule(any_actors=("ukraine",), claim_subject=NK), facts(), None, ()),
    ("no-extraction", Rule(any_actors=(NK,)), facts(Extraction()), None, ()),
]


@pytest.mark.parametrize(
    ("rule", "article", "actors", "claims"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_match_rule(rule: Rule, article: ArticleFacts, actors, claims) -> None:
    found = match_rule(rule, article)
    if actors is None:
        assert found is None
    else:
        assert found is not None
        assert found.actor_ids == actors
        assert found.claims == claims


def test_match_all_keeps_order_and_names_actors() -> None:
    subs = [
        sub(Rule(any_actors=("ukraine",)), name="ukraine", sub_id=1),
        sub(Rule(claim_subject=NK, claim_object=WG), name="nk-wagner", sub_id=2),
        sub(Rule(any_actors=(WG,)), name="wagner", sub_id=3),
    ]
    matches = match_all(subs, facts(WAGNER_NK))
    assert [m.subscription.name for m in matches] == ["nk-wagner", "wagner"]
    assert [(a.id, a.text) for a in matches[0].actors] == [
        (NK, "North Korea"),
        (WG, "Wagner Group"),
    ]
    assert matches[0].claims == (SUPPLY,)


def test_match_survives_json_round_trip() -> None:
    [match] = match_all([sub(Rule(claim_subject=NK))], facts())
    assert Match.from_json(match.to_json()) == match
    assert ArticleFacts.from_json(facts().to_json()) == facts()
