"""axe-core in every browser test: each page a test loads is checked once it has loaded, and the
page the test ends on is checked again at the end, against the WCAG 2.0/2.1/2.2 A and AA rules.
axe.min.js ships inside axe-playwright-python, so nothing is downloaded at test time.

The check after a load runs inside the page (an init script reports to a Python binding), because
Playwright cannot evaluate in a page while a navigation away from it is pending; a navigation waits
(by route) until the check of the page it leaves has reported, so no page escapes unchecked."""
import json
import re
import time
from dataclasses import dataclass

from axe_playwright_python.base import AXE_SCRIPT

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
DOCUMENTS = re.compile(r"^https?://(?!.*/static/)")  # routes for navigations; static files pass untouched
CHECK_TIMEOUT_S = 20

_RUN_AXE = """
async (exclude) => {
  const context = exclude.length ? {exclude: exclude.map(selector => [selector])} : document;
  const results = await axe.run(context, {runOnly: {type: 'tag', values: %s}, resultTypes: ['violations']});
  return results.violations.map(rule => ({id: rule.id, impact: rule.impact, help: rule.help,
    nodes: rule.nodes.map(node => ({target: node.target.join(' '), summary: node.failureSummary || ''}))}));
}""" % json.dumps(WCAG_TAGS)

_CHECK_AFTER_LOAD = """
if (window.top === window && location.protocol.startsWith('http')) {
  window.addEventListener('load', () => setTimeout(async () => {
    let violations = [];
    try { violations = await (%s)(%s); } catch (error) { violations = [{id: 'axe-error', impact: 'critical',
      help: String(error), nodes: [{target: 'document', summary: ''}]}]; }
    window.__axeReport(location.href, violations);
  }, 0));
}"""


@dataclass(frozen=True)
class Violation:
    rule: str
    impact: str
    selector: str
    url: str
    help: str
    summary: str

    def __str__(self) -> str:
        summary = " ".join(self.summary.split())
        return f"- {self.rule} ({self.impact}) at {self.selector}\n  on {self.url}\n  {self.help}. {summary}"


class AxeChecker:
    """Checks every page a Playwright page loads, and the page as it is at the end (check())."""

    def __init__(self, page, exclude: list[str]):
        self.page = page
        self.exclude = exclude
        self.violations: dict[tuple, Violation] = {}
        self.loads = 0
        self.reports = 0

    def watch(self) -> None:
        self.page.expose_binding("__axeReport", lambda source, url, violations: self._record(url, violations, True))
        self.page.add_init_script(AXE_SCRIPT + ";\n" + _CHECK_AFTER_LOAD % (_RUN_AXE, json.dumps(self.exclude)))
        self.page.on("load", self._loaded)
        self.page.route(DOCUMENTS, self._before_navigation)

    def _loaded(self, page) -> None:
        if page.url.startswith("http"):
            self.loads += 1

    def _before_navigation(self, route) -> None:
        """Let a navigation go only once the page it leaves has been checked."""
        request = route.request
        if request.is_navigation_request() and request.frame == self.page.main_frame:
            deadline = time.monotonic() + CHECK_TIMEOUT_S
            while self.reports < self.loads and time.monotonic() < deadline:
                self.page.wait_for_timeout(20)
        route.fallback()

    def check(self) -> None:
        """Check the page as it is now."""
        if not self.page.url.startswith("http"):
            return
        self.page.evaluate(AXE_SCRIPT)  # a page that failed to load, or a test's set_content, lacks it
        self._record(self.page.url, self.page.evaluate(_RUN_AXE, self.exclude))

    def _record(self, url: str, violations: list[dict], after_load: bool = False) -> None:
        if after_load:
            self.reports += 1
        for rule in violations:
            for node in rule["nodes"]:
                self.violations.setdefault((rule["id"], node["target"], url), Violation(
                    rule["id"], rule.get("impact") or "", node["target"], url, rule["help"], node["summary"]))

    def report(self) -> str:
        lines = [f"axe-core found {len(self.violations)} WCAG 2.2 A/AA violation(s) "
                 f"(rule, impact, element, page; how to fix):"]
        return "\n".join(lines + [str(violation) for violation in self.violations.values()])
