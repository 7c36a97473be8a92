"""Exact decisions and exact findings for hand-written tickets; together they fire every bundled rule."""

from __future__ import annotations

import pytest

import harness
from harness.model import Ticket

ORDER = "576461234567891234"
SHOP = "shop ID 7495012345678901234"

# (ticket, persona, issue, channel, findings)
CASES: list[tuple[Ticket, str, str, str, set[str]]] = [
    # shoppers
    (
        Ticket(f"Please cancel order {ORDER}, I ordered the wrong size."),
        "shopper",
        "cancellation",
        "shopper_app_help",
        set(),
    ),
    (
        Ticket("wheres my package?? tracking hasnt moved in a week"),
        "shopper",
        "order",
        "shopper_app_help",
        {"missing-order-id", "outcome-not-stated"},
    ),
    (
        Ticket(f"I returned the lamp from Bright Home Store two weeks ago, please refund order {ORDER}."),
        "shopper",
        "refund",
        "shopper_app_help",
        set(),
    ),
    (
        Ticket(f"Please refund order {ORDER}. The lamp arrived broken. I bought it from Bright Home Store."),
        "shopper",
        "refund",
        "shopper_app_help",
        {"ids-not-upfront"},
    ),
    (
        Ticket(f"How do I return the jacket from order {ORDER}? It doesn't fit."),
        "shopper",
        "return",
        "shopper_app_help",
        {"missing-shop-name"},
    ),
    (
        Ticket(f"I was charged twice for order {ORDER}, please refund the extra charge."),
        "shopper",
        "payment",
        "shopper_app_help",
        set(),
    ),
    (
        Ticket("my card was declined at checkout but the money left my account, can you check"),
        "shopper",
        "payment",
        "shopper_app_help",
        {"missing-order-id"},
    ),
    (
        Ticket(
            f"The return window closed 3 days ago but can you make an exception and take back order {ORDER}?"
        ),
        "shopper",
        "policy_disagreement",
        "program_team",
        {"asks-policy-exception"},
    ),
    (
        Ticket(
            f"I want my refund for order {ORDER} from Bright Home Store today instead of waiting 5 business days"
        ),
        "shopper",
        "refund",
        "shopper_app_help",
        {"asks-shorten-wait"},
    ),
    (
        Ticket(f"WHERE IS MY REFUND YOU IDIOTS, order {ORDER} from Bright Home Store"),
        "shopper",
        "refund",
        "shopper_app_help",
        {"hostile-tone", "outcome-not-stated"},
    ),
    (
        Ticket("the app crashes every time I open the Help page, please fix it"),
        "shopper",
        "technical",
        "shopper_app_help",
        set(),
    ),
    (Ticket("I want to speak to a supervisor now"), "shopper", "escalation", "shopper_app_help", set()),
    (
        Ticket(
            f"I sell on TikTok Shop but this is about a personal order I bought from another shop: please refund order {ORDER} from Bright Home Store, it never came."
        ),
        "shopper",
        "refund",
        "shopper_app_help",
        set(),
    ),
    (
        Ticket(f"Where is order {ORDER}?", persona="shopper", submitted_via="tiktok_app_feedback"),
        "shopper",
        "order",
        "shopper_app_help",
        {"outcome-not-stated", "wrong-channel"},
    ),
    # sellers
    (
        Ticket(
            f"Please unlock our seller account, {SHOP}: Seller Center says suspicious login and the 2FA code never arrives."
        ),
        "seller",
        "account_access",
        "seller_contact_form",
        set(),
    ),
    (
        Ticket("cant get into seller center, the 2fa code never arrives", submitted_via="seller_center_chat"),
        "seller",
        "account_access",
        "seller_contact_form",
        {"missing-shop-id", "outcome-not-stated", "wrong-channel"},
    ),
    (
        Ticket(f"I'm logged in but want to change 2fa to my new phone for {SHOP}, how do I do that?"),
        "seller",
        "account_access",
        "seller_center_chat",
        set(),
    ),
    (
        Ticket("I don't have a seller account yet, how do I open a shop for my candles?"),
        "seller",
        "general_inquiry",
        "seller_contact_form",
        set(),
    ),
    (
        Ticket("Please check why our listing for SKU MUG-BLU-01 isn't showing in search."),
        "seller",
        "listing",
        "seller_center_chat",
        set(),
    ),
    (
        Ticket("Our mug listing was removed. Nothing changed on our side. Please restore it."),
        "seller",
        "listing",
        "seller_center_chat",
        {"missing-sku", "no-evidence", "outcome-not-stated"},
    ),
    (
        Ticket(f"Please explain why our shop health score dropped, {SHOP}."),
        "seller",
        "shop_health",
        "seller_center_chat",
        set(),
    ),
    (
        Ticket("Are we allowed to sell CBD gummies in our shop? What certification do we need?"),
        "seller",
        "policy_question",
        "seller_center_chat",
        set(),
    ),
    (
        Ticket(f"Please trace our March payout, it never hit the bank. {SHOP}."),
        "seller",
        "payout",
        "seller_center_chat",
        set(),
    ),
    (
        Ticket(f"Please release the payout hold on {SHOP}, funds frozen for 30 days."),
        "seller",
        "payout_hold",
        "seller_center_chat",
        set(),
    ),
    (
        Ticket(f"Can you speed up the review of our payout hold? {SHOP}, we need the money now."),
        "seller",
        "payout_hold",
        "seller_center_chat",
        {"asks-shorten-wait"},
    ),
    (
        Ticket(
            f"Please reverse the chargeback the buyer opened on order {ORDER}, we have proof of delivery."
        ),
        "seller",
        "dispute",
        "seller_center_chat",
        set(),
    ),
    (
        Ticket(f"Buyer opened a return on order {ORDER} for no reason, please block the return."),
        "seller",
        "buyer_order",
        "seller_center_chat",
        {"asks-block-return"},
    ),
    (
        Ticket(f"The buyer says the parcel never came, please check with the carrier. {SHOP}."),
        "seller",
        "buyer_order",
        "seller_center_chat",
        {"missing-order-id", "shop-id-instead-of-order-id"},
    ),
    (
        Ticket("I want to appeal the counterfeit violation on SKU BX-22, it's a genuine product"),
        "seller",
        "enforcement_appeal",
        "seller_appeal",
        {"missing-violation-id", "no-evidence", "no-rule-cited"},
    ),
    (
        Ticket(
            "We appeal violation VR-20931 on SKU BX-22 under the prohibited claims policy: the label makes no health claim, photo attached.",
            attachments=("label.jpg",),
        ),
        "seller",
        "enforcement_appeal",
        "seller_appeal",
        set(),
    ),
    (
        Ticket(
            "I appeal violation VR-20931. It was wrong, we comply with all policies and our customers love the product."
        ),
        "seller",
        "enforcement_appeal",
        "seller_appeal",
        {"generic-appeal", "no-evidence", "no-rule-cited"},
    ),
    (
        Ticket(
            "Our appeal on violation VR-20931 was upheld, could you remove the penalty as a one-time courtesy?"
        ),
        "seller",
        "enforcement_appeal",
        "seller_appeal",
        {"asks-goodwill-reversal"},
    ),
    (
        Ticket("Can you make an exception and let us sell our CBD balm? The category is restricted."),
        "seller",
        "policy_disagreement",
        "program_team",
        {"asks-policy-exception"},
    ),
    (
        Ticket(
            f"We do 3,000 orders a day. Last ticket about our held payout was closed with a canned answer that makes no sense, please escalate to our account manager. {SHOP}"
        ),
        "seller",
        "escalation",
        "account_manager_escalation",
        set(),
    ),
    (
        Ticket("quick question, how do I add a second warehouse address for our shop?"),
        "seller",
        "general_inquiry",
        "seller_center_chat",
        set(),
    ),
    (
        Ticket("hi, can someone call me back", persona="seller"),
        "seller",
        "general_inquiry",
        "seller_center_chat",
        {"outcome-not-stated"},
    ),
    # creators
    (
        Ticket("My video was taken down and I go live tonight, please restore it."),
        "creator",
        "content_takedown",
        "creator_help_chat",
        set(),
    ),
    (
        Ticket("The sample for my campaign never arrived, can you check with the brand?"),
        "creator",
        "sample_shipment",
        "creator_help_chat",
        set(),
    ),
    (
        Ticket(
            "I returned the sample to the brand last week but they say they never got it, please confirm it was delivered."
        ),
        "creator",
        "sample_shipment",
        "creator_help_chat",
        {"no-evidence"},
    ),
    (
        Ticket(
            "The brand says my sample was never returned, please check: tracking proof attached.",
            attachments=("tracking.png",),
        ),
        "creator",
        "sample_shipment",
        "creator_help_ticket",
        set(),
    ),
    (
        Ticket("I want to appeal the community guidelines strike on my video, it was my own music"),
        "creator",
        "creator_appeal",
        "creator_appeal",
        {"missing-violation-id", "no-evidence", "no-rule-cited"},
    ),
    (
        Ticket("My strike appeal was rejected, can you remove the violation on my video as a courtesy?"),
        "creator",
        "creator_appeal",
        "creator_appeal",
        {"asks-goodwill-reversal", "missing-violation-id"},
    ),
    (
        Ticket("Please explain why my affiliate commission for last month is missing."),
        "creator",
        "partnership",
        "creator_help_chat",
        set(),
    ),
    (
        Ticket(
            "I have 450k followers and my brand partnership commission was cut in half, please correct it."
        ),
        "creator",
        "partnership",
        "creator_program_escalation",
        set(),
    ),
    (
        Ticket(
            "My video was taken down before my live tonight, please restore it",
            submitted_via="tiktok_app_feedback",
        ),
        "creator",
        "content_takedown",
        "creator_help_chat",
        {"wrong-channel"},
    ),
    (Ticket("hello", persona="creator"), "creator", "unroutable", "unroutable", {"outcome-not-stated"}),
    # IDs given, but only after the opening
    (
        Ticket(
            f"My package never came. The tracking has not moved for 10 days. Please chase it, it is order {ORDER}."
        ),
        "shopper",
        "order",
        "shopper_app_help",
        {"ids-not-upfront", "outcome-not-stated"},
    ),
    (
        Ticket(f"Please trace our payout. It was due on the 3rd and never arrived. Our {SHOP}."),
        "seller",
        "payout",
        "seller_center_chat",
        {"ids-not-upfront"},
    ),
    (
        Ticket(
            "Please check why our mug listing vanished from search. Nothing changed on our side. It is SKU MUG-BLU-01."
        ),
        "seller",
        "listing",
        "seller_center_chat",
        {"ids-not-upfront"},
    ),
    (
        Ticket(
            "We appeal the counterfeit violation on our serum under the intellectual property policy. It is an authentic product from our own factory, invoice attached. Violation ID VR-20931.",
            attachments=("invoice.pdf",),
        ),
        "seller",
        "enforcement_appeal",
        "seller_appeal",
        {"ids-not-upfront"},
    ),
    (
        Ticket(
            "We appeal violation VR-20931 on our serum. "
            + "The notice says it is counterfeit but we manufacture it. " * 25
        ),
        "seller",
        "enforcement_appeal",
        "seller_appeal",
        {"appeal-too-long", "no-evidence", "no-rule-cited"},
    ),
    # Real users rarely name the platform's tools: the role comes from "our shop", "my channel".
    (
        Ticket("Our shop account was deactivated yesterday, shop ID 7495012345678901234. Please reinstate it."),
        "seller",
        "enforcement_appeal",
        "seller_appeal",
        {"missing-violation-id", "no-evidence", "no-rule-cited"},
    ),
    (
        Ticket("My channel got suspended though I follow every rule, please reinstate it."),
        "creator",
        "creator_appeal",
        "creator_appeal",
        {"generic-appeal", "missing-violation-id", "no-evidence", "no-rule-cited"},
    ),
    (
        Ticket("When attempting to go live I get cannot connect to server, please fix it."),
        "creator",
        "technical",
        "creator_help_chat",
        set(),
    ),
]


