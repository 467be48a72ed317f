"""Exports of a view: every file is read back and checked for what a reader would look for."""
from __future__ import annotations

import csv
import html
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
    _, sheet = ex.static_figure(chron, ALL, "png", preset)
    labelled = sheet.label_ids if sheet.labelled < sheet.events else None
    assert out.alt_text == alt_text(chron, filter_events(chron.frame, ALL), ALL, labelled=labelled)


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
    fig, sheet = ex.static_figure(chron, ALL, "svg")
    labels = [a.text for a in fig.layout.annotations if (a.name or "").startswith("label:")]
    assert len({a.name for a in fig.layout.annotations if (a.name or "").startswith("label:")}) == sheet.labelled > 0
    for label in labels:
        assert squash(re.sub(r"</?b>", "", label)).replace("&amp;", "&") in text


@needs_chromium
def test_svg_shows_hostile_text_as_text(poisoned, renderer):
    title = "<b>Bold?</b> & <img src=x>"
    state = ViewState(kinds=("claim",), selected="us-blames-china-2017")  # the pinned event is labelled first
    svg = ex.export(poisoned, state, "svg", "social", title=title).data.decode("utf-8")
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
        "slide-16x9": (1920, 1080), "slide-4x3": (1600, 1200), "a4": (1123, 794), "letter": (1056, 816),
        "a4-portrait": (794, 1123), "letter-portrait": (816, 1056), "social": (1200, 675)}
    assert ex.PRESETS["a4"].format == ex.PRESETS["letter"].format == "pdf"


# --- the interactive page ------------------------------------------------------------
def test_html_is_self_contained_and_lists_every_event(chron):
    out = ex.export(chron, ALL, "html")
    page = out.data.decode("utf-8")
    tags = Tags()
    tags.feed(page)
    for tag, attrs in tags.tags:
        if tag in ("script", "link", "img", "iframe", "source", "video", "audio", "object", "embed"):
            assert not (attrs.get("src") or attrs.get("href") or attrs.get("data")), (tag, attrs)  # nothing loaded
    assert "default-src 'none'" in page  # and the page's policy forbids any fetch
    assert len(out.data) <= 500_000 and "plotly" not in page.lower()
    ids = [a["id"].removeprefix("event-") for t, a in tags.tags if t == "li" and a.get("id", "").startswith("event-")]
    assert ids == list(chron.frame["id"])
    for p in chron.passages_for("working-group-launch"):
        assert html.escape(p.text) in page and html.escape(p.source.headline) in page
    assert f"<h1>{html.escape(chron.story.title)}</h1>" in page and "credit" in page
    sources = {s.outlet for s in chron.sources.values() if chron.passages_in(s.id)}
    listed = page[page.index('class="sources"'):]
    assert all(html.escape(o) in listed for o in sources)
    assert out.mime == "text/html" and out.alt_text


def _page_data(page: str) -> dict:
    start = page.index('<script type="application/json" id="tl-data">') + len('<script type="application/json" id="tl-data">')
    return json.loads(page[start:page.index("</script>", start)])


def test_html_data_passes_every_field_of_the_records_through(chron, monkeypatch):
    real = ex.records

    def with_more(c, frame):
        return [{**e, "date_edtf": f"edtf-{e['id']}"} for e in real(c, frame)]

    monkeypatch.setattr(ex, "records", with_more)
    data = _page_data(ex.export(chron, ALL, "html").data.decode("utf-8"))
    columns = data["columns"]
    def column(name):
        col = columns[name]
        return col if isinstance(col, list) else [col["values"][k] for k in col["codes"]]
    assert column("date_edtf") == [f"edtf-{i}" for i in chron.frame["id"]]
    assert column("id") == list(chron.frame["id"]) and column("kind") == list(chron.frame["kind"])
    assert len(data["t0"]) == len(chron.frame) and all(a <= b for a, b in zip(data["t0"], data["t1"]))
    assert "citations" not in columns  # the quotes are in the list, once
    for outlets, cites in zip(chron.frame["outlets"], data["cites"]):
        assert {data["sources"][k][0] for k in cites} == set(outlets)


