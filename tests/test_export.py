"""Exports of a view: every file is read back and checked for what a reader would look for."""
from __future__ import annotations

import csv
import io
import json
import re
import shutil
import struct
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

import pandas as pd
import plotly.graph_objects as go
import pytest
from pypdf import PdfReader
from shipped import copy_shipped

from timeline.outputs import export as ex
from timeline.outputs.alttext import alt_text, credit_line
from timeline.filters import ViewState, filter_events
from timeline.data.load import ROOT, load_chronology

TITLE = "US–China counternarcotics diplomacy over fentanyl"  # the shipped story.toml's title

CHROMIUM = Path("/usr/bin/chromium")
needs_chromium = pytest.mark.skipif(
    not CHROMIUM.exists() and not shutil.which("chromium"),
    reason="image export needs Chromium (/usr/bin/chromium): run `make run` or `sudo apt-get install chromium`")
POISON_HTML = "<img src=x onerror=alert(1)>"
POISON_FORMULA = '=HYPERLINK("http://x")'
ALL = ViewState()


@pytest.fixture(scope="module")
def chron():
    return load_chronology(ROOT)


@pytest.fixture(scope="module")
def poisoned(tmp_path_factory):
    """The shipped data with two hostile titles: markup and a spreadsheet formula."""
    folder = copy_shipped(tmp_path_factory.mktemp("poisoned"))
    path = folder / "events.csv"
    rows = list(csv.DictReader(path.open(encoding="utf-8", newline="")))
    titles = {"opium-wars": POISON_FORMULA, "us-blames-china-2017": POISON_HTML}
    for row in rows:
        row["title"] = titles.get(row["id"], row["title"])
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return load_chronology(folder)


@pytest.fixture(scope="module")
def renderer():
    """One browser for every image test of this module, as the app keeps one per process."""
    ex.start_renderer()
    yield
    ex.stop_renderer()


# --- helpers ---------------------------------------------------------------------
def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def png_image(data: bytes):
    """The PNG decoded (Pillow comes with Streamlit), in grey levels."""
    image = pytest.importorskip("PIL.Image")
    return image.open(io.BytesIO(data)).convert("L")


