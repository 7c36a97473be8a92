"""`harness serve` in a real browser: Playwright driving Debian's Chromium (/usr/bin/chromium;
.ci/run installs it). Type a ticket and read the decision, filter the scenarios, edit a rule file
on disk and watch the flip appear on the Live page. Every wait is explicit (Playwright's expect
polls until its timeout), so a slow machine is slower, not flaky."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from harness.serve import start
from tests.support import FIXTURES

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (.ci/run installs it)")

WAIT = 20_000  # ms: an edit is re-evaluated within about a second here; CI machines can be slower


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield browser
        browser.close()


@pytest.fixture
def app(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """The workbench over a copy of the mini rules (the test edits it), on a free local port."""
    rules = tmp_path / "rules"
    shutil.copytree(FIXTURES / "mini_rules", rules)
    server, watcher, _ = start(str(rules), [str(FIXTURES / "mini_corpus")], port=0, interval=0.2)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", rules / "rules.yaml"
    finally:
        watcher.stop()
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture
def page(browser):  # type: ignore[no-untyped-def]
    context = browser.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    context.close()
    assert errors == []  # no script error on any page the test visited


def test_type_a_ticket_and_read_the_decision(app, page) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    base, _ = app
    page.goto(f"{base}/try")
    page.fill("#text", "my shop wants a refund")
    page.click("#route")
    expect(page.locator("#decision-persona")).to_have_text("seller", timeout=WAIT)
    expect(page.locator("#decision-issue")).to_have_text("refund")
    expect(page.locator("#decision-channel")).to_have_text("seller_center_chat")
    expect(page.locator("#trace .ticket mark.won")).to_have_text(["my shop", "refund"])
    # A persona given by the form: no mini rule routes a seller's "refund" (p-seller needs "my shop").
    page.fill("#text", "refund please")
    page.select_option("#persona", "seller")
    page.click("#route")
    expect(page.locator("#decision-persona")).to_have_text("unroutable", timeout=WAIT)
    expect(page.locator("#trace tr[data-field='persona'] td.rule")).to_contain_text(
        "the form says seller, but no persona rule takes that"
    )


def test_filter_the_scenarios_and_open_one(app, page) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    base, _ = app
    page.goto(f"{base}/scenarios")
    rows = page.locator("#scenarios tbody tr")
    expect(rows).to_have_count(5, timeout=WAIT)
    page.select_option("#filter-wrong", "issue")  # the form submits itself on change
    expect(rows).to_have_count(2, timeout=WAIT)
    expect(page.locator("#count")).to_contain_text("2 of 5 scenarios")
    page.fill("#filter-text", "refund")
    page.click("#apply")
    expect(rows).to_have_count(1, timeout=WAIT)
    page.click("#scenarios a:text-is('m4')")
    expect(page.locator("h2")).to_contain_text("fails: issue", timeout=WAIT)
    expect(page.locator("#trace tr[data-field='issue'] td.bad")).to_have_text("refund")


def test_edit_a_rule_file_and_see_the_flip(app, page) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    base, rules_file = app
    page.goto(f"{base}/live")
    expect(page.locator("#live-waiting")).to_be_visible(timeout=WAIT)
    rules_file.write_text(rules_file.read_text().replace("phrases: [refund]", "phrases: [refunds]"))
    broken = page.locator("#broken tr[data-id='m1']")
    expect(broken.first).to_be_visible(timeout=WAIT)
    expect(page.locator("#live-summary")).to_contain_text("0 fixed, 1 broken")
    expect(page.locator("#rule-status")).to_contain_text("i-refund: live → dead")
    # A broken file: the error with file:line, and the page keeps the last good evaluation.
    rules_file.write_text(rules_file.read_text().replace("priority: 5", "priority: [5"))
    expect(page.locator("#live-problems")).to_contain_text(f"{rules_file}:33", timeout=WAIT)
    expect(page.locator("#broken tr[data-id='m1']").first).to_be_visible()