def test_html_data_writes_a_column_of_few_values_as_a_table():
    from timeline.outputs.publish import _column

    kinds = ["claim", "event"] * 40
    assert _column(kinds) == {"values": ["claim", "event"], "codes": [0, 1] * 40}
    ids = [f"e{i}" for i in range(80)]
    assert _column(ids) == ids and _column(kinds[:10]) == kinds[:10]


def test_html_escapes_hostile_text(poisoned):
    page = ex.export(poisoned, ALL, "html").data.decode("utf-8")
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "<img src=x" not in page
    tags = Tags()
    tags.feed(page)
    assert not [t for t, _ in tags.tags if t == "img"]
    scripts = [a.get("type", "") for t, a in tags.tags if t == "script"]
    assert scripts == ["", "application/ld+json", "application/json", ""]  # the page's own: class, claims, data, script
    for start in ('id="tl-data">', '<script type="application/ld+json">'):
        data = page[page.index(start) + len(start):]
        assert "<" not in data[:data.index("</script>")]  # the data cannot close its element


def test_html_links_only_http_addresses(chron):
    tags = Tags()
    tags.feed(ex.export(chron, ALL, "html").data.decode("utf-8"))
    hrefs = [a["href"] for t, a in tags.tags if t == "a"]
    assert hrefs and all(h.startswith(("https://", "http://")) for h in hrefs)


def test_html_export_carries_its_embed_snippet(chron):
    out = ex.export(chron, ViewState(kinds=("claim",)), "html", title='Claims "and" <answers>')
    assert out.embed.startswith('<iframe src="fentanyl-timeline.html" title="Claims &quot;and&quot; &lt;answers&gt;"')
    assert "timeline:height" in out.embed and "timeline:height" in out.data.decode("utf-8")
    assert "e.source" in out.embed  # only the iframe that sent the message is resized


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


# --- type floors: every preset, read back from the file ---------------------------------
FLOORS = {"social": 20, "slide-16x9": 20, "slide-4x3": 20, "a4": 8 * 4 / 3, "letter": 8 * 4 / 3}  # output px; 8 pt
SCREEN_PRESETS = ("social", "slide-16x9", "slide-4x3")
PRINT_PRESETS = ("a4", "letter")
VIEWS = ("full", "claims", "1000")


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    """A synthetic story of 1,000 events, as `python -m timeline synth` writes it."""
    from timeline.data.synth import write_folder
    folder = tmp_path_factory.mktemp("synth1000")
    write_folder(folder, 1000, seed=1)
    return load_chronology(folder)


@pytest.fixture(scope="module")
def views(chron, synthetic):
    return {"full": (chron, ALL), "claims": (chron, ViewState(kinds=("claim",))), "1000": (synthetic, ALL)}


@pytest.fixture(scope="module")
def exported(views, renderer):
    """Each view in each preset, rendered once for every test below: (view, preset, format) -> Export and Sheet."""
    out = {}
    for view in VIEWS:
        c, state = views[view]
        for preset in SCREEN_PRESETS + PRINT_PRESETS:
            for fmt in (("svg", "png") if preset in SCREEN_PRESETS else ("pdf",)):
                _, sheet = ex.static_figure(c, state, fmt, preset)
                out[view, preset, fmt] = ex.export(c, state, fmt, preset), sheet
    art = ROOT / "artifacts"  # one of each to look at (git-ignored)
    if art.is_dir():
        for (view, preset, fmt), (result, _) in out.items():
            (art / f"floor-{view}-{preset}.{fmt}").write_bytes(result.data)
    return out


def svg_label_sizes(svg: str, n_labels: int) -> tuple[list[float], dict[str, float]]:
    """The output size (px) of every event label's text (the first `n_labels` annotations), and of the title and
    credit, read from the SVG: its font sizes times the root's size over its viewBox."""
    root = ElementTree.fromstring(svg)
    zoom = float(root.get("width")) / float(root.get("viewBox").split()[2])
    ns = "{http://www.w3.org/2000/svg}"
    labels, named = [], {}
    for g in root.iter(f"{ns}g"):
        if "annotation" not in (g.get("class") or "").split() or g.get("data-index") is None:
            continue
        sizes = [float(m) * zoom for t in g.iter(f"{ns}text")
                 for m in re.findall(r"font-size:\s*([\d.]+)px", t.get("style") or "")]
        text = squash(" ".join(" ".join(t.itertext()) for t in g.iter(f"{ns}text")))
        if int(g.get("data-index")) < n_labels:
            labels += sizes
        else:
            named[text] = min(sizes, default=0)
    return labels, named


