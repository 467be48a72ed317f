"""The dashboard run headless with Streamlit's AppTest."""
import json
import re
import shutil
from datetime import date
from urllib.parse import quote

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from shipped import N_CLAIMS, N_EVENTS
from timeline.data.load import ROOT

APP = str(ROOT / "app.py")


def start(params=None, data=None, monkeypatch=None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for k, v in (params or {}).items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, at.exception
    return at


def text_of(at) -> str:
    return "\n".join(m.value for m in at.markdown)


def chart(at) -> dict:
    return json.loads(at.get("plotly_chart")[0].proto.spec)


def event_ids_in_chart(at) -> set[str]:
    ids = set()
    for trace in chart(at)["data"]:
        for cd in trace.get("customdata") or []:
            if isinstance(cd, list) and cd:
                ids.add(cd[0])
    return ids


def test_default_view_shows_every_event():
    at = start()
    assert at.title[0].value == "US–China counternarcotics diplomacy over fentanyl"
    assert f"<strong>{N_EVENTS} of {N_EVENTS} events</strong> · All events, no filters" in text_of(at)
    assert len(event_ids_in_chart(at)) == N_EVENTS
    assert len(at.dataframe[0].value) == N_EVENTS
    # the table waits closed at the page's foot (its grid would delay the chart's drawing by about 0.2 s)
    table = next(e for e in at.expander if e.label.startswith("Events:"))
    assert table.label == f"Events: the view's {N_EVENTS} in a table (pick a row to open one)"
    assert not table.proto.expanded and len(table.dataframe) == 1
    assert dict(at.query_params) == {}


def test_filter_gives_fewer_events_and_goes_into_the_url():
    at = start()
    at.multiselect(key="w_kinds").set_value(["claim"]).run()
    assert f"<strong>{N_CLAIMS} of {N_EVENTS} events</strong> · Events of kind claim" in text_of(at)
    assert len(event_ids_in_chart(at)) == N_CLAIMS
    assert at.query_params["kind"] == "claim"
    at.text_input(key="w_search").set_value("Wang Xiaohong").run()
    assert f"<strong>1 of {N_EVENTS} events</strong>" in text_of(at)
    assert event_ids_in_chart(at) == {"wang-tasked-expand"}


def test_url_restores_the_view():
    at = start({"kind": "claim,event", "source": "ntdtv", "lanes": "actor", "event": "xi-secret-speech", "from": "2022"})
    assert at.multiselect(key="w_kinds").value == ["claim", "event"]
    assert at.multiselect(key="w_sources").value == ["ntdtv"]
    assert at.segmented_control(key="w_lanes").value == "actor"
    assert at.selectbox(key="w_event").value == "xi-secret-speech"
    md = text_of(at)
    assert f"<strong>3 of {N_EVENTS} events</strong> · Events of kind claim or event, reported by NTDTV, from 2022 on" in md
    # the selected event's passage, highlighted in its paragraph
    assert "<mark>according to CCP insiders, Xi Jinping gave an “important speech”" in md
    assert "Yuan Hongbing, citing unnamed CCP insiders (reported by NTDTV)" in md
    # and the URL is left as it was given
    assert at.query_params["event"] == "xi-secret-speech"


def test_invalid_url_values_fall_back_with_a_notice():
    at = start({"kind": "rumour", "lanes": "sideways", "event": "no-such-event"})
    warnings = [w.value.replace("\\", "") for w in at.warning]  # Markdown escapes removed
    assert any('Ignored kind "rumour"' in w for w in warnings)
    assert any('Ignored lanes "sideways"' in w for w in warnings)
    assert any('Ignored event "no-such-event"' in w for w in warnings)
    assert f"<strong>{N_EVENTS} of {N_EVENTS} events</strong>" in text_of(at)
    assert at.segmented_control(key="w_lanes").value == "category"


def test_picking_an_event_shows_its_quotes_from_every_outlet():
    at = start()
    at.selectbox(key="w_event").set_value("working-group-launch").run()
    md = text_of(at)
    assert "US–China Counternarcotics Working Group launched; first talks in Beijing" in md
    assert "<mark>On January 30, 2024, the two countries launched the Counternarcotics Working Group" in md
    assert "<strong>CGTN</strong>" in md and "<strong>The Epoch Times</strong>" in md and "<strong>The Daily Caller</strong>" in md
    assert "5 passages from 3 outlets" in md
    assert at.query_params["event"] == "working-group-launch"


def test_clicking_a_marker_selects_its_event():
    at = start()
    at.session_state["chart"] = {"selection": {"points": [{"customdata": ["apec-biden-xi"]}], "point_indices": [0],
                                               "box": [], "lasso": []}}
    at.run()
    assert at.selectbox(key="w_event").value == "apec-biden-xi"
    assert "Biden and Xi meet at the APEC summit" in text_of(at)
    assert "(inferred)" in text_of(at)


def test_dragging_across_a_period_zooms_in_to_it_and_zooming_out_restores_every_date():
    at = start()
    box = {"xref": "x2", "yref": "y2", "x": ["2023-12-31 18:00:00", "2023-01-01 06:00:00"], "y": [0, 400]}
    at.session_state["chart"] = {"selection": {"points": [], "point_indices": [], "box": [box], "lasso": []}}
    at.run()
    assert not at.exception, at.exception
    assert at.date_input(key="w_dates").value == (date(2023, 1, 1), date(2023, 12, 31))
    assert at.query_params["from"] == "2023" and at.query_params["to"] == "2023"
    shown = int(re.search(rf"<strong>(\d+) of {N_EVENTS} events</strong>", text_of(at)).group(1))
    assert 0 < shown < N_EVENTS
    spec = chart(at)
    assert spec["layout"]["selectdirection"] == "h" and spec["layout"].get("width") is None  # the page's width: drawn once
    at.button(key="zoom_out").click().run()
    assert f"<strong>{N_EVENTS} of {N_EVENTS} events</strong>" in text_of(at)
    assert "from" not in at.query_params and "zoom_out" not in [b.key for b in at.button]


def test_a_box_that_is_not_over_dates_changes_nothing():
    at = start()
    box = {"xref": "x2", "yref": "y2", "x": ["not a date", None], "y": [0, 400]}
    at.session_state["chart"] = {"selection": {"points": [], "point_indices": [], "box": [box], "lasso": []}}
    at.run()
    assert not at.exception, at.exception
    assert f"<strong>{N_EVENTS} of {N_EVENTS} events</strong>" in text_of(at)


def test_a_claim_says_who_makes_it_and_that_it_is_single_source():
    at = start({"event": "xi-secret-speech"})
    md = text_of(at)
    assert "<strong>Claim made by:</strong> Yuan Hongbing" in md
    assert "3 passages from 1 outlet (single source)" in md
    assert "c. November 2022" in md and "approximate" in md


def test_empty_result_says_how_to_widen():
    at = start({"q": "no such words anywhere"})
    assert f"<strong>0 of {N_EVENTS} events</strong>" in text_of(at)
    assert any("No events match these filters" in i.value for i in at.info)
    at.button(key="reset_empty").click().run()
    assert f"<strong>{N_EVENTS} of {N_EVENTS} events</strong>" in text_of(at)


def test_lanes_switch_to_sources():
    at = start()
    at.segmented_control(key="w_lanes").set_value("source").run()
    lanes = set(chart(at)["layout"]["yaxis"]["ticktext"])
    assert {"CGTN", "NTDTV", "TheBlaze", "The Daily Caller", "The Epoch Times"} <= lanes
    assert at.query_params["lanes"] == "source"


def test_source_reader_highlights_passages_and_links_back():
    at = start()
    at.query_params["source"] = "blaze"
    at.query_params["event"] = "pelosi-taiwan"
    at.switch_page("views/page_sources.py").run()
    assert not at.exception
    md = text_of(at)
    assert "Biden admin weighs lifting some China sanctions" in md
    # the Pelosi passage lies inside the suspension's passage: one outlined mark names both events
    assert 'class="cited focus">In retaliation to then-House Speaker Nancy Pelosi’s (D) visit to Taiwan last year' in md
    assert 'href="./?event=pelosi-taiwan"' in md
    assert 'class="furniture"' in md and "Like Blaze News?" in md  # played down, not deleted
    assert at.selectbox(key="w_source").value == "blaze"


def test_broken_data_still_shows_valid_events_and_every_problem(monkeypatch, tmp_path):
    for name in ("events.csv", "citations.csv", "vocabulary.csv"):
        shutil.copy(ROOT / name, tmp_path / name)
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    events = (tmp_path / "events.csv").read_text(encoding="utf-8").replace("opium-wars,Opium Wars,,1839,1860",
                                                                           "opium-wars,Opium Wars,,1839,1830")
    (tmp_path / "events.csv").write_text(events, encoding="utf-8")
    monkeypatch.setenv("TIMELINE_DATA", str(tmp_path))
    at = start()
    assert f"<strong>{N_EVENTS - 1} of {N_EVENTS - 1} events</strong>" in text_of(at)
    problems = "\n".join(t.value for t in at.text)
    assert problems == ("events.csv row 2, column end: end 1830 is before start 1839. "
                        "Fix: swap start and end or correct one of them.")
    assert "1 problem(s) in the data" in at.expander[0].label
    assert f"events.csv: {N_EVENTS} read, {N_EVENTS - 1} used, 1 rejected" in "\n".join(c.value for c in at.caption)


def test_download_panel_offers_every_format_with_alt_text():
    at = start({"kind": "claim"})
    fmt = at.selectbox(key="x_format")
    assert fmt.options == ["PNG image", "SVG image (scalable)", "PDF (print)", "Published page (HTML: light, offline, embeddable)",
                           "Data: CSV with the quotes", "Data: JSON with the quotes", "TimelineJS (Knight Lab) JSON",
                           "Passages: W3C Web Annotations (JSON-LD)", "Sources: CSL-JSON (reference managers)"]
    alt = [t for t in at.text_area if t.key.startswith("x_alt_")][0].value
    assert alt.startswith(f"Timeline chart of {N_CLAIMS} entries from 2017 to 2024 (Events of kind claim): {N_CLAIMS} claims.")
    assert "Sources\\: CGTN; The Daily Caller; The Epoch Times; NTDTV; TheBlaze" in "\n".join(c.value for c in at.caption)
    fmt.set_value("html").run()
    assert [c.value for c in at.code] and at.code[0].value.startswith('<iframe src="fentanyl-timeline.html"')
    at.selectbox(key="x_format").set_value("pdf").run()
    assert at.selectbox(key="x_preset_True").value == "a4"

    for value, name in (("annotations", "fentanyl-timeline-annotations.jsonld"), ("csl", "fentanyl-timeline-sources.csl.json")):
        at.selectbox(key="x_format").set_value(value).run()
        assert not at.exception and [b.proto.label for b in at.get("download_button")] == [f"Download {name}"]


def test_an_image_the_renderer_cannot_draw_is_one_sentence_on_the_page(monkeypatch):
    from timeline.outputs import export, renderer
    from views.export_panel import _build

    def stopped(*args, **kwargs):
        raise renderer.RenderFailed()

    monkeypatch.setattr(export, "render", stopped)
    _build.clear()
    at = start({"kind": "claim"})
    assert not at.error and not any(b.key == "x_download" for b in at.get("download_button"))
    at.button(key="x_draw").click().run()
    assert not at.exception
    assert [e.value for e in at.error] == [renderer.FAILED]
    assert not at.get("download_button")  # nothing to download, and the page goes on working
    at.selectbox(key="x_format").set_value("csv").run()
    assert not at.error and len(at.get("download_button")) == 1


def test_read_only_mode_has_no_curate_page(monkeypatch):
    at = start()
    at.switch_page("views/page_curate.py").run()  # listed normally
    assert not at.exception
    assert any(b.key == "cur_save" for b in at.button)
    monkeypatch.setenv("TIMELINE_READ_ONLY", "1")
    at = start()
    at.switch_page("views/page_curate.py").run()  # hidden from the navigation; its URL says why, with no form
    assert not at.exception
    assert "served read-only" in at.info[0].value
    assert not any(b.key == "cur_save" for b in at.button)


def test_bounded_dates_read_as_after_between_and_by(monkeypatch, bounded_dir):
    monkeypatch.setenv("TIMELINE_DATA", str(bounded_dir))
    at = start({"event": "no-seizures"})
    table = at.dataframe[0].value
    labels = dict(zip(table["Title"], table["Date"]))
    assert labels["China schedules fentanyl-related substances as a class"] == "by 2019"
    assert labels["Chinese Embassy: no fentanyl from China seized since September 2019"] == "after September 2019"
    assert labels["A Chinese delegation meets US authorities"] == "between 30 January 2024 and December 2024"
    assert "<strong>after September 2019</strong> <em>(exact date not known)</em>" in text_of(at)
    traces = chart(at)["data"]
    bound = {cd[0] for t in traces if (t.get("meta") or {}).get("role") == "bound" for cd in t["customdata"]}
    assert bound == {"class-scheduling", "no-seizures", "delegation-visit"}
    hover = " ".join(cd[1] for t in traces if (t.get("meta") or {}).get("role") == "marker" for cd in t["customdata"])
    assert "Date not known: by 2019" in hover


def blocks_of_type(node, kind: str) -> list:
    found = [node] if getattr(node, "type", "") == kind else []
    for child in getattr(node, "children", {}).values():
        found += blocks_of_type(child, kind)
    return found


def test_the_detail_opens_beside_the_chart_and_walks_the_view_in_date_order():
    at = start({"kind": "claim"})
    assert "side_next" not in [b.key for b in at.button]  # nothing open: nothing to walk
    assert "Click a marker, pick an event" in " ".join(c.value for c in at.caption)  # nothing open: how to open one
    assert "</h3>" not in text_of(at)
    at.selectbox(key="w_event").set_value("us-blames-china-2017").run()
    assert at.columns and "the US has blamed China as a source of opioids since 2017</h3>" in text_of(at)
    assert at.button(key="side_prev").disabled  # the first claim of the view: nothing before it
    # served locally, the pages that write take the event: the Edit page and the lesson editor
    assert './edit?event=us-blames-china-2017"' in text_of(at) and './lessons?event=us-blames-china-2017"' in text_of(at)
    at.button(key="side_next").click().run()
    second = at.selectbox(key="w_event").value
    assert second not in (None, "us-blames-china-2017")
    assert at.query_params["event"] == second
    assert f"2 of {N_CLAIMS}" in text_of(at)
    at.button(key="side_prev").click().run()
    assert at.selectbox(key="w_event").value == "us-blames-china-2017"
    at.button(key="side_close").click().run()
    assert at.selectbox(key="w_event").value is None and "event" not in at.query_params
    assert "</h3>" not in text_of(at)  # the overview again


def test_a_phone_gets_a_vertical_timeline_and_the_detail_as_a_sheet():
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["_screen"] = {"width": 358, "height": 740}  # as the browser reports a 390 px phone
    at.run()
    assert not at.exception
    assert not at.get("plotly_chart")  # no lane chart squeezed into the phone
    at.selectbox(key="w_event").set_value("apec-biden-xi").run()
    sheet = blocks_of_type(at._tree, "dialog")
    assert [d.proto.dialog.title for d in sheet] == ["Biden and Xi meet at the APEC summit"]
    assert "event=apec-biden-xi&amp;lens=Framing" in text_of(at) and "(inferred)" in text_of(at)
    assert {"sheet_prev", "sheet_next", "sheet_close"} <= {b.key for b in at.button}
    at.button(key="sheet_close").click().run()
    assert at.selectbox(key="w_event").value is None


@pytest.mark.skipif(not shutil.which("chromium"), reason="image export needs Chromium")
def test_a_drawn_images_alt_text_names_the_events_it_labels():
    from timeline.data.load import load_chronology
    from timeline.filters import ViewState
    from timeline.outputs import export
    from views.export_panel import _build

    _build.clear()
    at = start({"kind": "claim"})
    at.button(key="x_draw").click().run(timeout=180)
    assert not at.exception and not at.error
    alt = [t for t in at.text_area if t.key.startswith("x_alt_")][0].value
    expected = export.export(load_chronology(ROOT), ViewState(kinds=("claim",)), "png", "slide-16x9").alt_text
    assert alt == expected
    assert "Labelled in the image" in alt and "without a label" in alt  # a slide cannot label all 19 at 20 px


def test_a_returning_browser_s_remembered_size_lays_out_the_first_run(monkeypatch):
    import views.screen

    phone = quote(json.dumps({"width": 358, "height": 740, "top": 150}))  # the cookie the probe wrote on an earlier visit
    monkeypatch.setattr(views.screen, "_cookie", lambda: phone)
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert not at.get("plotly_chart")  # laid out for the phone at once, no run at a laptop's size first
    assert at.session_state["_screen"] == {"width": 358, "height": 740, "top": 150}
    monkeypatch.setattr(views.screen, "_cookie", lambda: '{"width": "358; drop", "height": 740}')
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert at.get("plotly_chart") and at.session_state["_screen"] is None  # a cookie not sound: as if none


def test_a_new_browser_s_first_run_waits_for_its_size_before_laying_out_the_chart(monkeypatch):
    import views.common
    import views.timeline_view as page

    monkeypatch.setattr(page, "from_browser", lambda: True)  # a browser behind the run, no size remembered
    held = []  # for each run, whether it held back the background unpickling
    monkeypatch.setattr(views.common, "warm_up", lambda: held.append(bool(st.session_state.pop("_hold_warm_up", False))))
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert not at.get("plotly_chart")  # no chart laid out for a guess, to be replaced a moment later
    assert any("Laying out the chart" in c.value for c in at.caption)
    assert held == [True]  # and nothing unpickled in the background meanwhile
    monkeypatch.setattr(page, "probe", lambda walk: ({"width": 1100, "height": 800, "top": 163}, None))  # it reports
    at.run()
    assert not at.exception and at.get("plotly_chart")
    assert not any("Laying out the chart" in c.value for c in at.caption)
    assert held == [True, False]


@pytest.mark.parametrize("text, expected", [
    ('{"width": 900, "height": 700, "top": 160}', {"width": 900, "height": 700, "top": 160}),
    ('{"width": 900, "height": 700, "top": null}', {"width": 900, "height": 700, "top": None}),
    ('{"width": 900, "height": 700}', {"width": 900, "height": 700, "top": None}),
    ("%7B%22width%22%3A932%2C%22height%22%3A900%2C%22top%22%3A163%7D", {"width": 932, "height": 900, "top": 163}),  # as written
    (None, None), ("", None), ("not json", None), ("[1, 2]", None), ('{"width": 900}', None),
    ('{"width": true, "height": 700}', None), ('{"width": -5, "height": 700}', None),
    ('{"width": 900.5, "height": 700}', None), ('{"width": 900, "height": 700, "top": "x"}', None),
])
def test_only_a_sound_remembered_size_is_used(text, expected):
    from views.screen import remembered

    assert remembered(text) == expected


def test_a_later_session_on_the_same_view_gets_the_figure_made_before(monkeypatch):
    import views.timeline_view as page

    built = []
    build = page.build_figure
    monkeypatch.setattr(page, "build_figure", lambda frame, **kw: built.append(len(frame)) or build(frame, **kw))
    page.FIGURES.clear()
    first = AppTest.from_file(APP, default_timeout=60).run()
    later = AppTest.from_file(APP, default_timeout=60).run()  # another reader, the same view and size
    assert not later.exception and built == [N_EVENTS]
    assert later.get("plotly_chart")[0].proto.spec == first.get("plotly_chart")[0].proto.spec
    later.multiselect(key="w_kinds").set_value(["claim"]).run()  # another view: its own figure
    assert built == [N_EVENTS, N_CLAIMS]
    assert "claim" in later.get("plotly_chart")[0].proto.spec


def test_a_big_view_lists_its_first_thousand_events_and_says_so(monkeypatch, tmp_path):
    from timeline.data.synth import write_folder
    from views.timeline_view import MAX_TABLE

    write_folder(tmp_path, 1200, seed=5)
    monkeypatch.setenv("TIMELINE_DATA", str(tmp_path))
    at = start()
    assert len(at.dataframe[0].value) == MAX_TABLE == 1000  # not 1,200 rows sent with every visit
    assert any("The first 1,000 of the view's 1,200 events" in c.value for c in at.caption)
    at = start({"kind": "claim"})
    n = len(at.dataframe[0].value)
    assert n < MAX_TABLE and not any("The first 1,000" in c.value for c in at.caption)


def test_the_download_panel_s_alt_text_and_credit_follow_the_view():
    from timeline.data.load import load_chronology
    from timeline.filters import ViewState, filter_events
    from timeline.outputs.alttext import alt_text, credit_line
    from timeline.render import md_safe

    chron = load_chronology(ROOT)

    def shown(at):
        alt = [t for t in at.text_area if t.key.startswith("x_alt_")][0].value
        credit = [c.value for c in at.caption if "credit line" in c.value][0]
        return alt, credit

    at = start()
    everything = shown(at)
    at.multiselect(key="w_kinds").set_value(["claim"]).run()
    claims = ViewState(kinds=("claim",))
    frame = filter_events(chron.frame, claims)
    assert shown(at)[0] == alt_text(chron, frame, claims) != everything[0]
    assert shown(at)[1] == md_safe(f"{len(frame)} events; credit line: {credit_line(frame)}") != everything[1]
    at.multiselect(key="w_kinds").set_value([]).run()
    assert shown(at) == everything  # kept, and the right one
