"""The printable handout (fpdf2): a compact dated chronology with every quote as a numbered footnote.

A4 portrait, a Unicode TrueType font embedded (curly quotes, dashes and ellipses print as
written). Each event gives its date and how certain it is, its kind (a claim in a dashed
frame naming who makes it), title, summary and the articles' exact words, each numbered;
the notes at the foot of the same page say which article, with outlet, headline and
publication date. The last section lists every article cited.
"""
from __future__ import annotations

from dataclasses import replace

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from timeline.data.chronology import Chronology
from timeline.filters import ViewState
from timeline.data.models import Kind
from timeline.data.references import formatted_citations
from timeline.present.steps import (steps, lesson_by_id, lesson_steps, CLAIM_COLOUR, KIND_COLOURS, READING_KEY, FontMissing, Step, attribution, citation,
                      date_certainty, font_file, kind_banner, outlets_line, quoted)
from timeline.render import safe_url

PAGE_W, PAGE_H, MARGIN = 210.0, 297.0, 16.0
DATE_W, GUTTER = 31.0, 4.0
BODY_X = MARGIN + DATE_W + GUTTER
BODY_W = PAGE_W - MARGIN - BODY_X
NUM_W = 7.0
BOTTOM = PAGE_H - 14.0          # the page footer sits below this
INK, MUTED, RULE = (17, 20, 24), (70, 78, 88), (190, 197, 205)
FAMILY = "handout"


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    h = hex_colour.lstrip("#")
    return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)


class Handout(FPDF):
    def __init__(self, story_title: str = "") -> None:
        self.story_title = story_title
        super().__init__(orientation="P", unit="mm", format="A4")
        try:
            for style in ("", "B", "I", "BI"):
                self.add_font(FAMILY, style, str(font_file(style)))
        except (OSError, RuntimeError) as err:
            raise FontMissing() from err
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.c_margin = 0  # text starts exactly at the x it is given
        self.set_auto_page_break(False)
        self.notes: list[tuple[int, str]] = []   # footnotes waiting for the foot of this page

    def footer(self) -> None:
        self.set_xy(MARGIN, PAGE_H - 10)
        self.style(7, colour=MUTED)
        self.cell(PAGE_W - 2 * MARGIN, 4, f"{self.story_title} · classroom handout · page {self.page_no()} of {{nb}}", align="C")

    def style(self, size: float, bold: bool = False, italic: bool = False, colour=INK) -> None:
        self.set_font(FAMILY, ("B" if bold else "") + ("I" if italic else ""), size)
        self.set_text_color(*colour)

    def para(self, x: float, w: float, text: str, size: float, *, bold: bool = False, italic: bool = False,
             colour=INK, lh: float = 1.3, dry: bool = False, after: float = 0.0) -> float:
        """A wrapped paragraph at (x, current y); returns its height (drawn unless dry)."""
        self.style(size, bold, italic, colour)
        h = size * 0.3528 * lh
        if dry:
            return float(self.multi_cell(w, h, text, align="L", dry_run=True, output="HEIGHT")) + after
        self.set_x(x)
        self.multi_cell(w, h, text, align="L", new_x=XPos.LEFT, new_y=YPos.NEXT)
        self.set_y(self.get_y() + after)
        return 0.0

    # --- footnotes -----------------------------------------------------------------------
    def notes_height(self, notes: list[tuple[int, str]]) -> float:
        if not notes:
            return 0.0
        return 4.0 + sum(self.para(MARGIN + NUM_W, PAGE_W - 2 * MARGIN - NUM_W, t, 7, dry=True, lh=1.25) + 0.6
                         for _, t in notes)

    def flush_notes(self) -> None:
        """Print the page's footnotes at its foot, under a short rule."""
        if not self.notes:
            return
        y = BOTTOM - self.notes_height(self.notes)
        self.set_draw_color(*RULE)
        self.set_line_width(0.3)
        self.line(MARGIN, y + 1.2, MARGIN + 40, y + 1.2)
        self.set_y(y + 3)
        for n, text in self.notes:
            top = self.get_y()
            self.style(7, bold=True, colour=MUTED)
            self.set_xy(MARGIN, top)
            self.cell(NUM_W, 7 * 0.3528 * 1.25, f"[{n}]")
            self.set_xy(MARGIN + NUM_W, top)
            self.para(MARGIN + NUM_W, PAGE_W - 2 * MARGIN - NUM_W, text, 7, colour=MUTED, lh=1.25, after=0.6)
        self.notes = []

    def ensure(self, height: float, notes: list[tuple[int, str]] = ()) -> None:
        """Start a new page unless `height` (and its footnotes) fit above the page's notes."""
        if self.get_y() + height > BOTTOM - self.notes_height(self.notes + list(notes)) - 1:
            self.flush_notes()
            self.add_page()