@pytest.mark.parametrize("case", range(len(CASES)), ids=[c[0].text[:40] for c in CASES])
def test_exact_decision_and_findings(rules, case: int) -> None:  # type: ignore[no-untyped-def]
    ticket, persona, issue, channel, findings = CASES[case]
    outcome = harness.run(ticket, rules)
    decision = outcome.decision
    assert (decision.persona, decision.issue, decision.channel) == (persona, issue, channel)
    assert outcome.finding_ids == findings


def test_cases_fire_every_rule(rules) -> None:  # type: ignore[no-untyped-def]
    fired: set[str] = set()
    for ticket, *_ in CASES:
        fired |= harness.run(ticket, rules).fired
    assert sorted(r.id for r in rules.rules if r.id not in fired) == []


def test_spans_point_into_the_original_text(rules) -> None:  # type: ignore[no-untyped-def]
    text = "Hi\u00a0team \u2014 I\u2019m locked\u00a0out of Seller\u00a0Centre, the 2FA code never comes \U0001f62d"
    decision = harness.route(Ticket(text), rules)
    assert decision.channel == "seller_contact_form"
    hit = next(h for h in decision.matched if h.rule == "seller-account-access")
    assert [s.text for s in hit.spans] == ["locked\u00a0out", "2FA"]
    for span in hit.spans:
        assert text[span.start : span.end] == span.text
