"""A click on a heatmap cell opens the comments behind it, in a real browser."""
from __future__ import annotations

import re

from tests.browser.conftest import wait_for_app


def test_heatmap_cell_click_opens_its_comments(dashboard_url, browser_page):
    page = browser_page
    page.goto(f"{dashboard_url}/ongelmat")
    wait_for_app(page)
    cells = page.locator('[data-testid="stPlotlyChart"] .scatterlayer .point')
    cells.first.wait_for(state="visible")
    assert cells.count() > 0
    # Plotly catches clicks on its drag layer above the markers: click where the cell is.
    # The first click can land while plotly is still wiring its handlers, so retry a little.
    for _ in range(3):
        box = cells.first.bounding_box()
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        try:
            page.wait_for_url(re.compile(r"/kommentit\?.*theme="), timeout=10_000)
            break
        except Exception:
            continue
    assert "/kommentit?" in page.url, page.url  # URL_PATHS["comments"]
    wait_for_app(page)
    url = page.url
    assert "period=custom" in url and "type=complaint" in url, url
    heading = page.get_by_text(re.compile(r"^[\d\u00a0]+ kommenttia$"))
    heading.wait_for()
    assert int(heading.inner_text().replace("\u00a0", "").split()[0]) > 0
    assert page.locator('[data-testid="stDataFrame"]').count() == 1
    # The month of the clicked cell is the whole period of the comments view.
    month_from = re.search(r"from=(\d{4}-\d{2})", url).group(1)
    month_to = re.search(r"to=(\d{4}-\d{2})", url).group(1)
    assert month_from == month_to
