"""Presentation mode: the steps, the page run headless, and the deck and handout read back."""
from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest
from pptx import Presentation
from pptx.enum.dml import MSO_LINE_DASH_STYLE
from pptx.util import Pt
from pypdf import PdfReader
from streamlit.testing.v1 import AppTest

from shipped import N_CLAIMS, N_EVENTS
from timeline.present import steps as present
from timeline.filters import ViewState, filter_events
from timeline.data.load import ROOT, load_chronology
from timeline.present.deck import deck_pptx
from timeline.present.handout import handout_pdf
from timeline.present.steps import in_context, kind_banner, quoted, steps, strip
from timeline.present.html import density, slide_html
from timeline.present.deck import STRIP_TOP

APP = str(ROOT / "app.py")
ALL = ViewState()
CLAIMS = ViewState(kinds=("claim",))
STEPS = N_EVENTS + 2  # the title, one step per event, the sources
HOSTILE = '<img src=x onerror=alert(1)> **bold** [link](javascript:alert(1))'


@pytest.fixture(scope="module")
def chron():
    return load_chronology(ROOT)


@pytest.fixture(scope="module")
def deck(chron):
    return Presentation(io.BytesIO(deck_pptx(chron, ALL)))


@pytest.fixture(scope="module")
def handout(chron):
    return PdfReader(io.BytesIO(handout_pdf(chron, ALL)))


def squash(text: str) -> str:
    return " ".join(text.split())


def slide_text(slide) -> str:
    return "\n".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)


# --- steps ---------------------------------------------------------------------------------
def test_steps_are_title_events_in_date_order_then_sources(chron):
    all_steps = steps(chron, ALL)
    assert len(all_steps) == len(chron.events) + 2 == STEPS
    assert [s.number for s in all_steps] == list(range(1, STEPS + 1))
    assert {s.total for s in all_steps} == {STEPS}
    assert [s.role for s in (all_steps[0], all_steps[-1])] == ["title", "sources"]
    assert [s.event.id for s in all_steps[1:-1]] == list(chron.frame["id"])  # the dashboard's date order
    days = [s.event.first_day for s in all_steps[1:-1]]
    assert days == sorted(days)
    title = all_steps[0]
    assert title.counts == f"{N_EVENTS} events, among them {N_CLAIMS} claims, 3 statistics and 2 context entries"
    assert title.period == "1839 – December 2024" and title.view == "All events, no filters"
    assert [s.id for s in all_steps[-1].sources] == ["blaze", "epoch", "dailycaller", "ntdtv", "cgtn"]  # by publication
    assert all_steps[3].counter == f"Step 4 of {STEPS}"


@pytest.mark.parametrize("state", [
    CLAIMS,
    ViewState(sources=("ntdtv",)),
    ViewState(search="Wang Xiaohong"),
    ViewState(date_from=None, categories=("diplomacy",), kinds=("event",)),
    ViewState.model_validate({"date_from": "2024"}),
], ids=["claims", "ntdtv", "search", "diplomacy-events", "from-2024"])
def test_steps_respect_the_dashboards_filters(chron, state):
    all_steps = steps(chron, state)
    expected = list(filter_events(chron.frame, state)["id"])
    assert [s.event.id for s in all_steps[1:-1]] == expected
    assert len(all_steps) == len(expected) + 2
    cited = {src.id for eid in expected for src in chron.sources_for(eid)}
    assert {s.id for s in all_steps[-1].sources} == cited == {s.id for s in all_steps[0].sources}
    assert all_steps[0].view == state.describe(chron)


def test_a_view_with_no_events_still_has_its_two_framing_steps(chron):
    state = ViewState(search="no-such-word-anywhere")
    all_steps = steps(chron, state)
    assert [s.role for s in all_steps] == ["title", "sources"]
    assert all_steps[0].counts == "No events match this view" and all_steps[1].sources == ()
    assert len(Presentation(io.BytesIO(deck_pptx(chron, state))).slides) == 2
    assert len(PdfReader(io.BytesIO(handout_pdf(chron, state))).pages) >= 1


def test_provenance_words(chron):
    by_id = {s.event.id: s for s in steps(chron, ALL) if s.event}
    speech = by_id["xi-secret-speech"]
    assert speech.event.date_label == "c. November 2022"
    assert kind_banner(speech.event) == f"CLAIM — made by {speech.event.claimed_by}"
    assert kind_banner(by_id["apec-biden-xi"].event) == "EVENT"
    assert present.date_certainty(speech.event) == "approximate date"
    # the key quote comes from the earliest-published article that reports the event
    launch = by_id["working-group-launch"]
    assert launch.key_passage.source.id == "epoch"
    assert len(launch.passages) == len(chron.passages_for("working-group-launch"))
    before, words, after = launch.key_passage.context("paragraph")
    assert in_context(launch.key_passage) == " ".join(f"{before.strip()} [[{words}]] {after.strip()}".split())


