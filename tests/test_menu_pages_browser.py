"""Every page of the menu, for each role, on the demo data: it loads with the Content-Security-Policy on,
the browser refuses nothing and no script fails, and axe-core finds nothing (the `page` fixture checks each
page). The menu is read from the page itself, so a page added to the menu is checked from its first day."""
import pytest
from playwright.sync_api import Page

from tests.conftest import TEST_PASSWORD  # noqa: F401 - the password browser_login types
from workshop.cli import seed_demo
from workshop.extensions import db
from workshop.services import find_user_by_email

pytestmark = pytest.mark.browser

DEMO_PASSWORD = "stitchwork-demo"
PUBLIC_PAGES = ["/butik/", "/r/ishoj", "/login"]


@pytest.fixture
def demo(app):
    app.test_cli_runner().invoke(seed_demo)
    db.session.commit()


def _watch_console(page: Page) -> list[str]:
    problems = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    return problems


def _log_in(page: Page, base: str, email: str) -> None:
    page.goto(base + "/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Adgangskode").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_url(lambda url: not url.endswith("/login"))


def _menu(page: Page) -> list[str]:
    hrefs = page.eval_on_selector_all("#main-nav a[href^='/']", "links => links.map(link => link.getAttribute('href'))")
    return list(dict.fromkeys(hrefs))


def _visit(page: Page, base: str, paths: list[str]) -> list[str]:
    """Open each page; the paths that did not answer 200."""
    failed = []
    for path in paths:
        response = page.goto(base + path)
        if response.status != 200 or "frame-ancestors 'none'" not in response.headers.get("content-security-policy", ""):
            failed.append(f"{path}: {response.status}")
    return failed


@pytest.mark.parametrize("email", ["leder@ishoj.example", "personale@ishoj.example", "kunde@tekstilservice.example",
                                   "deltager01@ishoj.example"])
def test_every_page_of_her_menu_loads_under_the_policy(page: Page, live_server, demo, email):
    assert find_user_by_email(email) is not None, email
    problems = _watch_console(page)
    _log_in(page, live_server.url, email)
    pages = _menu(page)
    assert pages, "the menu has no links"

    failed = _visit(page, live_server.url, pages)

    assert not failed, failed
    assert not problems, "\n".join(problems)


def test_the_public_pages_load_under_the_policy(page: Page, live_server, demo):
    problems = _watch_console(page)
    product = page.goto(live_server.url + "/butik/") and page.locator("a[href^='/butik/p/']").first.get_attribute("href")

    failed = _visit(page, live_server.url, [*PUBLIC_PAGES, product])

    assert not failed, failed
    assert not problems, "\n".join(problems)
