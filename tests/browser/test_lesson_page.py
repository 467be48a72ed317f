"""A lesson on the Present page in headless Chromium at projector sizes: every step fits, type stays large."""
from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

ROOT = Path(__file__).resolve().parents[2]
with open(ROOT / "lessons.csv", newline="", encoding="utf-8") as f:
    LESSON_STEPS = Counter(row["lesson_id"] for row in csv.DictReader(f))

SIZES_JS = """() => {
  const px = (el) => parseFloat(getComputedStyle(el).fontSize);
  const slide = document.querySelector('.deck-slide');
  const texts = [...slide.querySelectorAll('*')].filter(el => !el.closest('.deck-strip') &&
      [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()));
  const cols = [...slide.querySelectorAll('.deck-col')].map(c => c.getBoundingClientRect());
  return {body: Math.min(...texts.map(px)), bottom: slide.getBoundingClientRect().bottom,
          scroll: document.scrollingElement.scrollTop, cols: cols.map(r => [r.left, r.right, r.top]),
          pins: slide.querySelectorAll('.deck-strip .mk.pin').length};
}"""


def counter(page: Page):
    return page.get_by_test_id("deck-counter")


@pytest.mark.parametrize("size", [(1280, 720), (1920, 1080)], ids=["1280x720", "1920x1080"])
@pytest.mark.parametrize("lesson", sorted(LESSON_STEPS))
def test_every_lesson_step_fits_the_projector(page: Page, app_url, shot, lesson, size):
    width, height = size
    total = LESSON_STEPS[lesson] + 2
    page.set_viewport_size({"width": width, "height": height})
    page.goto(f"{app_url}/present?lesson={lesson}&step=1")
    expect(page.locator(".deck-slide")).to_be_visible(timeout=30_000)
    for n in range(1, total + 1):
        expect(counter(page)).to_have_text(f"Step {n} of {total}")
        slide = page.locator(f'.deck-slide[data-step="{n}"]')
        expect(slide).to_be_visible()
        sizes = page.evaluate(SIZES_JS)
        assert sizes["body"] >= 24, (n, sizes)
        assert sizes["bottom"] <= height and sizes["scroll"] == 0, (n, sizes)
        role = slide.get_attribute("class")
        if "role-compare" in role:
            cols = sizes["cols"]
            assert len(cols) >= 2 and len({top for _, _, top in cols}) == 1, cols  # side by side, one row
            assert all(a[1] <= b[0] for a, b in zip(cols, cols[1:])), cols
            shot(f"lesson-{lesson}-compare-{width}")
        if "role-event" in role or "role-compare" in role:
            assert sizes["pins"] == 1  # the strip shows where the step stands in time
        if "role-question" in role and width == 1280:
            shot(f"lesson-{lesson}-question-{width}")
        if n < total:  # the run that drew this step over before the next click, so that none is lost
            page.wait_for_function("() => document.querySelector('.stApp')?.dataset.testScriptState === 'notRunning'")
            page.get_by_role("button", name="Next ▶").click()
    expect(page).to_have_url(re.compile(rf"lesson={lesson}.*step={total}|step={total}.*lesson={lesson}"))
