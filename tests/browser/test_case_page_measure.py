from __future__ import annotations

import re

from tests.browser.pages import case_url


def _pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))


def test_measure(open_as, site) -> None:
    for width in (1280, 390):
        page = open_as(site.demo.carl, "en")
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(case_url(site.demo.youth))
        height = page.evaluate("document.documentElement.scrollHeight")
        page.screenshot(path=f"/tmp/page/measure-{width}.png", full_page=True)
        print(f"\nMEASURE width={width} height={height}")
    pdf = page.pdf(format="A4")
    open("/tmp/page/measure.pdf", "wb").write(pdf)
    print(f"MEASURE pdf pages={_pages(pdf)}")
