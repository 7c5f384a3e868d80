"""axe-core in every browser test: each page a test loads is checked once it has loaded (a page
left before it finished loading is not), and the page the test ends on is checked again at the end, against the WCAG 2.0/2.1/2.2 A and AA rules.
axe.min.js ships inside axe-playwright-python, so nothing is downloaded at test time.

The check after a load runs inside the page (an init script reports to a Python binding), because
Playwright cannot evaluate in a page while a navigation away from it is pending; a navigation waits
(by route) until the check of the page it leaves has reported, so no page escapes unchecked."""
import json
import os
import re
import time
from dataclasses import dataclass

from axe_playwright_python.base import AXE_SCRIPT
from playwright.sync_api import TimeoutError as PlaywrightTimeout

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
DOCUMENTS = re.compile(r"^https?://(?!.*/static/)")  # routes for navigations; static files pass untouched
CHECK_TIMEOUT_S = 10

# One check at a time in a page (axe refuses a second run while one is going): each waits for the one before.
_QUEUE_AXE = """
window.__axeCheck = (() => {
  let last = Promise.resolve();
  return (exclude) => {
    const run = last.then(async () => {
      // A page whose stylesheet did not arrive is checked unstyled: say that, not a list of look-alike faults.
      const missing = [...document.querySelectorAll('link[rel="stylesheet"]')].filter(
        link => !link.sheet || !link.sheet.cssRules.length);
      if (missing.length) {
        return [{id: 'stylesheet-not-loaded', impact: 'critical', help: 'A stylesheet of the page did not load',
          nodes: missing.map(link => ({target: link.getAttribute('href'), summary: JSON.stringify(
            performance.getEntriesByName(link.href).map(entry => ({status: entry.responseStatus,
              bytes: entry.encodedBodySize, ms: Math.round(entry.duration)})))}))}];
      }
      const context = exclude.length ? {exclude: exclude.map(selector => [selector])} : document;
      const results = await axe.run(context, {runOnly: {type: 'tag', values: %s}, resultTypes: ['violations']});
      return results.violations.map(rule => ({id: rule.id, impact: rule.impact, help: rule.help,
        nodes: rule.nodes.map(node => ({target: node.target.join(' '), summary: node.failureSummary || ''}))}));
    });
    last = run.catch(() => null);
    return run;
  };
})();""" % json.dumps(WCAG_TAGS)

_CHECK_AFTER_LOAD = """
if (window.top === window && location.protocol.startsWith('http')) {
  const documentId = Math.random().toString(36).slice(2);
  window.addEventListener('load', () => {
    window.__axeReport(documentId, 'loaded', location.href, [], 0);
    setTimeout(async () => {
      let violations = [];
      const started = performance.now();
      try { violations = await window.__axeCheck(%s); } catch (error) { violations = [{id: 'axe-error',
        impact: 'critical', help: String(error), nodes: [{target: 'document', summary: ''}]}]; }
      window.__axeReport(documentId, 'checked', location.href, violations, Math.round(performance.now() - started));
    }, 0);
  });
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
        self.unchecked: set[str] = set()  # documents loaded whose check has not reported yet

    def watch(self) -> None:
        # Without transitions (Bootstrap honours reduced motion), axe never reads a colour half-way through a hover.
        self.page.emulate_media(reduced_motion="reduce")
        self.page.expose_binding("__axeReport", self._reported)
        self.page.add_init_script(";\n".join([AXE_SCRIPT, _QUEUE_AXE, _CHECK_AFTER_LOAD % json.dumps(self.exclude)]))
        self.page.on("framenavigated", self._navigated)
        self.page.route(DOCUMENTS, self._before_navigation)

    def stop(self) -> None:
        """The test is over: let go of navigations still waiting for a check."""
        self.page.unroute_all(behavior="ignoreErrors")

    def _navigated(self, frame) -> None:
        if frame == self.page.main_frame:
            self.unchecked.clear()  # a document left before its check began (never loaded) reports nothing

    def _before_navigation(self, route) -> None:
        """Let a navigation go only once the page it leaves has been checked."""
        request = route.request
        if request.is_navigation_request() and request.frame == self.page.main_frame:
            self._wait_for_checks()
        route.fallback()

    def _wait_for_checks(self) -> None:
        deadline = time.monotonic() + CHECK_TIMEOUT_S
        while self.unchecked and time.monotonic() < deadline and not self.page.is_closed():
            self.page.wait_for_timeout(20)

    def check(self) -> None:
        """Check the page as it is at the end of the test, once it has loaded: a test's last `expect` passes as
        soon as the text is in the document, maybe before its stylesheets have arrived."""
        if not self.page.url.startswith("http"):
            return
        try:
            self.page.wait_for_load_state("load", timeout=CHECK_TIMEOUT_S * 1000)
        except PlaywrightTimeout:  # a link that started a download leaves no load to wait for
            pass
        if not self.page.evaluate("typeof window.__axeCheck === 'function'"):  # e.g. a test's set_content
            self.page.evaluate(";\n".join([AXE_SCRIPT, _QUEUE_AXE]))
        self._record(self.page.url, self.page.evaluate("exclude => window.__axeCheck(exclude)", self.exclude))

    def _reported(self, source, document_id: str, state: str, url: str, violations: list[dict], milliseconds: int) -> None:
        if state == "loaded":
            self.unchecked.add(document_id)
            return
        if os.environ.get("AXE_DEBUG"):
            print(f"axe checked {url} in {milliseconds} ms", flush=True)
        self._record(url, violations)
        self.unchecked.discard(document_id)

    def _record(self, url: str, violations: list[dict]) -> None:
        for rule in violations:
            for node in rule["nodes"]:
                self.violations.setdefault((rule["id"], node["target"], url), Violation(
                    rule["id"], rule.get("impact") or "", node["target"], url, rule["help"], node["summary"]))

    def report(self) -> str:
        lines = [f"axe-core found {len(self.violations)} WCAG 2.2 A/AA violation(s) "
                 f"(rule, impact, element, page; how to fix):"]
        return "\n".join(lines + [str(violation) for violation in self.violations.values()])
