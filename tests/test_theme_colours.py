"""Every colour pair written for Streamlit's two themes reads at WCAG AA (4.5:1) on that theme's page."""
from __future__ import annotations

import re

import pytest

from timeline import render
from timeline.data.models import Kind
from views import lens_view

# Streamlit 1.67's page and the darkest tint a badge or chip sits on (chips: 14–16 % of a kind's colour).
PAGES = {"light": ["#ffffff", "#f0f2f6", "#fbe8da"], "dark": ["#171614", "#21201d", "#322011", "#13252d"]}
PAIR = re.compile(r"light-dark\((#[0-9a-f]{6}|#[0-9a-f]{3}), (#[0-9a-f]{6}|#[0-9a-f]{3})\)", re.IGNORECASE)


def luminance(hex_colour: str) -> float:
    if len(hex_colour) == 4:
        hex_colour = "#" + "".join(c * 2 for c in hex_colour[1:])
    rgb = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def text_pairs() -> list[tuple[str, str]]:
    """Every light-dark() text colour in the shared and lens styles (backgrounds and outlines aside)."""
    pairs = []
    for css in (render.CSS, lens_view.LENS_CSS):
        for declaration in re.findall(r"(?<![-\w])color:([^;}]+)", css):
            pairs += PAIR.findall(declaration)
    return pairs


def test_the_styles_give_both_themes_their_colours():
    assert len(text_pairs()) >= 9  # captions, chosen buttons, marks; the lens's chips, cells, quotes, marks


@pytest.mark.parametrize("light, dark", text_pairs())
def test_each_text_colour_reads_on_its_own_theme(light, dark):
    assert min(contrast(light, page) for page in PAGES["light"]) >= 4.5, light
    assert min(contrast(dark, page) for page in PAGES["dark"]) >= 4.5, dark


@pytest.mark.parametrize("kind", list(Kind))
def test_a_badge_names_its_kind_in_a_colour_for_each_theme(kind):
    event = type("E", (), {"kind": kind})()
    badge = render.kind_badge(event)
    light, dark = PAIR.search(badge).groups()
    assert (light, dark) == (render.KIND_TEXT[kind], render.KIND_TEXT_DARK[kind])
    assert min(contrast(light, page) for page in PAGES["light"]) >= 4.5
    assert min(contrast(dark, page) for page in PAGES["dark"]) >= 4.5


@pytest.mark.parametrize("kind", list(lens_view.RELATION_TEXT))
def test_a_relation_chip_reads_in_each_theme(kind):
    assert contrast(lens_view.RELATION_TEXT[kind], "#fbe8da") >= 4.5
    assert min(contrast(lens_view.RELATION_TEXT_DARK[kind], page) for page in PAGES["dark"]) >= 4.5
