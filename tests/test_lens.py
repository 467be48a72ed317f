"""The source lens: relations and figures tables, coverage, framing, corroboration, and its page.

Broken relations.csv and figures.csv live under tests/data/bad-lens/<case>/, like the cases of
tests/data/bad/: the files that differ from the shipped data and expected.txt, the exact problem
lines. They are kept apart because relations.csv and figures.csv are optional files that the
shipped-data copy of the other cases leaves out.
"""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from shipped import N_CLAIMS, N_EVENTS, ROOT, copy_shipped
from timeline import lens, load_chronology, read_data
from timeline.chart.figure import build_figure
from timeline.data.dates import PartialDate
from timeline.filters import ViewState, filter_events
from timeline.data.lens_data import FIGURES, RELATIONS, RelationKind

BAD = Path(__file__).resolve().parent / "data" / "bad-lens"
CASES = sorted(p for p in BAD.iterdir() if p.is_dir())
LENS_FILES = (RELATIONS, FIGURES)


@pytest.fixture(scope="module")
def chron():
    return load_chronology(ROOT)


def with_lens(dest: Path) -> Path:
    """A copy of the shipped data, the lens's tables included."""
    copy_shipped(dest)
    for name in LENS_FILES:
        shutil.copy2(ROOT / name, dest / name)
    return dest


def build(case: Path, dest: Path) -> Path:
    with_lens(dest)
    for f in case.iterdir():
        if f.name != "expected.txt":
            shutil.copyfile(f, dest / f.name)
    return dest


def ids(frame: pd.DataFrame) -> list[str]:
    return list(frame["id"])


# --- the tables: broken cases -----------------------------------------------------------------


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_lens_case_gives_exactly_the_expected_problems(case, tmp_path):
    got = [str(p) for p in read_data(build(case, tmp_path / "data")).problems]
    assert got == (case / "expected.txt").read_text(encoding="utf-8").splitlines()


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_lens_problems_name_place_and_fix(case, tmp_path):
    for p in read_data(build(case, tmp_path / "data")).problems:
        assert p.file and p.row is not None and p.fix
        line = str(p)
        assert ". Fix: " in line and "\n" not in line
        for leak in ("Traceback", "pydantic", "validation error", "input_value", "type="):
            assert leak not in line


def test_relation_problems_cover_every_rule(tmp_path):
    text = "\n".join(str(p) for p in read_data(build(BAD / "relation-problems", tmp_path / "data")).problems)
    for rule in ('did you mean "pelosi-taiwan"?', '"refutes" is not a relation', "is related to itself",
                 "the same relation is already on row 6", "which it is said to respond to", "note is empty",
                 "the quote is not in seeds/", 'did you mean "cgtn"?', "quote is empty while source_id is filled in"):
        assert rule in text


def test_a_reversed_dispute_is_a_duplicate_but_a_reversed_response_is_not_counted_twice(tmp_path):
    result = read_data(build(BAD / "relation-problems", tmp_path / "data"))
    kept = [(r.relation.from_event, r.relation.to_event, r.relation.relation.value) for r in result.chronology.relations]
    assert kept == [("china-mfa-tariff-response", "trump-tariff-threat", "responds-to"),
                    ("no-seizures-claim", "dea-primary-source", "disputes")]
    assert (result.counts[RELATIONS].read, result.counts[RELATIONS].kept) == (11, 2)


def test_references_to_a_rejected_event_are_not_reported_twice(tmp_path):
    result = read_data(build(BAD / "relation-to-rejected-event", tmp_path / "data"))
    assert len(result.problems) == 2  # the event's own date, and an id that events.csv lacks
    assert result.chronology.relations == []
    [figure] = result.chronology.figures
    assert figure.figure.event_id == ""  # kept, without the rejected event


def test_the_lens_tables_are_optional(data_dir):
    # the shared fixture copies the shipped data without relations.csv and figures.csv
    assert not (data_dir / RELATIONS).exists()
    result = read_data(data_dir)
    assert result.problems == []
    assert result.chronology.relations == [] and result.chronology.figures == []
    assert RELATIONS not in result.counts and FIGURES not in result.counts