def _tag(pdf: Handout, step: Step, dry: bool = False) -> float:
    """The kind in a frame, in the date column: a claim's frame is dashed and in the claim colour."""
    e = step.event
    assert e is not None
    word = kind_banner(e).partition(" — ")[0]
    pdf.style(7, bold=True)
    w, h = pdf.get_string_width(word) + 2.4, 3.9
    if dry:
        return h + 1.5
    colour = _rgb(CLAIM_COLOUR if e.kind is Kind.claim else KIND_COLOURS[e.kind.value])
    y = pdf.get_y() + 1.0
    pdf.set_draw_color(*colour)
    pdf.set_line_width(0.4)
    if e.kind is Kind.claim:
        pdf.set_fill_color(251, 233, 221)
        pdf.set_dash_pattern(dash=1.0, gap=0.7)
        pdf.rect(MARGIN, y, w, h, style="DF")
        pdf.set_dash_pattern()
    else:
        pdf.rect(MARGIN, y, w, h)
    pdf.set_xy(MARGIN, y + 0.2)
    pdf.style(7, bold=True, colour=colour)
    pdf.cell(w, h - 0.4, word, align="C")
    pdf.set_y(y + h + 0.5)
    return 0.0


def _entry(pdf: Handout, step: Step, first_note: int, dry: bool = False) -> float:
    """One event: date column (date, certainty, kind), then title, who claims, summary and numbered quotes.
    Returns its height when dry."""
    e = step.event
    assert e is not None
    quotes = [(first_note + i, f"{quoted(p.text)} — {p.source.outlet}") for i, p in enumerate(step.passages)]
    who = attribution(e)
    claim = e.kind is Kind.claim
    if dry:
        left = (pdf.para(MARGIN, DATE_W, e.date_label, 9, bold=True, dry=True)
                + pdf.para(MARGIN, DATE_W, date_certainty(e), 7.5, italic=True, dry=True) + _tag(pdf, step, dry=True))
        right = (pdf.para(BODY_X, BODY_W, e.title, 10.5, bold=True, lh=1.2, dry=True, after=0.6)
                 + (pdf.para(BODY_X, BODY_W, who, 8.5, bold=True, dry=True, after=0.6) if who else 0)
                 + pdf.para(BODY_X, BODY_W, e.summary, 8.5, lh=1.25, dry=True, after=1.0)
                 + sum(pdf.para(BODY_X + NUM_W, BODY_W - NUM_W, q, 8.5, italic=True, lh=1.25, dry=True, after=0.8)
                       for _, q in quotes))
        return max(left, right) + 4.0
    top = pdf.get_y()
    pdf.para(MARGIN, DATE_W, e.date_label, 9, bold=True)
    pdf.para(MARGIN, DATE_W, date_certainty(e), 7.5, italic=True, colour=MUTED)
    _tag(pdf, step)
    bottom_left = pdf.get_y()
    pdf.set_y(top)
    pdf.para(BODY_X, BODY_W, e.title, 10.5, bold=True, lh=1.2, after=0.6)
    if who:
        pdf.para(BODY_X, BODY_W, who, 8.5, bold=True, colour=_rgb("#A8470A") if claim else MUTED, after=0.6)
    pdf.para(BODY_X, BODY_W, e.summary, 8.5, lh=1.25, after=1.0)
    for n, q in quotes:
        y = pdf.get_y()
        pdf.style(8, bold=True, colour=_rgb(CLAIM_COLOUR) if claim else MUTED)
        pdf.set_xy(BODY_X, y)
        pdf.cell(NUM_W, 8.5 * 0.3528 * 1.25, f"[{n}]")
        pdf.set_xy(BODY_X + NUM_W, y)
        pdf.para(BODY_X + NUM_W, BODY_W - NUM_W, q, 8.5, italic=True, lh=1.25, after=0.8)
    end = max(pdf.get_y(), bottom_left) + 1.2
    pdf.set_draw_color(*RULE)
    pdf.set_line_width(0.2)
    pdf.line(MARGIN, end, PAGE_W - MARGIN, end)
    pdf.set_y(end + 2.8)
    return 0.0


def _words(pdf: Handout, step: Step) -> None:
    """A lesson's question or teacher's text, in the body column: a question in bold after "Discuss:"."""
    label = "Discuss" if step.role == "question" else "Note"
    h = max(pdf.para(MARGIN, DATE_W, label, 9, bold=True, dry=True),
            pdf.para(BODY_X, BODY_W, step.text, 9.5, bold=step.role == "question", lh=1.3, dry=True)) + 5
    pdf.ensure(h)
    top = pdf.get_y()
    pdf.para(MARGIN, DATE_W, label, 9, bold=True, colour=MUTED)
    pdf.set_y(top)
    pdf.para(BODY_X, BODY_W, step.text, 9.5, bold=step.role == "question", lh=1.3)
    end = max(pdf.get_y(), top + 5) + 1.2
    pdf.set_draw_color(*RULE)
    pdf.set_line_width(0.2)
    pdf.line(MARGIN, end, PAGE_W - MARGIN, end)
    pdf.set_y(end + 2.8)