@pytest.mark.parametrize("text, shown", [
    ("plain words", "“plain words”"),
    ("“a whole quotation.”", "“a whole quotation.”"),
    ('"straight quotation."', '"straight quotation."'),
    ("“one” and “two”", "““one” and “two””"),
])
def test_quotes_are_wrapped_once(text, shown):
    assert quoted(text) == shown


def test_strip_places_every_event_in_order_with_the_gap_cut_out(chron):
    full = strip(steps(chron, ALL))
    assert [m.step for m in full.marks] == list(range(2, STEPS))
    xs = [m.x for m in full.marks]
    assert xs == sorted(xs) and 0 <= xs[0] and xs[-1] <= 1
    assert len(full.breaks) == 1 and full.ticks[0][1] == "1839"  # the Opium Wars get their own narrow panel
    assert all(m.x_end >= m.x for m in full.marks)
    claims = strip(steps(chron, CLAIMS))
    assert claims.breaks == () and len(claims.marks) == N_CLAIMS


def test_every_shipped_event_fits_a_projector_slide(chron):
    assert {density(s) for s in steps(chron, ALL)[1:-1]} <= {"", "dense"}


# --- HTML: escaped, links only http(s) ---------------------------------------------------------
@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """The shipped data with markup in a title, a summary and a claimant."""
    folder = tmp_path_factory.mktemp("hostile")
    for name in ("events.csv", "citations.csv", "vocabulary.csv", "seeds"):
        src = ROOT / name
        (shutil.copytree if src.is_dir() else shutil.copy2)(src, folder / name)
    path = folder / "events.csv"
    rows = list(csv.DictReader(path.open(encoding="utf-8", newline="")))
    for row in rows:
        if row["id"] == "xi-secret-speech":
            row["title"], row["summary"], row["claimed_by"] = HOSTILE, HOSTILE, HOSTILE
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return load_chronology(folder)


def test_slide_html_escapes_every_data_string(hostile):
    all_steps = steps(hostile, ALL)
    step = next(s for s in all_steps if s.event and s.event.id == "xi-secret-speech")
    for theme in ("light", "dark"):
        out = slide_html(step, strip(all_steps), theme, {"q": '"><script>'})
        assert "<img" not in out and "<script" not in out
        assert "&lt;img src=x onerror=alert(1)&gt;" in out
        assert 'href="javascript' not in out
    closing = slide_html(all_steps[-1], strip(all_steps))
    assert 'href="https://www.ntdtv.com/' in closing  # the one http(s) address in the sources becomes a link
    assert closing.count("<a ") == 1


def test_hostile_text_reaches_the_files_as_text(hostile):
    prs = Presentation(io.BytesIO(deck_pptx(hostile, CLAIMS)))
    assert any(HOSTILE in slide_text(s) for s in prs.slides)
    pdf = squash(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(handout_pdf(hostile, CLAIMS))).pages))
    assert squash(HOSTILE) in pdf