# --- the shipped relations and figures ---------------------------------------------------------


def test_shipped_lens_tables_validate_and_are_all_used(tmp_path):
    result = read_data(with_lens(tmp_path / "data"))
    assert result.problems == []
    for name in LENS_FILES:
        assert result.counts[name].rejected == 0 and result.counts[name].read >= 8


REQUIRED_RELATIONS = [
    ("no-seizures-claim", "dea-primary-source", "disputes"),
    ("report-no-enforcement", "cgtn-rigid-drug-control", "disputes"),
    ("report-casts-doubt", "xi-promise-curtail", "disputes"),
    ("china-denies-ifs-allegations", "ifs-sanctions", "responds-to"),
    ("china-mfa-tariff-response", "trump-tariff-threat", "responds-to"),
    ("china-halts-cooperation", "pelosi-taiwan", "responds-to"),
]


def test_the_curated_relations_include_the_known_disputes_and_responses(chron):
    got = {(r.relation.from_event, r.relation.to_event, r.relation.relation.value) for r in chron.relations}
    assert set(REQUIRED_RELATIONS) <= got
    assert 10 <= len(chron.relations) <= 16


def test_every_relation_note_attributes_and_does_not_adjudicate(chron):
    outlets = {s.outlet for s in chron.sources.values()} | {"Daily Caller", "DEA", "House Select Committee"}
    for r in chron.relations:
        note = r.relation.note
        assert any(o in note for o in outlets), note
        for verdict in ("false", "lie", "debunk", "true that", "proves", "in fact", "wrong"):
            assert not re.search(rf"\b{verdict}\b", note, re.IGNORECASE), (verdict, note)


def test_stated_links_are_verbatim_in_their_articles(chron):
    stated = [r for r in chron.relations if r.stated]
    assert {r.link.source.id for r in stated} == {"cgtn", "blaze", "dailycaller"}
    for r in stated:
        assert r.link.anchor.exact and r.link.text == r.relation.quote


# id, value, source: the figures the brief names
REQUIRED_FIGURES = [
    ("overdose-deaths-2022-dailycaller", "Nearly 108,000", "dailycaller"),
    ("overdose-deaths-2022-blaze", "more than 100,000", "blaze"),
    ("opioid-deaths-2022-cgtn", "79,770", "cgtn"),
    ("coalition-attendance-blaze", "97", "blaze"),
    ("potency-heroin-epoch", "up to 50 times", "epoch"),
    ("potency-morphine-epoch", "100 times", "epoch"),
    ("us-population-share-cgtn", "5 percent", "cgtn"),
    ("us-opioid-share-cgtn", "80 percent", "cgtn"),
    ("fentanyl-age-range-epoch", "18 to 49", "epoch"),
    ("fentanyl-age-range-cgtn", "18-45", "cgtn"),
    ("overdose-deaths-growth-cgtn", "roughly quadrupled", "cgtn"),
]


@pytest.mark.parametrize("figure_id, value, source_id", REQUIRED_FIGURES, ids=[f[0] for f in REQUIRED_FIGURES])
def test_required_figures_are_quoted_verbatim_with_their_value(chron, figure_id, value, source_id):
    f = {row.figure.id: row for row in chron.figures}[figure_id]
    assert (f.figure.value, f.figure.source_id) == (value, source_id)
    assert f.link.anchor.exact and f.link.text == f.figure.quote
    assert value in f.figure.quote
    assert f.figure.measure and f.figure.unit and f.figure.attributed_to


def test_figures_that_look_alike_say_what_they_count(chron):
    by_id = {row.figure.id: row.figure for row in chron.figures}
    assert "opioid" in by_id["opioid-deaths-2022-cgtn"].measure.lower()
    assert "all drugs" in by_id["overdose-deaths-2022-dailycaller"].measure
    assert "not comparable" in by_id["opioid-deaths-2022-cgtn"].note


# --- corroboration and the outlets filter ------------------------------------------------------


