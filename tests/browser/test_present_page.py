"""Presentation mode in headless Chromium at a projector's 1280 × 720: type sizes, themes, stepping, files."""
from __future__ import annotations

import io
import re
import zipfile

import pytest
from playwright.sync_api import Page, expect
from shipped import N_CLAIMS, N_EVENTS

STEPS = N_EVENTS + 2  # the title, one step per event, the sources

FONT_SIZES_JS = """() => {
  const px = (el) => el ? parseFloat(getComputedStyle(el).fontSize) : null;
  const slide = document.querySelector('.deck-slide');
  const texts = [...slide.querySelectorAll('*')].filter(el => !el.closest('.deck-strip') &&
      [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()));
  return {body: Math.min(...texts.map(px)), title: px(slide.querySelector('.deck-title')),
          summary: px(slide.querySelector('.deck-summary')), quote: px(slide.querySelector('.deck-quote blockquote')),
          years: Math.min(...[...slide.querySelectorAll('.deck-strip .year')].map(px)),
          bottom: slide.getBoundingClientRect().bottom};
}"""
COLOURS_JS = """() => {
  const rgb = (s) => s.match(/\\d+(\\.\\d+)?/g).slice(0, 3).map(Number);
  const lum = ([r, g, b]) => [r, g, b].map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; })
      .reduce((a, v, i) => a + v * [0.2126, 0.7152, 0.0722][i], 0);
  const bg = rgb(getComputedStyle(document.querySelector('.stApp')).backgroundColor);
  const ink = rgb(getComputedStyle(document.querySelector('.deck-summary')).color);
  const [hi, lo] = [lum(bg), lum(ink)].sort((a, b) => b - a);
  const tag = getComputedStyle(document.querySelector('.deck-tag.kind-claim'));
  return {bg: lum(bg), contrast: (hi + 0.05) / (lo + 0.05), tagStyle: tag.borderTopStyle, tagColour: tag.borderTopColor};
}"""


def open_present(page: Page, url: str, query: str) -> list[str]:
    outside: list[str] = []
    page.on("request", lambda r: outside.append(r.url) if not re.match(r"^(https?|wss?)://127\.0\.0\.1[:/]", r.url)
            and not r.url.startswith(("data:", "blob:", "about:")) else None)
    page.set_viewport_size({"width": 1280, "height": 720})
    page.goto(f"{url}/present{query}")
    expect(page.locator(".deck-slide")).to_be_visible(timeout=30_000)
    page.wait_for_timeout(500)
    return outside


def counter(page: Page):
    return page.get_by_test_id("deck-counter")


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_projector_type_and_contrast_at_1280x720(page: Page, app_url, shot, theme):
    # step 14: a claim with an approximate date ("c. November 2022") and a long claimant
    outside = open_present(page, app_url, f"?step=14{'&theme=dark' if theme == 'dark' else ''}")
    expect(counter(page)).to_have_text(f"Step 14 of {STEPS}")
    expect(page.locator(".deck-date")).to_contain_text("c. November 2022")
    expect(page.locator(".deck-tag.kind-claim")).to_contain_text("CLAIM — made by Yuan Hongbing")
    sizes = page.evaluate(FONT_SIZES_JS)
    assert sizes["body"] >= 24, sizes           # every line of slide text
    assert sizes["summary"] >= 24 and sizes["quote"] >= 24
    assert sizes["title"] >= 1.5 * sizes["summary"] and sizes["title"] >= 40
    assert sizes["years"] >= 20
    assert sizes["bottom"] <= 720, "the slide fits the projector screen without scrolling"
    colours = page.evaluate(COLOURS_JS)
    assert colours["contrast"] >= 12, colours
    assert (colours["bg"] < 0.02) if theme == "dark" else (colours["bg"] > 0.95)
    assert colours["tagStyle"] == "dashed" and colours["tagColour"] == "rgb(213, 94, 0)"
    assert page.locator(".deck-strip .mk.pin.k-claim.hollow").count() == 1  # highlighted; hollow: approximate
    assert page.locator(".deck-strip .mk.cur").count() == 1 and page.locator(".deck-strip .mk:not(.pin)").count() == N_EVENTS
    shot(f"present-{theme}")
    assert outside == [], f"the page asked for outside addresses: {outside}"


def test_every_step_fits_the_screen_and_keys_step_through(page: Page, app_url, shot):
    open_present(page, app_url, "?step=1")
    shot("present-title")
    for n in range(1, STEPS + 1):
        expect(counter(page)).to_have_text(f"Step {n} of {STEPS}")
        expect(page.locator(f'.deck-slide[data-step="{n}"]')).to_be_visible()
        sizes = page.evaluate(FONT_SIZES_JS)
        assert sizes["bottom"] <= 720 and sizes["body"] >= 24, (n, sizes)
        if n < STEPS:
            page.keyboard.press("ArrowRight")
    expect(page).to_have_url(re.compile(rf"step={STEPS}"))
    shot("present-sources")
    page.keyboard.press("PageUp")
    expect(counter(page)).to_have_text(f"Step {STEPS - 1} of {STEPS}")
    page.get_by_role("button", name="◀ Previous").click()
    expect(counter(page)).to_have_text(f"Step {STEPS - 2} of {STEPS}")


def test_filters_from_the_url_and_a_click_on_the_strip(page: Page, app_url):
    open_present(page, app_url, "?kind=claim&source=ntdtv&step=2")
    expect(counter(page)).to_have_text("Step 2 of 4")
    page.get_by_role("button", name="Next ▶").click()
    expect(counter(page)).to_have_text("Step 3 of 4")
    expect(page).to_have_url(re.compile(r"kind=claim.*step=3|step=3.*kind=claim"))
    page.locator('.deck-strip a.mk[href*="step=2"]').click()
    expect(counter(page)).to_have_text("Step 2 of 4", timeout=30_000)
    expect(page).to_have_url(re.compile(r"source=ntdtv"))


@pytest.mark.parametrize("label, check", [
    ("Slides (PowerPoint, .pptx)", lambda data: len([n for n in zipfile.ZipFile(io.BytesIO(data)).namelist()
                                                    if re.match(r"ppt/slides/slide\d+\.xml$", n)]) == N_CLAIMS + 2),
    ("Handout (PDF)", lambda data: data[:5] == b"%PDF-"),
], ids=["pptx", "pdf"])
def test_take_away_files_download(page: Page, app_url, tmp_path, label, check):
    open_present(page, app_url, "?kind=claim&step=3")
    page.get_by_role("button", name=re.compile("Take away")).click()
    button = page.get_by_role("button", name=label)
    expect(button).to_be_visible()
    with page.expect_download(timeout=60_000) as info:
        button.click()
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    assert info.value.suggested_filename.startswith("fentanyl-timeline-")
    assert check(path.read_bytes())
