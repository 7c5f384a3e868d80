"""Helpers for the accessibility journeys: move by keyboard only, and check a page fits a small or
zoomed screen and prints in black and white."""
import re

from playwright.sync_api import Locator, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout

MAX_TABS = 80
NARROW = {"width": 320, "height": 640}

_FOCUS_IS_VISIBLE = """
element => {
  // A hidden radio or checkbox styled as a button (.btn-check) shows its focus on its label.
  const shown = element.matches('.btn-check') ? element.nextElementSibling : element;
  const style = getComputedStyle(shown);
  return (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2) || style.boxShadow !== 'none';
}"""


def tab_to(page: Page, target: Locator, backwards: bool = False) -> None:
    """Press Tab until the target (or one of the elements it matches) has the focus; each stop must show it."""
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(MAX_TABS):
        page.keyboard.press(key)
        focused = page.locator(":focus")
        assert focused.evaluate(_FOCUS_IS_VISIBLE), f"no visible focus on {focused.evaluate('e => e.outerHTML')[:200]}"
        if target.evaluate_all("(elements) => elements.includes(document.activeElement)"):
            return
    raise AssertionError(f"{target} cannot be reached with {key}")


def choose_radio(page: Page, group: Locator, choice: Locator) -> None:
    """Tab into a radio group, then move with the arrow keys until the choice is checked (as a person would)."""
    tab_to(page, group)
    if not group.evaluate_all("(radios) => radios.some(radio => radio.checked)"):
        page.keyboard.press("Space")
    for _ in range(group.count()):
        if choice.is_checked():
            return
        page.keyboard.press("ArrowRight")
    assert choice.is_checked(), f"{choice} cannot be chosen with the arrow keys"


def sideways_overflow(page: Page) -> int:
    """How many CSS pixels the page sticks out to the side (0: no horizontal scrolling)."""
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


def expect_no_sideways_scrolling(page: Page) -> None:
    """The page settles to its width (a layout may still be moving just after a click), or the test says what sticks out."""
    try:
        page.wait_for_function("document.documentElement.scrollWidth <= document.documentElement.clientWidth",
                               timeout=5_000)
    except PlaywrightTimeout:
        assert sideways_overflow(page) == 0, page.evaluate(_STICKING_OUT)


def zoom_text(page: Page, percent: int = 200) -> None:
    """The browser's text size at percent (what a person sets in her phone's or browser's settings)."""
    page.evaluate(f"document.documentElement.style.fontSize = '{percent}%'")


_STICKING_OUT = """
() => [...document.body.querySelectorAll('*')]
  .filter(element => element.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
  .slice(0, 8).map(element => `${element.tagName.toLowerCase()}.${element.classList.value.replaceAll(' ', '.')}`
    + ` "${element.textContent.trim().slice(0, 30)}" ends at ${Math.round(element.getBoundingClientRect().right)} px`)
"""


def assert_fits(page: Page, controls: list[Locator]) -> None:
    """No sideways scrolling, and every control can still be seen and reached (scrolled to) inside the width."""
    assert sideways_overflow(page) <= 0, (f"{page.url} scrolls sideways by {sideways_overflow(page)} px: "
                                          + "; ".join(page.evaluate(_STICKING_OUT)))
    width = page.evaluate("document.documentElement.clientWidth")
    for control in controls:
        control.scroll_into_view_if_needed()
        box = control.bounding_box()
        assert box is not None and box["width"] > 0, f"{control} is not shown"
        assert box["x"] >= 0 and box["x"] + box["width"] <= width + 1, f"{control} sticks out of the screen: {box}"


_LIGHT_PRINTED_TEXT = """
() => {
  const light = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const element = walker.currentNode.parentElement;
    if (!walker.currentNode.textContent.trim() || !element.offsetParent) continue;
    const [r, g, b] = getComputedStyle(element).color.match(/\\d+/g).map(Number);
    if (Math.max(r, g, b) > 0) light.push(`${element.tagName}.${element.className}: ${getComputedStyle(element).color}`);
  }
  return light;
}"""


def printed_text_not_black(page: Page) -> list[str]:
    """Text that prints in a colour or grey rather than black (on a black-and-white printer it fades)."""
    page.emulate_media(media="print")
    return page.evaluate(_LIGHT_PRINTED_TEXT)


def open_menu_on_small_screens(page: Page) -> None:
    """Open the collapsed menu (phone and tablet widths); nothing on a wide screen."""
    page.wait_for_load_state("load")  # Bootstrap's script runs after the page's text is already visible
    toggler = page.get_by_role("button", name="Menu")
    if toggler.is_visible():
        toggler.click()
        # "collapsing" while it animates, "show" once open: click nothing inside a moving menu.
        expect(page.locator("#main-nav")).to_have_class(re.compile(r"\bshow\b"))