def test_shared_affiliation_is_read_from_the_outlet_descriptions(chron):
    assert lens.affiliations(chron) == {"ntdtv": "Falun Gong movement", "epoch": "Falun Gong movement"}
    assert lens.shared_affiliations(chron) == {"Falun Gong movement": ["epoch", "ntdtv"]}
    assert lens.affiliation_note(chron, ["epoch", "ntdtv", "cgtn"]) == (
        "The Epoch Times and NTDTV are both described as affiliated with the Falun Gong movement.")
    assert lens.affiliation_note(chron, ["epoch", "cgtn"]) == ""


@pytest.mark.parametrize("n, label", [(0, "no source"), (1, "single source"), (2, "2 outlets"), (3, "3 outlets")])
def test_corroboration_label(n, label):
    assert lens.corroboration_label(n) == label


def test_corroboration_counts_outlets(chron):
    c = lens.corroboration(chron, chron.frame).set_index("id")
    assert c.at["working-group-launch", "n_outlets"] == 3
    assert c.at["xi-secret-speech", "corroboration"] == "single source"
    assert (c["n_outlets"] >= 1).all()


def test_outlets_filter_keeps_events_of_two_or_more_outlets(chron):
    state, notices = ViewState.from_query_params({"outlets": "2"}, chron)
    assert notices == [] and state.min_outlets == 2
    assert ids(filter_events(chron.frame, state)) == ["overdose-deaths-2022", "fentanyl-leading-killer", "working-group-launch"]
    assert state.describe(chron) == "Events reported by at least two outlets"
    assert state.to_query_params() == {"outlets": "2"}
    assert state.is_filtered
    three = ViewState(min_outlets=3)
    assert ids(filter_events(chron.frame, three)) == ["working-group-launch"]


@pytest.mark.parametrize("value", ["0", "9", "two", "-1"])
def test_unusable_outlets_values_are_ignored_with_a_notice(chron, value):
    state, notices = ViewState.from_query_params({"outlets": value}, chron)
    assert state.min_outlets == 0
    assert notices == [f'Ignored outlets "{value}": use a whole number from 1 to 5.']


# --- coverage ---------------------------------------------------------------------------------


def test_coverage_matrix_counts_passages_per_event_and_article(chron):
    m = lens.coverage_matrix(chron, chron.frame)
    assert list(m.columns) == ["blaze", "epoch", "dailycaller", "ntdtv", "cgtn"]  # by publication date
    assert list(m.index) == ids(chron.frame)
    assert m.loc["working-group-launch"].to_dict() == {"blaze": 0, "epoch": 3, "dailycaller": 1, "ntdtv": 0, "cgtn": 1}
    assert int(m.to_numpy().sum()) == len(chron.passages)


def test_coverage_follows_the_filters(chron):
    shown = filter_events(chron.frame, ViewState(kinds=("claim",)))
    m = lens.coverage_matrix(chron, shown)
    assert list(m.index) == ids(shown) and len(m) == N_CLAIMS


def test_coverage_status_tells_absence_from_impossibility(chron):
    s = lens.coverage_status(chron, chron.frame)
    assert s.at["working-group-launch", "epoch"] == lens.REPORTED
    assert s.at["working-group-launch", "blaze"] == lens.LATER  # TheBlaze wrote in July 2023
    assert s.at["working-group-launch", "ntdtv"] == lens.NOT_MENTIONED
    assert s.at["trump-tariff-threat", "cgtn"] == lens.REPORTED
    assert s.at["trump-tariff-threat", "ntdtv"] == lens.LATER


def test_source_profiles(chron):
    profiles = {p.source.id: p for p in lens.source_profiles(chron, chron.frame)}
    assert list(profiles) == ["blaze", "epoch", "dailycaller", "ntdtv", "cgtn"]
    epoch = profiles["epoch"]
    assert epoch.events == ["fentanyl-leading-killer", "brookings-report", "china-rejected-requests", "working-group-launch"]
    assert epoch.only_here == ["brookings-report", "china-rejected-requests"]
    assert epoch.passages == 7
    assert (epoch.not_mentioned, epoch.later) == (31, 9)
    assert epoch.shares_affiliation_with == ["ntdtv"] and epoch.affiliation == "Falun Gong movement"
    assert profiles["cgtn"].shares_affiliation_with == []
    assert profiles["blaze"].later == len([e for e in chron.events if e.first_day.isoformat() > "2023-07-31"])
    for p in profiles.values():
        assert len(p.events) + p.not_mentioned + p.later == len(chron.events)


