"""The Timeline page's layout for the screen it is on, the walk through a view, and the phone's vertical timeline."""
import re

import pandas as pd
import pytest

from timeline.chart.screen import CHART_FOOT, CHART_TOP, MIN_HEIGHT, PHONE_UNDER, WIDE_FROM, neighbour, screen
from timeline.chart.vertical import MAX_CARDS, key_html, vertical_html
from timeline.data.load import load_chronology


@pytest.fixture(scope="module")
def chron():
    return load_chronology()


@pytest.mark.parametrize("width, mode", [(358, "phone"), (PHONE_UNDER - 1, "phone"), (PHONE_UNDER, "narrow"),
                                         (700, "narrow"), (WIDE_FROM - 1, "narrow"), (WIDE_FROM, "wide"), (1460, "wide")])
def test_the_layout_follows_the_main_columns_width(width, mode):
    s = screen(width, 800)
    assert s.mode == mode
    assert s.beside == (mode == "wide")
    if mode == "phone":
        assert s.chart_width == 0
    elif mode == "narrow":
        assert s.chart_width == width  # the chart across the column
    else:  # beside the detail: narrower than the column, and wider the wider the column
        assert 0.55 * width < s.chart_width < 0.65 * width


def test_a_wider_column_gets_a_wider_chart_and_a_taller_window_a_taller_compact_chart():
    assert screen(1092, 900).chart_width > screen(932, 900).chart_width
    assert screen(932, 900).chart_height == 900 - CHART_TOP - CHART_FOOT
    assert screen(932, 1080).chart_height > screen(932, 720).chart_height
    assert screen(932, 300).chart_height == MIN_HEIGHT  # never squashed flat
    assert screen(932, 720, "roomy").chart_height is None  # as tall as the labels need


def test_the_overview_of_a_wide_screen_gives_the_chart_the_whole_column_until_an_event_opens():
    overview, detail = screen(932, 720, detail=False), screen(932, 720, detail=True)
    assert overview.beside and detail.beside  # a picked event's detail will open beside the chart
    assert overview.chart_width == 932 and detail.chart_width < 0.65 * 932
    assert screen(700, 720, detail=False) == screen(700, 720)  # a narrow screen opens the detail over the chart


def test_before_the_browser_has_said_the_layout_is_a_laptops():
    assert screen(None, None) == screen(932, 720)


def test_previous_and_next_walk_the_view_in_date_order():
    ids = ["a", "b", "c"]
    assert neighbour(ids, "b", 1) == "c" and neighbour(ids, "b", -1) == "a"
    assert neighbour(ids, "c", 1) is None and neighbour(ids, "a", -1) is None  # no wrapping round
    assert neighbour(ids, "hidden", 1) == "a" and neighbour(ids, "hidden", -1) == "c"
    assert neighbour([], "a", 1) is None


def test_the_vertical_timeline_has_a_card_per_event_under_its_year(chron):
    html = vertical_html(chron.frame, selected="apec-biden-xi")
    cards = re.findall(r'<button type="button" class="vt-card" data-event="([^"]+)" aria-pressed="(true|false)">', html)
    assert [c for c, _ in cards] == list(chron.frame["id"])  # every event, in date order
    assert [c for c, p in cards if p == "true"] == ["apec-biden-xi"]
    years = [int(y) for y in re.findall(r'<h3 class="vt-year">(\d{4})</h3>', html)]
    assert years == sorted(set(years)) and years[0] == 1839 and 2024 in years
    assert "156 years later" in html  # the gap after the Opium Wars, written out
    card = html[html.index('data-event="apec-biden-xi"'):]
    card = card[:card.index("</button>")]
    assert "Biden and Xi meet at the APEC summit" in card and "Event · date inferred" in card
    assert html.count("<section") == html.count("</section>") == len(years)


def test_an_approximate_date_has_a_hollow_marker_and_says_so(chron):
    approx = chron.frame[chron.frame["date_certainty"] == "approximate"].head(1)
    html = vertical_html(approx)
    assert 'fill="none"' in html and "approximate date" in html


def test_the_vertical_timeline_escapes_text_and_stops_at_its_limit():
    n = 5
    frame = pd.DataFrame({"id": [f"e{i}" for i in range(n)], "title": ['<script>x</script> & "y"'] * n,
                          "kind": "claim", "date_certainty": "exact", "date_label": "1 May 2020",
                          "first_day": pd.Timestamp("2020-05-01"), "last_day": pd.Timestamp("2020-05-01")})
    html = vertical_html(frame, max_cards=3)
    assert "<script>" not in html and "&lt;script&gt;x&lt;/script&gt; &amp; &quot;y&quot;" in html
    assert html.count('class="vt-card"') == 3 and "The first 3 of 5 events" in html
    assert vertical_html(frame.iloc[:0]) == ""
    assert MAX_CARDS >= 100


def test_the_pages_key_names_the_kinds_shown():
    html = key_html(["claim", "event"])
    assert "Event" in html and "Claim" in html and "Statistic" not in html and "approximate date" in html


def test_a_chart_pushed_down_by_a_longer_heading_is_shorter():
    assert screen(700, 768, chart_top=200).chart_height == 768 - 200 - CHART_FOOT
    assert screen(700, 768, chart_top=None) == screen(700, 768)  # not measured yet: the usual heading
    assert screen(700, 768, chart_top=5000) == screen(700, 768)  # a top below the window is no measure


@pytest.mark.parametrize("density", ["compact", "roomy"])
def test_on_a_projector_the_event_order_scale_labels_every_event_of_2022_to_2024_in_words(chron, density):
    from timeline.chart.layout import plan
    s = screen(1552, 1080, density)  # a 1920 × 1080 window with the sidebar open
    p = plan(chron.frame, "category", s.chart_width, s.chart_height, scale="order", axis_top=True, number_labels=False)
    f = chron.frame
    crowded = set(f[(f["first_day"] >= "2022-01-01") & (f["first_day"] <= "2024-12-31")]["id"])
    assert len(crowded) >= 30
    assert crowded <= {lab.event_id for lab in p.labels}
    assert not [lab for lab in p.labels if lab.text.startswith("#")]


@pytest.mark.parametrize("main, window_height", [(932, 720), (1092, 900), (1552, 1080), (1572, 1080)])
def test_at_the_page_sizes_the_event_order_scale_labels_every_event_of_2022_to_2024_in_words(chron, main, window_height):
    # the overview of a 1280 × 720, 1440 × 900 and 1920 × 1080 window (the main column beside the sidebar), compact,
    # laid out as the Timeline page asks
    from timeline.chart.labels import overlapping
    from timeline.chart.layout import plan
    s = screen(main, window_height, "compact", detail=False)
    p = plan(chron.frame, "category", s.chart_width, s.chart_height, scale="order", axis_top=True, number_labels=False,
             small_labels=True)
    f = chron.frame
    crowded = set(f[(f["first_day"] >= "2022-01-01") & (f["first_day"] <= "2024-12-31")]["id"])
    assert len(crowded) >= 30
    assert crowded <= {lab.event_id for lab in p.labels if not lab.numbered}
    assert not [lab for lab in p.labels if lab.text.startswith("#")]
    assert overlapping(p.labels) == []
    assert p.height == s.chart_height
    assert all(0 <= lab.x0 and lab.x1 <= p.width and p.margin["t"] <= lab.y0 and lab.y1 <= p.height - p.margin["b"]
               for lab in p.labels)