# --- the page, run headless ----------------------------------------------------------------------
def present_page(params: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page("views/page_present.py")
    for k, v in (params or {}).items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, at.exception
    return at


def html_of(at) -> str:
    return "\n".join(h.proto.body for h in at.get("html"))


def counter(at) -> str:
    return next(h.proto.body for h in at.get("html") if "deck-counter" in h.proto.body)


def test_page_opens_at_the_step_in_the_url_with_the_filters(chron):
    at = present_page({"step": "4", "kind": "claim"})
    claims = list(filter_events(chron.frame, CLAIMS)["id"])
    assert f"Step 4 of {N_CLAIMS + 2}" in counter(at)
    assert f'data-step="4"' in html_of(at)
    assert chron.by_id[claims[2]].title.replace("'", "&#x27;") in html_of(at)
    assert at.query_params["kind"] == "claim" and at.query_params["step"] == "4"


def test_previous_and_next_step_through_and_write_the_url(chron):
    at = present_page({"kind": "claim", "step": "1"})
    assert f"Step 1 of {N_CLAIMS + 2}" in counter(at)
    assert at.button(key="present_prev").disabled
    assert "US–China counternarcotics diplomacy over fentanyl" in html_of(at)
    at.button(key="present_next").click().run()
    at.button(key="present_next").click().run()
    assert f"Step 3 of {N_CLAIMS + 2}" in counter(at) and at.query_params["step"] == "3"
    at.button(key="present_prev").click().run()
    assert f"Step 2 of {N_CLAIMS + 2}" in counter(at) and at.query_params["step"] == "2"
    first_claim = chron.by_id[filter_events(chron.frame, CLAIMS)["id"].iloc[0]]
    assert "CLAIM</b> — made by" in html_of(at) and first_claim.date_label in html_of(at)
    assert at.query_params["kind"] == "claim"


def test_last_step_lists_the_articles_and_next_is_disabled(chron):
    at = present_page({"step": str(STEPS)})
    assert f"Step {STEPS} of {STEPS}" in counter(at) and at.button(key="present_next").disabled
    body = html_of(at)
    assert "Articles cited" in body
    for source in chron.sources.values():
        assert source.published_label in body


def test_event_in_the_url_opens_at_its_step_and_dark_theme_is_kept(chron):
    at = present_page({"event": "xi-secret-speech", "theme": "dark"})
    number = next(s.number for s in steps(chron, ALL) if s.event and s.event.id == "xi-secret-speech")
    assert f"Step {number} of {STEPS}" in counter(at)
    assert at.toggle(key="present_dark").value is True
    assert "#0b0d11" in html_of(at)  # the dark background
    assert at.query_params["theme"] == "dark" and at.query_params["step"] == str(number)
    assert "event" not in at.query_params  # the step now says where we are
    at.toggle(key="present_dark").set_value(False).run()
    assert "theme" not in at.query_params and "#0b0d11" not in html_of(at)


@pytest.mark.parametrize("params, notice, shown", [
    ({"step": "99"}, f"There is no step 99: this presentation has {STEPS} steps; showing step {STEPS}.", f"Step {STEPS} of {STEPS}"),
    ({"step": "four"}, "Ignored step &quot;four&quot;", f"Step 1 of {STEPS}"),
    ({"theme": "neon"}, "Ignored theme &quot;neon&quot;", f"Step 1 of {STEPS}"),
    ({"kind": "rumour", "step": "2"}, "Ignored kind &quot;rumour&quot;", f"Step 2 of {STEPS}"),
])
def test_url_values_that_make_no_sense_are_ignored_with_a_notice(params, notice, shown):
    at = present_page(params)
    assert notice in html_of(at)
    assert shown in counter(at)


def test_downloads_are_offered(chron):
    at = present_page({"step": "2"})
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["Slides (PowerPoint, .pptx)", "Handout (PDF)"]


# --- the deck ----------------------------------------------------------------------------------
def test_deck_has_one_slide_per_step_with_titles_and_notes(chron, deck):
    all_steps = steps(chron, ALL)
    assert len(deck.slides) == len(chron.events) + 2
    assert deck.slide_width == Pt(960) and deck.slide_height == Pt(540)  # 16:9
    for slide, step in zip(deck.slides, all_steps):
        assert slide.shapes.title.text_frame.text == step.title
        assert step.counter in slide_text(slide)
        assert slide.has_notes_slide and slide.notes_slide.notes_text_frame.text.strip()
    assert f"{N_EVENTS} events, among them {N_CLAIMS} claims" in slide_text(deck.slides[0])
    last = slide_text(deck.slides[-1])
    for source in chron.sources.values():
        assert source.outlet in last and source.headline in last and source.published_label in last


def test_deck_notes_hold_the_full_citations_and_the_passages_in_context(chron, deck):
    for slide, step in zip(list(deck.slides)[1:-1], steps(chron, ALL)[1:-1]):
        notes = slide.notes_slide.notes_text_frame.text
        assert step.event.date_note in notes and kind_banner(step.event) in notes
        for p in step.passages:
            assert present.citation(p.source) in notes
            assert in_context(p) in notes


def test_deck_marks_claims_and_approximate_dates(chron, deck):
    for slide, step in zip(list(deck.slides)[1:-1], steps(chron, ALL)[1:-1]):
        tags = [s for s in slide.shapes if s.has_text_frame and s.text_frame.text.startswith(
            ("CLAIM", "EVENT", "STATISTIC", "CONTEXT"))]
        assert len(tags) == 1
        if step.event.kind.value == "claim":
            assert tags[0].text_frame.text == f"CLAIM — made by {step.event.claimed_by}"
            assert tags[0].line.dash_style == MSO_LINE_DASH_STYLE.DASH
        else:
            assert "CLAIM" not in slide_text(slide) and tags[0].line.dash_style != MSO_LINE_DASH_STYLE.DASH
        assert step.event.date_label in slide_text(slide)
        assert present.date_certainty(step.event) in slide_text(slide)


def test_deck_text_is_projector_sized_and_never_overlaps(chron, deck):
    for slide in list(deck.slides)[1:-1]:
        flow = sorted((s for s in slide.shapes if s.has_text_frame and s.text_frame.text and s.top < Pt(STRIP_TOP)),
                      key=lambda s: s.top)
        sizes = [r.font.size.pt for s in flow for p in s.text_frame.paragraphs for r in p.runs]
        assert min(sizes) >= 18 and slide.shapes.title.text_frame.paragraphs[0].runs[0].font.size.pt >= 28
        for upper, lower in zip(flow, flow[1:]):
            assert upper.top + upper.height <= lower.top, (upper.text_frame.text, lower.text_frame.text)
        assert flow[-1].top + flow[-1].height <= Pt(STRIP_TOP)


def test_dark_deck(chron):
    prs = Presentation(io.BytesIO(deck_pptx(chron, CLAIMS, "dark")))
    assert len(prs.slides) == N_CLAIMS + 2
    assert str(prs.slides[3].background.fill.fore_color.rgb) == "0B0D11"


# --- the handout ----------------------------------------------------------------------------------
def test_handout_has_every_title_and_quote_with_numbered_footnotes(chron, handout):
    assert 3 <= len(handout.pages) <= 12
    text = squash(" ".join(p.extract_text() for p in handout.pages))
    for e in chron.events:
        assert squash(e.title) in text and squash(e.date_label) in text
    for p in chron.passages:
        assert squash(p.text) in text
    n = len(chron.passages)
    assert f"[{n}]" in text and f"[{n + 1}]" not in text  # one numbered note per passage
    assert squash(f"[1] {present.citation(steps(chron, ALL)[1].passages[0].source)}.") in text


def test_handout_carries_the_provenance(chron, handout):
    text = squash(" ".join(p.extract_text() for p in handout.pages))
    assert "Claim made by Yuan Hongbing, citing unnamed CCP insiders (reported by NTDTV)" in text
    assert "c. November 2022 approximate date" in text
    assert "date inferred" in text and "date as stated in the source" in text
    assert "Articles cited" in text and "How to read it" in text
    for s in chron.sources.values():
        assert squash(s.outlet_description) in text
    assert "“" in text and "–" in text and "—" in text  # the Unicode font, not a Latin-1 core font
    assert handout.metadata.title == "US–China counternarcotics diplomacy over fentanyl — classroom handout"
    fonts = [f.get_object() for page in handout.pages for f in page["/Resources"]["/Font"].values()]
    assert fonts and all("/FontFile2" in f["/DescendantFonts"][0].get_object()["/FontDescriptor"] for f in fonts)


def test_handout_lists_the_articles_in_chicago_author_date(chron, handout):
    last = squash(handout.pages[-1].extract_text())
    assert "References in Chicago author-date style." in last
    assert squash("4. NTDTV. 2024. “Fentanyl Exports to the US: Insights on Stance of Xi Jinping and the CCP”. "
                  "NTDTV, May 8.") in last
    assert squash("TheBlaze, July. Publication date inferred: July 2023.") in last


def test_handout_of_a_filtered_view_is_short(chron):
    pdf = PdfReader(io.BytesIO(handout_pdf(chron, CLAIMS)))
    assert 1 <= len(pdf.pages) <= 5
    text = squash(" ".join(p.extract_text() for p in pdf.pages))
    assert f"{N_CLAIMS} events, all of them claims" in text and "Events of kind claim" in text
    assert "Speaker Pelosi visits Taiwan" not in text  # an event, not a claim


def test_handout_without_a_unicode_font_says_what_to_install(chron, monkeypatch, tmp_path: Path):
    monkeypatch.setattr(present, "FONT_DIRS", (tmp_path,))
    present.font_file.cache_clear()
    try:
        with pytest.raises(present.FontMissing, match="apt-get install fonts-liberation"):
            handout_pdf(chron, CLAIMS)
    finally:
        present.font_file.cache_clear()


def test_bounded_dates_on_slides_deck_and_handout(tmp_path):
    from shipped import bounded_folder
    chron = load_chronology(bounded_folder(tmp_path / "bounded"))
    all_steps = steps(chron, ALL)
    line = strip(all_steps)
    by_id = {s.event.id: s for s in all_steps if s.event}
    page = slide_html(by_id["no-seizures"], line)
    assert "after September 2019" in page and "exact date not known" in page
    deck = Presentation(io.BytesIO(deck_pptx(chron, ALL)))
    words = " ".join(sh.text_frame.text for slide in deck.slides for sh in slide.shapes if sh.has_text_frame)
    assert "by 2019" in words and "between 30 January 2024 and December 2024" in words
    handout = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(handout_pdf(chron, ALL))).pages)
    assert "by 2019" in handout and "exact date not known" in handout