# --- framing ----------------------------------------------------------------------------------


def test_framing_puts_each_outlets_passages_side_by_side(chron):
    tellings = lens.framing(chron, "working-group-launch")
    assert [t.source.outlet for t in tellings] == ["The Epoch Times", "The Daily Caller", "CGTN"]
    epoch = tellings[0]
    assert [p.anchor.start for p in epoch.passages] == sorted(p.anchor.start for p in epoch.passages)
    assert len(epoch.passages) == 3


def test_framing_carries_the_figures_each_outlet_cites(chron):
    tellings = {t.source.id: t for t in lens.framing(chron, "overdose-deaths-2022")}
    assert [f.figure.value for f in tellings["dailycaller"].figures] == ["Nearly 108,000"]
    assert [f.figure.value for f in tellings["blaze"].figures] == ["more than 100,000"]


def test_multi_outlet_events(chron):
    assert lens.multi_outlet_events(chron.frame) == ["overdose-deaths-2022", "fentanyl-leading-killer", "working-group-launch"]
    assert lens.multi_outlet_events(chron.frame.iloc[:0]) == []


# --- relations --------------------------------------------------------------------------------


def test_relations_in_view_come_by_kind_then_date(chron):
    rows = lens.relations_in_view(chron, chron.frame)
    kinds = [r.kind for r in rows]
    assert kinds == sorted(kinds, key=[RelationKind.disputes, RelationKind.responds_to, RelationKind.supports].index)
    disputes = lens.disputes(chron, chron.frame)
    assert all(r.kind is RelationKind.disputes for r in disputes)
    assert (disputes[0].left.id, disputes[0].right.id) == ("no-seizures-claim", "dea-primary-source")


def test_a_relation_is_shown_when_one_side_is_in_view(chron):
    shown = filter_events(chron.frame, ViewState(sources=("ntdtv",)))
    rows = lens.relations_in_view(chron, shown)
    assert [(r.left.id, r.right.id) for r in rows] == [("wang-tasked-expand", "cgtn-rigid-drug-control")]
    assert lens.relations_in_view(chron, shown, ["responds-to"]) == []


def test_a_response_is_laid_out_after_what_it_answers(chron):
    [s] = [r for r in lens.relations_of(chron, "pelosi-taiwan")]
    assert (s.left.id, s.right.id, s.kind) == ("pelosi-taiwan", "china-halts-cooperation", RelationKind.responds_to)
    assert s.row.stated and s.row.link.source.id == "blaze"


def test_relation_links_only_join_events_both_in_view(chron):
    links = lens.relation_links(chron, chron.frame)
    assert ("pelosi-taiwan", "china-halts-cooperation") in links
    assert ("trump-tariff-threat", "china-mfa-tariff-response") in links
    assert all(a != b for a, b in links) and len(links) == 5
    shown = filter_events(chron.frame, ViewState(date_from=PartialDate(2024)))
    assert lens.relation_links(chron, shown) == [("trump-tariff-threat", "china-mfa-tariff-response")]


# --- figures ----------------------------------------------------------------------------------


def test_figures_table_keeps_like_measures_together(chron):
    t = lens.figures_table(chron)
    assert len(t) == len(chron.figures)
    assert list(t.columns) == lens.FIGURE_COLUMNS
    first_two = t.iloc[:2]
    assert set(first_two["measure"]) == {"US deaths from drug overdoses (all drugs)"}
    assert set(first_two["outlet"]) == {"The Daily Caller", "TheBlaze"}


def test_figures_follow_the_filters(chron):
    claims = filter_events(chron.frame, ViewState(kinds=("claim",)))
    t = lens.figures_table(chron, claims)
    assert set(t["event_id"]) <= set(claims["id"]) | {""}
    assert "opioid-deaths-2022-cgtn" not in set(t["id"])  # its event is a statistic
    only_epoch = lens.figures_table(chron, filter_events(chron.frame, ViewState(sources=("epoch",))), ("epoch",))
    assert set(only_epoch["source_id"]) == {"epoch"}
    assert {"potency-heroin-epoch", "fentanyl-age-range-epoch"} <= set(only_epoch["id"])


