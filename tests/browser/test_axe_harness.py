"""The axe-core check that wraps every browser test finds violations, on pages the test has left too,
and leaves out only what a test names."""
import time

import pytest

from tests.browser.axe import AxeChecker

pytestmark = pytest.mark.browser

FAINT = ('<!doctype html><html lang="en"><head><title>Faint</title></head><body><main>'
         '<h1>Faint</h1><p id="faint" style="color:#bbb;background:#fff">Hard to read</p></main></body></html>')
UNSTYLED = ('<!doctype html><html lang="en"><head><title>Unstyled</title><link rel="stylesheet" href="/gone.css">'
            '</head><body><main><h1>Unstyled</h1></main></body></html>')
SLOW = UNSTYLED.replace("/gone.css", "/slow.css").replace("Unstyled", "Slow")
CLEAN = ('<!doctype html><html lang="en"><head><title>Clean</title></head><body><main>'
         '<h1>Clean</h1><p>Easy to read</p></main></body></html>')


@pytest.fixture
def served_page(browser):
    """A fresh page (not the checked `page` fixture) that serves the two pages above."""
    page = browser.new_page()
    pages = {"/faint": FAINT, "/unstyled": UNSTYLED, "/slow": SLOW, "/clean": CLEAN}

    def serve(route):
        path = route.request.url.removeprefix("http://pages.test")
        if path == "/slow.css":
            time.sleep(1)  # a stylesheet still on its way when the test's last step passes
            route.fulfill(content_type="text/css", body="main { margin: 1rem; }")
        elif path.endswith(".css"):
            route.fulfill(status=404, body="")
        else:
            route.fulfill(content_type="text/html", body=pages[path])

    page.route("http://pages.test/**", serve)
    yield page
    page.close()


def test_a_page_the_test_has_left_is_checked(served_page):
    checker = AxeChecker(served_page, [])
    checker.watch()
    served_page.goto("http://pages.test/faint")
    served_page.goto("http://pages.test/clean")
    checker.check()
    checker.stop()
    assert [(v.rule, v.selector, v.url) for v in checker.violations.values()] == [
        ("color-contrast", "#faint", "http://pages.test/faint")]
    assert "color-contrast (serious) at #faint\n  on http://pages.test/faint" in checker.report()


def test_a_named_element_is_left_out(served_page):
    checker = AxeChecker(served_page, ["#faint"])
    checker.watch()
    served_page.goto("http://pages.test/faint")
    checker.check()
    checker.stop()
    assert checker.violations == {}


def test_a_page_whose_stylesheet_did_not_load_is_reported_as_such(served_page):
    checker = AxeChecker(served_page, [])
    checker.watch()
    served_page.goto("http://pages.test/unstyled")
    checker.check()
    checker.stop()
    assert [(v.rule, v.selector) for v in checker.violations.values()] == [("stylesheet-not-loaded", "/gone.css")]


def test_the_last_page_is_checked_once_its_stylesheets_have_arrived(served_page):
    checker = AxeChecker(served_page, [])
    checker.watch()
    served_page.goto("http://pages.test/slow", wait_until="commit")
    checker.check()
    checker.stop()
    assert checker.violations == {}