def pdf_text_sizes(data: bytes) -> list[tuple[str, float]]:
    """(text, size in pt) of every text run on every page: the font size times the text and page matrices' scale."""
    out = []
    for page in PdfReader(io.BytesIO(data)).pages:
        def visit(text, cm, tm, font, size):
            if text.strip():
                a, b, c, d = (tm[0] * cm[0] + tm[1] * cm[2], tm[0] * cm[1] + tm[1] * cm[3],
                              tm[2] * cm[0] + tm[3] * cm[2], tm[2] * cm[1] + tm[3] * cm[3])
                out.append((text.strip(), size * abs(a * d - b * c) ** 0.5))
        page.extract_text(visitor_text=visit)
    return out


def label_texts_of(sheet) -> list[str]:
    return [b.text for b in sheet.boxes]


@needs_chromium
@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("preset", SCREEN_PRESETS)
def test_svg_event_labels_meet_the_presets_floor(exported, view, preset):
    result, sheet = exported[view, preset, "svg"]
    labels, named = svg_label_sizes(result.data.decode("utf-8"), len(sheet.boxes))
    assert len(labels) >= len(sheet.boxes)
    if (view, preset) == ("1000", "social"):  # a card has no row to spare beside 1,000 markers: it says so
        assert not labels and any(text.startswith("Markers without a label") for text in named)
    else:
        assert sheet.labelled > 0 and min(labels) >= FLOORS[preset]
    assert all(size >= FLOORS[preset] for text, size in named.items() if text.startswith("Markers without a label"))
    title = next(size for text, size in named.items() if text.startswith(squash(" ".join(sheet.title))[:20]))
    credit = next(size for text, size in named.items() if text.startswith("Sources:"))
    assert title > credit > FLOORS[preset]