@pytest.mark.parametrize("quote, value, span", [
    ("Nearly 108,000 Americans died", "Nearly 108,000", (0, 14)),
    ("Nearly 108,000 Americans died", "nearly 108,000", (0, 14)),
    ("people aged 18-45, said the DEA", "18–45", (12, 17)),
    ("no number here", "97", None),
])
def test_value_span_finds_the_value_in_its_quote(quote, value, span):
    assert lens.value_span(quote, value) == span


# --- the chart: links and the single-source flag ------------------------------------------------


def test_chart_draws_responds_to_links_under_the_markers_and_stops_at_the_marker(chron):
    frame = chron.frame
    fig = build_figure(frame, width=900, links=lens.relation_links(chron, frame))
    roles = [(t.meta or {}).get("role") for t in fig.data]
    assert roles.count("link") == 1
    assert roles.index("link") < roles.index("marker")
    link = fig.data[roles.index("link")]
    assert link.marker.symbol == "arrow" and link.hoverinfo == "skip"
    assert [row[0] for row in link.customdata[:2]] == list(lens.relation_links(chron, frame)[0])
    assert list(link.marker.size[:3]) == [0, 10, 0]
    assert build_figure(frame, width=900).data == build_figure(frame, width=900, links=[]).data


def test_hover_flags_single_source_events(chron):
    fig = build_figure(chron.frame, width=900)
    hover = {row[0]: row[1] for t in fig.data if (t.meta or {}).get("role") == "marker" for row in t.customdata}
    assert "single source" in hover["xi-secret-speech"]
    assert "single source" not in hover["working-group-launch"]


# --- the page -----------------------------------------------------------------------------------

PAGE = str(ROOT / "views" / "page_lens.py")


def lens_page(params=None, env_data=None, monkeypatch=None) -> AppTest:
    if env_data is not None:
        monkeypatch.setenv("TIMELINE_DATA", str(env_data))
    at = AppTest.from_file(PAGE, default_timeout=60)
    for k, v in (params or {}).items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, at.exception
    return at


def html(at) -> str:
    return "\n".join(m.value for m in at.markdown)


def test_lens_page_shows_profiles_coverage_framing_claims_and_figures():
    at = lens_page()
    assert at.title[0].value == "Source lens"
    assert [t.label for t in at.tabs] == ["Sources", "Coverage", "Framing", "Claims and counter-claims", "Figures"]
    md = html(at)
    assert f"<strong>{N_EVENTS} of {N_EVENTS} events</strong> · All events, no filters" in md
    for outlet in ("TheBlaze", "The Epoch Times", "The Daily Caller", "NTDTV", "CGTN"):
        assert f"<h4>{outlet}</h4>" in md
    assert "Shares its affiliation (Falun Gong movement) with NTDTV" in md
    assert 'href="./?event=working-group-launch" target="_self"' in md
    assert '<td class="cell later"' in md and '<td class="cell rep"' in md
    # framing: the working group as three outlets tell it
    assert at.selectbox(key="l_frame").value == "working-group-launch"
    assert "<h5>The Epoch Times</h5>" in md and "<h5>The Daily Caller</h5>" in md and "<h5>CGTN</h5>" in md
    assert "<mark>On January 30, 2024, the two countries launched the Counternarcotics Working Group" in md
    # claims and counter-claims: both sides in their own words
    assert "the United States has not seized any fentanyl and its analogues originating from China since September 2019" in md
    assert "the primary source of fentanyl" in md
    assert "Paired by the editors of this timeline" in md and "The link is stated by <strong>CGTN</strong>" in md
    # figures: value highlighted in the quote
    assert "<mark>79,770</mark>" in md and "Opioid deaths only" in md