def svg_text(svg: str) -> str:
    root = ElementTree.fromstring(svg)
    return " ".join(" ".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text"))


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


# --- images ----------------------------------------------------------------------
@needs_chromium
@pytest.mark.parametrize("preset", ["slide-16x9", "slide-4x3", "social", "custom"])
def test_png_has_the_presets_pixel_size_and_is_drawn(chron, renderer, preset):
    out = ex.export(chron, ALL, "png", preset)
    p = ex.PRESETS[preset]
    assert png_size(out.data) == (int(p.width * p.scale), int(p.height * p.scale)) == p.pixels
    assert out.mime == "image/png" and out.filename == f"fentanyl-timeline-{preset}.png"
    levels = png_image(out.data).getcolors(256) or []
    assert len(levels) > 50  # many shades of grey: a drawn chart, not a blank page
    assert out.alt_text == alt_text(chron, filter_events(chron.frame, ALL), ALL)


@needs_chromium
def test_png_custom_size_is_width_times_scale(chron, renderer):
    out = ex.export(chron, ViewState(kinds=("claim",)), "png", "custom", width=800, height=600, scale=2)
    assert png_size(out.data) == (1600, 1200)


def ink(fig: go.Figure, scale: float):
    """A mask of the pixels a figure draws darker than the pale lane stripes."""
    data = fig.to_image(format="png", width=fig.layout.width, height=fig.layout.height, scale=scale)
    return png_image(data).point(lambda v: 255 if v < 200 else 0)


@needs_chromium
@pytest.mark.parametrize("preset, state", [
    ("slide-16x9", ALL), ("slide-4x3", ALL), ("a4", ALL), ("social", ALL),
    ("social", ViewState(kinds=("claim",), lanes="source")), ("slide-16x9", ViewState(lanes="actor"))])
def test_title_key_and_credit_never_overlap_the_chart(chron, renderer, preset, state):
    """Render the export's own text alone and the chart alone: no pixel is inked by both."""
    ImageChops = pytest.importorskip("PIL.ImageChops")
    fig, sheet = ex.static_figure(chron, state, "png", preset)
    ours = [a for a in fig.layout.annotations if (a.name or "").startswith("export:")]
    assert {a.name for a in ours} >= {"export:title", "export:subtitle", "export:credit"}
    chart = go.Figure(fig)
    chart.layout.annotations = [a for a in fig.layout.annotations if a not in ours]
    text = go.Figure(layout=fig.layout)
    text.layout.annotations, text.layout.shapes, text.layout.showlegend = ours, [], False
    text.update_xaxes(visible=False)
    text.update_yaxes(visible=False)
    text_ink = ink(text, sheet.scale)
    both = ImageChops.multiply(ink(chart, sheet.scale), text_ink)
    assert text_ink.getbbox() is not None
    assert both.getbbox() is None, f"the export's text overlaps the chart at {both.getbbox()}"


@needs_chromium
def test_svg_carries_labels_credit_and_alt_text(chron, renderer):
    out = ex.export(chron, ALL, "svg")
    svg = out.data.decode("utf-8")
    root = ElementTree.fromstring(svg)
    ns = "{http://www.w3.org/2000/svg}"
    assert [child.tag for child in root][:2] == [f"{ns}title", f"{ns}desc"]
    assert root.find(f"{ns}title").text == TITLE
    assert root.find(f"{ns}desc").text == out.alt_text
    assert root.get("role") == "img" and (root.get("width"), root.get("height")) == ("1920", "1080")
    text = squash(svg_text(svg))
    assert credit_line(chron.frame) in text
    fig, _ = ex.static_figure(chron, ALL, "svg")
    labels = [a.text for a in fig.layout.annotations if (a.name or "").startswith("label:")]
    assert len({a.name for a in fig.layout.annotations if (a.name or "").startswith("label:")}) == len(chron.events)
    for label in labels:
        assert squash(re.sub(r"</?b>", "", label)).replace("&amp;", "&") in text


@needs_chromium
def test_svg_shows_hostile_text_as_text(poisoned, renderer):
    title = "<b>Bold?</b> & <img src=x>"
    svg = ex.export(poisoned, ViewState(kinds=("claim",)), "svg", "social", title=title).data.decode("utf-8")
    root = ElementTree.fromstring(svg)
    assert not [e for e in root.iter() if e.tag.endswith(("img", "image", "script", "foreignObject"))]
    text = svg_text(svg)
    assert title in text and "<img src=x onerror" in text  # the poisoned event title, as its label shows it


@needs_chromium
def test_pdf_is_one_a4_landscape_page_with_title_and_alt_text(chron, renderer):
    out = ex.export(chron, ALL, "pdf", "a4")
    pdf = PdfReader(io.BytesIO(out.data))
    assert len(pdf.pages) == 1
    box = pdf.pages[0].mediabox
    assert float(box.width) == pytest.approx(842, abs=2) and float(box.height) == pytest.approx(595, abs=2)
    assert TITLE in squash(pdf.pages[0].extract_text())
    assert pdf.metadata["/Title"] == TITLE
    assert pdf.metadata["/Subject"] == out.alt_text
    assert "CGTN" in pdf.metadata["/Keywords"]
    assert out.filename == "fentanyl-timeline-a4.pdf" and out.mime == "application/pdf"


@needs_chromium
def test_an_empty_view_still_exports_a_titled_image(chron, renderer):
    state = ViewState(search="no-such-word-anywhere")
    out = ex.export(chron, state, "svg", "social")
    assert "No events match" in svg_text(out.data.decode())
    assert "no events" in out.alt_text


def test_missing_chromium_is_one_clear_sentence(monkeypatch):
    monkeypatch.setenv("BROWSER_PATH", "/nonexistent/chromium")
    with pytest.raises(ex.ChromiumMissing) as err:
        ex.chromium_path()
    assert str(err.value) == "Image export needs Chromium: run `make run` (or `sudo apt-get install chromium`)."


def test_unknown_format_preset_and_size_are_refused(chron):
    with pytest.raises(ex.ExportError, match='no export format "gif"'):
        ex.export(chron, ALL, "gif")
    with pytest.raises(ex.ExportError, match='no preset "poster"'):
        ex.export(chron, ALL, "csv", "poster")
    with pytest.raises(ex.ExportError, match="out of range"):
        ex.export(chron, ALL, "png", "custom", width=50)


def test_presets():
    assert {k: p.pixels for k, p in ex.PRESETS.items() if k != "custom"} == {
        "slide-16x9": (1920, 1080), "slide-4x3": (1600, 1200), "a4": (1123, 794), "social": (1200, 675)}
    assert ex.PRESETS["a4"].format == "pdf"


# --- the interactive page ------------------------------------------------------------
def test_html_is_self_contained_and_lists_every_event(chron):
    out = ex.export(chron, ALL, "html")
    page = out.data.decode("utf-8")
    tags = Tags()
    tags.feed(page)
    for tag, attrs in tags.tags:
        if tag in ("script", "link", "img", "iframe"):
            assert not re.match(r"(https?:)?//", attrs.get("src") or attrs.get("href") or ""), (tag, attrs)
    assert any(t == "script" for t, _ in tags.tags) and "Plotly.newPlot" in page
    ids = [a["id"].removeprefix("event-") for t, a in tags.tags if t == "li" and a.get("id", "").startswith("event-")]
    assert ids == list(chron.frame["id"])
    for p in chron.passages_for("working-group-launch"):
        assert ex.esc(p.text) in page and ex.esc(p.source.headline) in page
    assert out.mime == "text/html" and out.alt_text


def test_html_escapes_hostile_text(poisoned):
    page = ex.export(poisoned, ALL, "html").data.decode("utf-8")
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "<img src=x" not in page
    tags = Tags()
    tags.feed(page)
    assert not [t for t, _ in tags.tags if t == "img"]


def test_html_links_only_http_addresses(chron):
    tags = Tags()
    tags.feed(ex.export(chron, ALL, "html").data.decode("utf-8"))
    hrefs = [a["href"] for t, a in tags.tags if t == "a"]
    assert hrefs and all(h.startswith(("https://", "http://")) for h in hrefs)


# --- data ----------------------------------------------------------------------------
def test_csv_round_trips_one_row_per_citation(chron):
    state = ViewState(kinds=("claim",))
    frame = filter_events(chron.frame, state)
    out = ex.export(chron, state, "csv")
    df = pd.read_csv(io.BytesIO(out.data), dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert list(dict.fromkeys(df["event_id"])) == list(frame["id"])
    expected = [(i, p.source.id, p.text) for i in frame["id"] for p in chron.passages_for(i)]
    assert list(zip(df["event_id"], df["source_id"], df["quote"])) == expected
    assert set(df["kind"]) == {"claim"} and out.filename.endswith(".csv") and out.alt_text is None


def test_csv_neutralises_formulas(poisoned):
    df = pd.read_csv(io.BytesIO(ex.export(poisoned, ALL, "csv").data), dtype=str, keep_default_na=False, encoding="utf-8-sig")
    title = df.loc[df["event_id"] == "opium-wars", "title"].iloc[0]
    assert title == "'" + POISON_FORMULA


@pytest.mark.parametrize("cell, expected", [
    ("=1+1", "'=1+1"), ("+1", "'+1"), ("-1", "'-1"), ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"), ("\rx", "'\rx"),
    ("2019-04", "2019-04"), ("a=b", "a=b"), ("", ""), (3, 3)])
def test_neutralise(cell, expected):
    assert ex.neutralise(cell) == expected


def test_json_round_trips_events_with_nested_citations(chron):
    doc = json.loads(ex.export(chron, ALL, "json").data)
    assert [e["id"] for e in doc["events"]] == list(chron.frame["id"])
    assert doc["count"] == len(chron.events) and doc["credit"] == credit_line(chron.frame)
    for event in doc["events"]:
        assert [c["quote"] for c in event["citations"]] == [p.text for p in chron.passages_for(event["id"])]
    scheduling = next(e for e in doc["events"] if e["id"] == "china-class-scheduling")
    assert (scheduling["start"], scheduling["end"], scheduling["precision"]) == ("2019-04-01", "2019-05-01", "day")


def test_timelinejs_structure_and_precision(chron):
    doc = json.loads(ex.export(chron, ALL, "timelinejs").data)
    assert doc["title"]["text"]["headline"] == TITLE
    events = {e["unique_id"]: e for e in doc["events"]}
    assert list(events) == list(chron.frame["id"])
    for e in doc["events"]:
        assert isinstance(e["start_date"]["year"], int) and e["text"]["headline"] and e["group"]
    assert events["us-blames-china-2017"]["start_date"] == {"year": 2017}
    assert events["no-seizures-claim"]["start_date"] == {"year": 2019, "month": 9}
    assert events["china-class-scheduling"]["end_date"] == {"year": 2019, "month": 5, "day": 1}
    assert events["opium-wars"]["start_date"] == {"year": 1839} and events["opium-wars"]["end_date"] == {"year": 1860}
    assert "end_date" not in events["apec-biden-xi"]
    assert events["chinese-delegation-us"]["display_date"] == "between November 2023 and December 2024"
    assert events["fentanyl-leading-killer"]["display_date"] == "c. 2024"
    text = events["working-group-launch"]["text"]["text"]
    assert text.count("<blockquote>") == len(chron.passages_for("working-group-launch"))


def test_timelinejs_escapes_hostile_text(poisoned):
    doc = json.loads(ex.export(poisoned, ALL, "timelinejs").data)
    event = next(e for e in doc["events"] if e["unique_id"] == "us-blames-china-2017")
    assert event["text"]["headline"] == "&lt;img src=x onerror=alert(1)&gt;"


# --- words ---------------------------------------------------------------------------
def test_alt_text_describes_period_counts_and_events_in_order(chron):
    text = alt_text(chron, chron.frame, ALL)
    assert text.startswith("Timeline chart of 44 entries from 1839 to December 2024 (All events, no filters): "
                           "20 events, 19 claims, 3 statistics and 2 context entries.")
    positions = [text.index(f"{e.date_label}: {e.title}") for e in chron.events]
    assert positions == sorted(positions)
    state = ViewState(kinds=("statistic",))
    assert "3 statistics." in alt_text(chron, filter_events(chron.frame, state), state)


def test_credit_line_names_the_cited_outlets(chron):
    state = ViewState(sources=("ntdtv",))
    assert credit_line(filter_events(chron.frame, state)) == "Sources: NTDTV — quotes verified against the articles' text"


# --- dates the text only bounds ----------------------------------------------------------
BOUNDED_LABELS = {"class-scheduling": "by 2019", "no-seizures": "after September 2019",
                  "delegation-visit": "between 30 January 2024 and December 2024"}


@pytest.fixture(scope="module")
def bounded(tmp_path_factory):
    from shipped import bounded_folder
    return load_chronology(bounded_folder(tmp_path_factory.mktemp("bounded") / "data"))


@pytest.mark.parametrize("fmt", [pytest.param(f, marks=needs_chromium) if f in ex.IMAGE_FORMATS else f for f in ex.FORMATS])
def test_every_format_exports_bounded_dates(bounded, fmt, request):
    if fmt in ex.IMAGE_FORMATS:
        request.getfixturevalue("renderer")
    out = ex.export(bounded, ALL, fmt, "custom" if fmt in ex.IMAGE_FORMATS else "slide-16x9")
    assert out.data
    if fmt in ("svg", "png", "pdf"):
        assert all(label in out.alt_text for label in BOUNDED_LABELS.values())
    if fmt == "html":
        page = out.data.decode("utf-8")
        assert all(label in page for label in BOUNDED_LABELS.values())


def test_csv_and_json_carry_the_bound_and_its_label(bounded):
    df = pd.read_csv(io.BytesIO(ex.export(bounded, ALL, "csv").data), dtype=str, keep_default_na=False, encoding="utf-8-sig")
    rows = df.set_index("event_id")
    assert {i: rows.at[i, "date_label"] for i in BOUNDED_LABELS} == BOUNDED_LABELS
    assert (rows.at["no-seizures", "date_certainty"], rows.at["no-seizures", "start"], rows.at["no-seizures", "end"]) == (
        "after", "2019-09", "")
    assert (rows.at["class-scheduling", "date_certainty"], rows.at["delegation-visit", "end"]) == ("by", "2024-12")
    events = {e["id"]: e for e in json.loads(ex.export(bounded, ALL, "json").data)["events"]}
    assert {i: events[i]["date_certainty"] for i in BOUNDED_LABELS} == {
        "class-scheduling": "by", "no-seizures": "after", "delegation-visit": "after"}
    assert {i: events[i]["date_label"] for i in BOUNDED_LABELS} == BOUNDED_LABELS


def test_alt_text_starts_the_period_no_later_than_a_by_date(bounded):
    # "by 2019" is drawn at 31 December 2019, yet may be earlier than "after September 2019"
    text = alt_text(bounded, bounded.frame, ALL)
    assert text.startswith("Timeline chart of 5 entries from 2019 to December 2024")
    assert "by 2019: China schedules" in text and "after September 2019: Chinese Embassy" in text


def test_timelinejs_shows_a_bounded_date_as_a_point_with_its_label(bounded):
    events = {e["unique_id"]: e for e in json.loads(ex.export(bounded, ALL, "timelinejs").data)["events"]}
    assert events["no-seizures"]["start_date"] == {"year": 2019, "month": 9} and "end_date" not in events["no-seizures"]
    assert events["class-scheduling"]["start_date"] == {"year": 2019} and "end_date" not in events["class-scheduling"]
    assert "end_date" not in events["delegation-visit"]  # its end is a limit, not the end of a period
    assert {i: events[i]["display_date"] for i in BOUNDED_LABELS} == BOUNDED_LABELS
    assert "Date known only as a lower bound:" in events["no-seizures"]["text"]["text"]
    assert "Date known only as an upper bound:" in events["class-scheduling"]["text"]["text"]


def test_a_view_exported_again_reuses_its_layout_search_until_the_data_is_read_again(monkeypatch):
    searched = []
    search = ex._search
    monkeypatch.setattr(ex, "_search", lambda *a: searched.append(a[3]) or search(*a))
    monkeypatch.setattr(ex, "_chosen", {})
    chron = load_chronology(ROOT)
    claims = ViewState(kinds=("claim",))
    first, _ = ex.static_figure(chron, claims, "png", "slide-16x9")
    again, _ = ex.static_figure(chron, claims, "png", "slide-16x9")
    assert searched == [claims] and again.to_json() == first.to_json()  # searched once, the same figure
    ex.static_figure(chron, ALL, "png", "slide-16x9")
    assert searched == [claims, ALL]  # another view: searched for
    reread = load_chronology(ROOT)  # the data read again (it may have changed): its own search
    ex.static_figure(reread, claims, "png", "slide-16x9")
    assert searched == [claims, ALL, claims]