@needs_chromium
@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("preset", PRINT_PRESETS)
def test_pdf_event_labels_meet_8_pt_and_fonts_are_embedded(exported, view, preset):
    result, sheet = exported[view, preset, "pdf"]
    runs = pdf_text_sizes(result.data)
    texts = label_texts_of(sheet)
    sizes = [size for text, size in runs if len(text) > 3 and any(text in t for t in texts)]
    assert sizes, "no event label found in the PDF's text"
    assert min(sizes) >= 8 - 0.01
    note = [size for text, size in runs if text.startswith("Markers without a label")]
    assert all(size >= 8 - 0.01 for size in note)  # the note saying how many are unlabelled, at the floor too
    title = [size for text, size in runs if text in " ".join(sheet.title)]
    credit = [size for text, size in runs if text.startswith("Sources")]
    assert min(title) > min(credit) > 8
    pdf = PdfReader(io.BytesIO(result.data))
    fonts = [f.get_object() for page in pdf.pages for f in page["/Resources"]["/Font"].values()]
    descriptors = [f.get("/FontDescriptor") or f["/DescendantFonts"][0].get_object()["/FontDescriptor"] for f in fonts]
    assert all(any(k in d.get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3")) for d in descriptors)


def blank_edges(image, margin: int) -> bool:
    """Whether the image has no ink within `margin` px of its edges."""
    w, h = image.size
    strips = [(0, 0, w, margin), (0, h - margin, w, h), (0, 0, margin, h), (w - margin, 0, w, h)]
    return all(image.crop(box).getextrema()[0] >= 245 for box in strips)


@needs_chromium
@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("preset", SCREEN_PRESETS)
def test_png_is_the_presets_size_and_nothing_touches_its_edge(exported, view, preset):
    result, sheet = exported[view, preset, "png"]
    assert png_size(result.data) == ex.PRESETS[preset].pixels
    image = png_image(result.data)
    assert len(image.getcolors(256) or []) > 20
    assert blank_edges(image, int(sheet.pad * sheet.scale) - 2)


@needs_chromium
@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("preset", PRINT_PRESETS)
def test_pdf_keeps_a_1_cm_margin_free(exported, view, preset):
    pdfium = pytest.importorskip("pypdfium2")
    result, _ = exported[view, preset, "pdf"]
    doc = pdfium.PdfDocument(result.data)
    for page in doc:
        image = page.render(scale=96 / 72).to_pil().convert("L")  # 1 px = 1 CSS px: 1 cm is 37.8 px
        assert blank_edges(image, 36)
    w, h = (float(v) for v in doc[0].get_size())
    assert (round(w), round(h)) == {"a4": (842, 596), "letter": (792, 612)}[preset]


@needs_chromium
@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("preset", SCREEN_PRESETS + PRINT_PRESETS)
def test_labels_never_overlap_and_stay_on_the_image(exported, view, preset):
    from timeline.chart.labels import overlapping
    result, sheet = exported[view, preset, "pdf" if preset in PRINT_PRESETS else "svg"]
    assert overlapping(list(sheet.boxes)) == []
    for b in sheet.boxes:
        assert sheet.pad - 1 <= b.x0 + sheet.inset and b.x1 + sheet.inset <= sheet.width - sheet.pad + 1
        assert 0 <= b.y0 and b.y1 <= sheet.chart_height


@needs_chromium
@pytest.mark.parametrize("view", VIEWS)
def test_alt_text_names_exactly_the_labelled_events(exported, views, view):
    c, state = views[view]
    result, sheet = exported[view, "social", "png"]
    frame = filter_events(c.frame, state)
    named = [t for t in frame.drop_duplicates("id")["title"] if t in result.alt_text]
    labelled = set(frame[frame["id"].isin(sheet.label_ids)]["title"])
    assert set(named) >= labelled
    if sheet.labelled < sheet.events:
        rest = sheet.events - sheet.labelled
        more = f"and {rest:,} more entr" if sheet.labelled else f"all {rest:,} entries are shown"
        assert more in result.alt_text and "without a label" in result.alt_text
        assert not set(named) - labelled - {t for t in labelled for u in named if u in t}
        unlabelled_note = squash(svg_text(exported[view, "social", "svg"][0].data.decode("utf-8")))
        assert f"{rest:,} of {sheet.events:,} events" in unlabelled_note


def test_labels_go_to_the_pinned_then_the_most_reported_events(chron):
    state = ViewState(selected="opium-wars")
    _, sheet = ex.static_figure(chron, state, "png", "social")
    assert sheet.labelled < sheet.events  # the card cannot label every event at 20 px
    assert "opium-wars" in sheet.label_ids
    frame = filter_events(chron.frame, ALL)
    most = frame[frame["n_sources"] == frame["n_sources"].max()]["id"]
    _, plain = ex.static_figure(chron, ALL, "png", "social")
    assert set(plain.label_ids) & set(most)


@pytest.mark.parametrize("axis", ["calendar", "order"])
def test_either_scale_can_be_asked_for_and_the_default_labels_more(chron, axis):
    _, sheet = ex.static_figure(chron, ALL, "png", "slide-16x9", axis=axis)
    assert sheet.axis == axis
    _, default = ex.static_figure(chron, ALL, "png", "slide-16x9")
    assert default.labelled - default.numbered >= sheet.labelled - sheet.numbered
    _, view = ex.static_figure(chron, ViewState(scale="order"), "png", "slide-16x9")
    assert view.axis == "order"
    with pytest.raises(ex.ExportError, match='no scale "log"'):
        ex.export(chron, ALL, "csv", axis="log")


# --- print in portrait: the timeline down the page --------------------------------------
PORTRAITS = [("full", "a4-portrait"), ("claims", "a4-portrait"), ("1000", "a4-portrait"), ("full", "letter-portrait")]


@pytest.fixture(scope="module")
def portraits(views, renderer):
    out = {}
    for view, preset in PORTRAITS:
        c, state = views[view]
        out[view, preset] = ex.export(c, state, "pdf", preset)
    art = ROOT / "artifacts"
    if art.is_dir():
        for (view, preset), result in out.items():
            (art / f"floor-{view}-{preset}.pdf").write_bytes(result.data)
    return out


@needs_chromium
@pytest.mark.parametrize("view, preset", PORTRAITS)
def test_portrait_print_runs_down_pages_at_8_pt_with_title_credit_and_margin(portraits, views, view, preset):
    pdfium = pytest.importorskip("pypdfium2")
    result = portraits[view, preset]
    c, state = views[view]
    frame = filter_events(c.frame, state)
    pdf = PdfReader(io.BytesIO(result.data))
    runs = pdf_text_sizes(result.data)
    assert min(size for _, size in runs) >= 8 - 0.01  # every text on every page, event labels included
    for page in pdf.pages:
        text = squash(page.extract_text())
        assert TITLE[:20] in text or c.story.title[:20] in text
        assert "Sources:" in text and re.search(r"Page \d+ of \d+", text)
    if view == "1000":
        assert len(pdf.pages) > 1
    doc = pdfium.PdfDocument(result.data)
    for page in doc:
        assert blank_edges(page.render(scale=96 / 72).to_pil().convert("L"), 36)
    w, h = (float(v) for v in doc[0].get_size())
    assert (round(w), round(h)) == {"a4-portrait": (596, 842), "letter-portrait": (612, 792)}[preset]
    fonts = [f.get_object() for page in pdf.pages for f in page["/Resources"]["/Font"].values()]
    assert fonts and all(any(k in (f.get("/FontDescriptor") or f["/DescendantFonts"][0].get_object()["/FontDescriptor"])
                             .get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3")) for f in fonts)
    assert "without a label" not in result.alt_text  # every event has its row
    assert all(t in result.alt_text for t in frame["title"].head(300))


def test_portrait_rows_never_overlap_and_every_event_has_one(chron):
    from timeline.outputs import portrait
    frame = filter_events(chron.frame, ALL)
    page = portrait.Page(794, 1123, ex.CM, 11, (24, 16, 13))
    figs = portrait.pages(frame, page, "A title", "A subtitle", "Sources: A")
    labels = [a for fig in figs for a in fig.layout.annotations if (a.name or "").startswith("label:")]
    assert sorted(a.name[6:] for a in labels) == sorted(frame["id"])
    for fig in figs:
        ys = sorted(a.y for a in fig.layout.annotations if (a.name or "").startswith(("label:", "gap")))
        assert all(b - a >= 11 * 1.2 for a, b in zip(ys, ys[1:]))
        assert all(ex.CM <= a.x <= 794 - ex.CM for a in fig.layout.annotations)


def test_portrait_presets_export_pdf_only(chron):
    with pytest.raises(ex.ExportError, match="export it as pdf"):
        ex.export(chron, ALL, "png", "a4-portrait")


def test_the_published_page_carries_its_claims_as_data_and_its_sources_as_references(chron):
    from timeline.data.references import formatted_citations

    page = ex.export(chron, ALL, "html").data.decode("utf-8")
    start = page.index('<script type="application/ld+json">') + len('<script type="application/ld+json">')
    claims = json.loads(page[start:page.index("</script>", start)])
    frame = chron.frame
    assert sorted(c["@id"] for c in claims) == sorted(f"#{i}" for i in frame.loc[frame["kind"] == "claim", "id"])
    assert all(c["@type"] == "Claim" and c["author"]["name"] and c["appearance"] for c in claims)
    sources = list(chron.sources.values())
    refs = formatted_citations(sources)
    listed = page[page.index('<ol class="sources">'):]
    for source in sources:  # every article, as its Chicago reference (its address a link)
        assert html.escape(refs[source.id], quote=False).split(". ")[0] in listed
    none = ex.export(chron, ViewState(kinds=("event",)), "html").data.decode("utf-8")
    assert "application/ld+json" not in none  # a view without claims has nothing to say as claims


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


def test_a_kept_figure_is_handed_out_as_a_copy_and_drawn_as_a_still(monkeypatch):
    monkeypatch.setattr(ex, "_chosen", {})
    chron = load_chronology(ROOT)
    claims = ViewState(kinds=("claim",))
    first, _ = ex.static_figure(chron, claims, "png", "slide-16x9")
    kept = first.to_json()
    first.layout.annotations = ()  # a caller changing its figure
    first.data[0].x = first.data[0].x[:1]
    again, _ = ex.static_figure(chron, claims, "png", "slide-16x9")
    assert again.to_json() == kept != first.to_json()
    markers = [t for t in again.data if (t.meta or {}).get("role") == "marker"]
    assert markers and all(t.hovertemplate is None and len(t.customdata[0]) == 1 for t in markers)  # no hover data
