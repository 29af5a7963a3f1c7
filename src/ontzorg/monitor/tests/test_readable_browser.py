"""The region dashboard read on a laptop (1366 by 768 at 100 %): every chart fills its card and
writes its text at 12 px or more, no table scrolls sideways, and landmarks have unique names."""

import pytest

from ontzorg.conftest import assert_accessible, login
from ontzorg.monitor import services
from ontzorg.monitor.tests.factories import AS_OF, MomentFactory, pilot

LAPTOP = {"width": 1366, "height": 768}

# Per visible text of a chart: its size as drawn (the computed size times the scale of the
# SVG, so a chart shrunk into its card counts as the small text it shows), and whether it
# stays inside its chart and clear of the chart's other texts.
CHART_TEXTS = """() => {
  const found = [];
  for (const svg of document.querySelectorAll('main svg[role=img]')) {
    const box = svg.getBoundingClientRect();
    const texts = [...svg.querySelectorAll('text')].filter(t => t.getClientRects().length);
    const rects = texts.map(t => t.getBoundingClientRect());
    texts.forEach((t, i) => {
      const m = t.getScreenCTM();
      const r = rects[i];
      const overlaps = rects.some((o, j) => j !== i && r.left < o.right - 1 && o.left < r.right - 1
        && r.top < o.bottom - 1 && o.top < r.bottom - 1);
      found.push({
        chart: svg.querySelector('title').textContent,
        text: t.textContent,
        size: parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b),
        inside: r.left >= box.left - 1 && r.right <= box.right + 1,
        overlaps,
      });
    });
  }
  return found;
}"""

# Per chart: its width against the width of the card's content.
CHART_WIDTHS = """() => [...document.querySelectorAll('main svg[role=img]')].map(svg => {
  const card = svg.closest('.card');
  const style = getComputedStyle(card);
  const inner = card.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  return {chart: svg.querySelector('title').textContent,
          width: svg.getBoundingClientRect().width, card: inner};
})"""

# Other chart text (legends, captions): its computed size.
CHART_LABELS = """() => [...document.querySelectorAll(
    'main figure.chart figcaption, main figure.chart figcaption *')]
  .filter(e => e.getClientRects().length && e.textContent.trim())
  .map(e => ({text: e.textContent.trim(), size: parseFloat(getComputedStyle(e).fontSize)}))"""

# Every table and each element around it up to <main>: does one scroll sideways?
WIDE_TABLES = """() => {
  const wide = [];
  for (const table of document.querySelectorAll('main table')) {
    for (let box = table; box; box = box.tagName === 'MAIN' ? null : box.parentElement) {
      if (box.clientWidth && box.scrollWidth > box.clientWidth + 1) {
        wide.push({table: (table.caption || table).textContent.trim().slice(0, 60),
                   element: box.tagName + '.' + box.className,
                   scroll: box.scrollWidth, client: box.clientWidth});
      }
    }
  }
  const page = document.documentElement;
  if (page.scrollWidth > page.clientWidth) wide.push({table: 'the page', scroll: page.scrollWidth});
  return wide;
}"""


@pytest.mark.browser
def test_region_dashboard_reads_on_a_laptop(db, browser_page, live_server, regeling, projectleider):
    pilot(regeling, n=12)
    services.build_snapshot(projectleider, MomentFactory(region=regeling.region), today=AS_OF)
    page = browser_page
    page.set_viewport_size(LAPTOP)
    login(page, live_server, projectleider)
    page.goto(f"{live_server.url}/monitor/regio/{regeling.region.slug}/")
    page.get_by_role("heading", name="Zelfredzaamheid: van nulmeting naar nu").wait_for()
    for summary in page.locator("main details summary").all():
        summary.click()  # the monthly tables too

    texts = page.evaluate(CHART_TEXTS)
    charts = page.locator("main svg[role=img]").count()
    assert charts >= 8 and len({t["chart"] for t in texts}) == charts  # text in every chart
    small = [t for t in texts if t["size"] < 12]
    assert not small, f"chart text under 12 px: {small[:5]}"
    outside = [t for t in texts if not t["inside"] or t["overlaps"]]
    assert not outside, f"chart text outside its chart or over other text: {outside[:5]}"
    labels = page.evaluate(CHART_LABELS)
    assert labels and not [label for label in labels if label["size"] < 12]
    narrow = [c for c in page.evaluate(CHART_WIDTHS) if c["width"] < c["card"] - 1]
    assert not narrow, f"charts narrower than their card: {narrow}"

    assert page.locator("main table").count() >= 10
    wide = page.evaluate(WIDE_TABLES)
    assert not wide, f"tables that scroll sideways: {wide}"

    violations = assert_accessible(page)
    assert not [v for v in violations if v["id"].startswith("landmark")], violations


@pytest.mark.browser
def test_monitor_pages_have_unique_landmarks(
    db, browser_page, live_server, regeling, projectleider
):
    pilot(regeling, n=6)
    services.build_snapshot(projectleider, MomentFactory(region=regeling.region), today=AS_OF)
    page = browser_page
    page.set_viewport_size(LAPTOP)
    login(page, live_server, projectleider)
    for path in ("/monitor/", "/monitor/meetmomenten/", "/monitor/caseload/", "/monitor/export/"):
        page.goto(f"{live_server.url}{path}")
        violations = assert_accessible(page)
        assert not [v for v in violations if v["id"].startswith("landmark")], (path, violations)
        assert page.evaluate(WIDE_TABLES) == [], path
