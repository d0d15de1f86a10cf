"""Subscriptions in Chromium: the rule builder, a test alert, the Atom feed, CSRF, and owner
isolation (one owner never sees another's subscriptions)."""

from __future__ import annotations

from typing import Any

from lxml import etree

from tests.ui.conftest import Stack, shot
from tests.ui.test_pages import TIMEOUT, login


def login_with_key(page: Any, stack: Stack, owner: str) -> None:
    page.goto(f"{stack.url}/ui/login")
    page.fill('input[name="api_key"]', stack.key(owner))
    page.click('form.card button[type="submit"]')
    page.wait_for_url(f"{stack.url}/ui/", timeout=TIMEOUT)
    assert page.locator("header .owner").inner_text() == owner


def test_rule_builder_test_alert_atom_and_owner_isolation(
    browser: Any, page: Any, stack: Stack
) -> None:
    name = f"bob-nk-{stack.backend}"
    login_with_key(page, stack, "bob")
    page.goto(f"{stack.url}/ui/subscriptions")
    form = page.locator("form.rule-builder")
    form.locator('input[name="name"]').fill(name)
    form.locator('select[name="claim_subject"]').select_option("north-korea")
    form.locator('input[name="claim_predicates"]').fill("supply, deliver")
    form.locator('select[name="claim_object"]').select_option("wagner-group")
    form.locator('select[name="channel"]').select_option("stream")
    form.locator('button[type="submit"]').click()
    page.locator("h1", has_text=name).wait_for(timeout=TIMEOUT)
    bob_url = page.url
    page.click("text=Send a test alert")
    page.locator("p.sent").wait_for(timeout=TIMEOUT)
    assert page.locator("table.deliveries tr.delivery").count() == 1
    shot(stack, page, "subscription")
    atom = page.request.get(stack.url + page.locator("a.atom").get_attribute("href"))
    assert atom.ok and atom.headers["content-type"].startswith("application/atom+xml")
    entries = etree.fromstring(atom.body()).findall("{http://www.w3.org/2005/Atom}entry")
    assert len(entries) == 1
    # A form posted without the CSRF token is refused.
    forged = page.request.post(f"{bob_url}/test", form={"csrf": "wrong"})
    assert forged.status == 403

    other = browser.new_context()
    analyst = other.new_page()
    try:
        login(analyst, stack)
        analyst.goto(f"{stack.url}/ui/subscriptions")
        table = analyst.locator("table.subscriptions")
        table.wait_for(timeout=TIMEOUT)
        assert "wagner-live" in table.inner_text() and name not in table.inner_text()
        assert analyst.goto(bob_url).status == 404
        assert analyst.request.post(f"{bob_url}/test", form={"csrf": "x"}).status == 403
        shot(stack, analyst, "subscriptions")
    finally:
        other.close()


def test_rule_builder_shows_what_is_wrong(page: Any, stack: Stack) -> None:
    login(page, stack)
    page.goto(f"{stack.url}/ui/subscriptions")
    form = page.locator("form.rule-builder")
    form.locator('input[name="name"]').fill("matches-nothing")
    form.locator('button[type="submit"]').click()
    problems = page.locator("ul.problems")
    problems.wait_for(timeout=TIMEOUT)
    assert "matches nothing" in problems.inner_text()


def test_subscription_edited_with_the_rule_builder(page: Any, stack: Stack) -> None:
    name = f"edit-me-{stack.backend}"
    login_with_key(page, stack, "frank")
    page.goto(f"{stack.url}/ui/subscriptions")
    form = page.locator("form.rule-builder")
    form.locator('input[name="name"]').fill(name)
    form.locator('select[name="any_actors"]').select_option(["wagner-group"])
    form.locator("button").click()
    page.locator("h1", has_text=name).wait_for(timeout=TIMEOUT)
    page.click("details.edit-subscription summary")
    edit = page.locator("details.edit-subscription form.rule-builder")
    assert edit.locator('select[name="any_actors"]').evaluate(
        "s => [...s.selectedOptions].map(o => o.value)"
    ) == ["wagner-group"]
    edit.locator('select[name="any_actors"]').select_option(["north-korea", "wagner-group"])
    edit.locator('select[name="claim_negated"]').select_option("yes")
    edit.locator('input[name="languages"]').fill("en, uk")
    edit.locator("button").click()
    page.locator("p code", has_text="north-korea").wait_for(timeout=TIMEOUT)
    rule = page.locator("p code").inner_text()
    assert '"claim_negated": true' in rule and '"uk"' in rule
    page.click("details.edit-subscription summary")
    page.fill('details.edit-subscription input[name="target"]', "")
    page.locator("details.edit-subscription select[name=channel]").select_option("webhook")
    page.click("details.edit-subscription form.rule-builder button")
    page.locator("ul.problems").wait_for(timeout=TIMEOUT)
    assert "target" in page.locator("ul.problems").inner_text()