def test_lens_page_applies_the_url_filters_and_writes_them_back():
    at = lens_page({"kind": "claim", "outlets": "2"})
    assert f"<strong>0 of {N_EVENTS} events</strong>" in html(at)
    at = lens_page({"kind": "claim"})
    md = html(at)
    assert f"<strong>{N_CLAIMS} of {N_EVENTS} events</strong> · Events of kind claim" in md
    assert at.multiselect(key="l_kinds").value == ["claim"]
    at.checkbox(key="l_outlets").check().run()
    assert at.query_params["outlets"] == "2"
    assert "reported by at least two outlets" in html(at)


def test_lens_page_outlets_filter_leaves_three_events():
    at = lens_page({"outlets": "2"})
    md = html(at)
    assert f"<strong>3 of {N_EVENTS} events</strong> · Events reported by at least two outlets" in md
    assert at.checkbox(key="l_outlets").value is True


def test_lens_page_opens_the_framing_of_the_event_in_the_url():
    at = lens_page({"event": "overdose-deaths-2022", "lens": "Framing"})
    assert at.selectbox(key="l_frame").value == "overdose-deaths-2022"
    md = html(at)
    assert "Figure cited: <span class=\"figure-value\">Nearly 108,000</span>" in md


def test_lens_page_notices_bad_url_values():
    at = lens_page({"outlets": "lots", "kind": "rumour"})
    warnings = [w.value.replace("\\", "") for w in at.warning]
    assert any('Ignored outlets "lots"' in w for w in warnings)
    assert any('Ignored kind "rumour"' in w for w in warnings)


def test_lens_page_relation_kinds_can_be_narrowed():
    at = lens_page()
    at.segmented_control(key="l_rel_kinds").set_value(["responds-to"]).run()
    md = html(at)
    assert "<strong>5 of 13 relations</strong>" in md
    assert "In retaliation to then-House Speaker Nancy Pelosi’s (D) visit to Taiwan last year" in md


def test_lens_page_without_relations_or_figures_says_so(monkeypatch, tmp_path):
    at = lens_page(env_data=copy_shipped(tmp_path / "data"), monkeypatch=monkeypatch)
    md = html(at)
    assert "has no relations.csv" in md and "has no figures.csv" in md


def test_lens_page_escapes_data(monkeypatch, tmp_path):
    folder = with_lens(tmp_path / "data")
    rel = (folder / RELATIONS).read_text(encoding="utf-8")
    (folder / RELATIONS).write_text(rel.replace("Neither article mentions the other statement.",
                                                "<script>alert(1)</script> **bold** $x$"), encoding="utf-8")
    at = lens_page(env_data=folder, monkeypatch=monkeypatch)
    md = html(at)
    assert "&lt;script&gt;alert(1)&lt;/script&gt; **bold** $x$" in md
    assert "<script>" not in md


# --- the timeline page: corroboration filter and links ------------------------------------------


def chart_of(at) -> dict:
    return json.loads(at.get("plotly_chart")[0].proto.spec)


def test_timeline_page_filters_by_outlets_and_draws_links():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    at.checkbox(key="w_outlets").check().run()
    assert at.query_params["outlets"] == "2"
    assert f"<strong>3 of {N_EVENTS} events</strong>" in html(at)
    assert list(at.dataframe[0].value["Corroboration"]) == ["2 outlets", "2 outlets", "3 outlets"]
    at.checkbox(key="w_outlets").uncheck().run()
    assert not [t for t in chart_of(at)["data"] if (t.get("meta") or {}).get("role") == "link"]
    at.checkbox(key="w_links").check().run()
    links = [t for t in chart_of(at)["data"] if (t.get("meta") or {}).get("role") == "link"]
    assert len(links) == 1 and len(links[0]["x"]) == 3 * 5


def test_each_article_of_the_sources_tab_says_how_to_cite_it():
    import html as html_lib

    md = html(lens_page())
    assert md.count('<p class="reference"><strong>Cite as</strong>') == 5
    md = html_lib.unescape(md)  # the page writes ":" as &#58; (Streamlit would read ":name:" as an icon)
    assert ("NTDTV. 2024. “Fentanyl Exports to the US: Insights on Stance of Xi Jinping and the CCP”. NTDTV, May 8. "
            "https://www.ntdtv.com/gb/2024/05/08/a103878495.html.") in md
    assert "TheBlaze, July. Publication date inferred: July 2023." in md