def _front(pdf: Handout, head: Step) -> None:
    pdf.set_y(MARGIN)
    pdf.para(MARGIN, PAGE_W - 2 * MARGIN, pdf.story_title, 17, bold=True, lh=1.2, after=0.5)
    if head.lesson:
        pdf.para(MARGIN, PAGE_W - 2 * MARGIN, head.title, 13, bold=True, lh=1.2, after=0.5)
    pdf.para(MARGIN, PAGE_W - 2 * MARGIN, "A classroom lesson — handout" if head.lesson else
             "A sourced chronology — classroom handout", 10, colour=MUTED, after=2)
    facts = " · ".join(x for x in (head.counts, head.period, head.view) if x)
    pdf.para(MARGIN, PAGE_W - 2 * MARGIN, facts, 9, after=0.6)
    if head.sources:
        pdf.para(MARGIN, PAGE_W - 2 * MARGIN, f"Quoted from {len(head.sources)} articles: {outlets_line(head.sources)}",
                 9, after=2.5)
    key = (f"How to read it: {READING_KEY} Numbers in brackets are the articles’ exact words; the notes at the foot "
           "of each page name the article (outlet, headline, publication date). All articles are listed at the end.")
    h = pdf.para(MARGIN + 3, PAGE_W - 2 * MARGIN - 6, key, 8, dry=True) + 4
    y = pdf.get_y()
    pdf.set_fill_color(242, 244, 247)
    pdf.rect(MARGIN, y, PAGE_W - 2 * MARGIN, h, style="F")
    pdf.set_y(y + 2)
    pdf.para(MARGIN + 3, PAGE_W - 2 * MARGIN - 6, key, 8)
    pdf.set_y(y + h + 5)


def _sources(pdf: Handout, last: Step) -> None:
    pdf.add_page()  # a reference page of its own, as the deck's last slide
    pdf.para(MARGIN, PAGE_W - 2 * MARGIN, "Articles cited", 13, bold=True, after=2)
    pdf.para(MARGIN, PAGE_W - 2 * MARGIN, "References in Chicago author-date style.", 8, colour=MUTED, after=2)
    w = PAGE_W - 2 * MARGIN
    references = formatted_citations(last.sources, with_url=False)  # the address follows on a line of its own
    for i, s in enumerate(last.sources, 1):
        lines = [(f"{i}. {references[s.id]}", 9, True), (f"Outlet: {s.outlet_description}", 8, False),
                 (f"Date: {s.published_note or 'stated in the article'}", 8, False)]
        if s.notes:
            lines.append((f"Notes: {s.notes}", 8, False))
        pdf.ensure(sum(pdf.para(MARGIN, w, t, size, bold=b, dry=True, after=0.6) for t, size, b in lines) + 6)
        for t, size, b in lines:
            pdf.para(MARGIN + (0 if b else 4), w - (0 if b else 4), t, size, bold=b, colour=INK if b else MUTED, after=0.6)
        url = safe_url(s.url)
        if url:
            pdf.style(8, colour=_rgb(KIND_COLOURS["event"]))
            pdf.set_x(MARGIN + 4)
            pdf.multi_cell(w - 4, 8 * 0.3528 * 1.3, url, align="L", link=url, new_x=XPos.LEFT, new_y=YPos.NEXT)
        pdf.set_y(pdf.get_y() + 2.5)


def build_handout(chron: Chronology, state: ViewState, all_steps: list[Step]) -> bytes:
    pdf = Handout(chron.story.title)
    head = all_steps[0]
    pdf.set_title(f"{chron.story.title} — classroom handout")
    pdf.set_subject(f"{head.counts}. {head.view}")
    pdf.set_keywords("; ".join(chron.story.keywords))
    pdf.set_creator(f"{chron.story.slug} (python -m timeline)")
    pdf.set_lang(chron.story.language)
    pdf.add_page()
    _front(pdf, head)
    number = 1
    for step in all_steps:
        if step.role in ("question", "text"):
            _words(pdf, step)
            continue
        if step.role == "compare":  # its outlets' passages, in the order the lesson names them
            step = replace(step, passages=step.compared)
        if step.role not in ("event", "compare"):
            continue
        notes = [(number + i, f"{citation(p.source)}.") for i, p in enumerate(step.passages)]
        pdf.ensure(_entry(pdf, step, number, dry=True), notes)
        _entry(pdf, step, number)
        pdf.notes += notes
        number += len(notes)
    if len(all_steps) == 2:
        pdf.para(MARGIN, PAGE_W - 2 * MARGIN, "No events match this view.", 10, after=4)
    pdf.flush_notes()
    _sources(pdf, all_steps[-1])
    return bytes(pdf.output())


def lesson_handout_pdf(chron: Chronology, lesson_id: str) -> bytes:
    """A lesson's handout: its events with the quotes it shows as numbered footnotes, its questions and notes."""
    lesson = lesson_by_id(chron, lesson_id)
    if lesson is None:
        raise KeyError(f'no lesson has the id "{lesson_id}"')
    return build_handout(chron, ViewState(), lesson_steps(chron, lesson))


def handout_pdf(chron: Chronology, state: ViewState) -> bytes:
    """A printable handout: the dated chronology with each quote as a numbered, footnoted citation."""
    return build_handout(chron, state, steps(chron, state))
