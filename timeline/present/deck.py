"""The presentation as a PowerPoint deck (python-pptx): one 16:9 slide per step.

Text is laid out top to bottom with measured line breaks (Liberation Sans has Arial's
metrics, and the deck asks for Arial), so blocks never overlap; a slide whose text is long
steps down to smaller type, never under 18 pt (24 px on a 1280-px projector). Each slide's
speaker notes hold the full citations and every passage in its paragraph.
"""
from __future__ import annotations

import io
from copy import deepcopy
from functools import cache

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.dml import MSO_LINE_DASH_STYLE
from pptx.enum.shapes import MSO_CONNECTOR, MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.util import Pt

from timeline.data.chronology import Chronology
from timeline.filters import ViewState
from timeline.data.models import Kind
from timeline.present.steps import (steps, lesson_by_id, lesson_steps, CLAIM_COLOUR, KIND_COLOURS, MARK_CLOSE, MARK_OPEN, READING_KEY, Step, Strip, attribution,
                      citation, corroboration, date_certainty, font_file, in_context, kind_banner, outlets_line, quoted,
                      strip)

W, H, MARGIN = 960.0, 540.0, 44.0           # points: a 13.33 × 7.5 in slide
TEXT_W = W - 2 * MARGIN
STRIP_TOP, FOOTER_Y = 446.0, 512.0
FONT = "Arial"
THEMES = {
    "light": {"bg": "FFFFFF", "ink": "111418", "muted": "3B4450", "rule": "B8C0C9", "dim": "C3CAD2", "claim_bg": "FBE9DD",
              "kinds": {k: v.lstrip("#") for k, v in KIND_COLOURS.items()}},
    "dark": {"bg": "0B0D11", "ink": "F4F6F8", "muted": "C6CDD6", "rule": "4A525E", "dim": "5A636F", "claim_bg": "3A2414",
             "kinds": {**{k: v.lstrip("#") for k, v in KIND_COLOURS.items()}, "event": "56B4E9"}},
}
SHAPES = {"event": MSO_SHAPE.OVAL, "claim": MSO_SHAPE.DIAMOND, "statistic": MSO_SHAPE.RECTANGLE,
          "context": MSO_SHAPE.ISOSCELES_TRIANGLE}
# (title, body, date) in points, largest first: a slide takes the first that fits
SIZES = ((44, 26, 28), (40, 24, 28), (36, 22, 26), (32, 20, 24), (28, 18, 22))


@cache
def _font(bold: bool, italic: bool = False):
    from PIL import ImageFont

    return ImageFont.truetype(str(font_file(("B" if bold else "") + ("I" if italic else ""))), 100)


def text_width(text: str, size: float, bold: bool = False) -> float:
    return _font(bold).getlength(text) * size / 100


def wrap(text: str, size: float, width: float, bold: bool = False) -> list[str]:
    """Greedy line breaks as PowerPoint makes them (with 3 % to spare)."""
    lines: list[str] = []
    for para in text.split("\n"):
        line = ""
        for word in para.split():
            trial = f"{line} {word}" if line else word
            if line and text_width(trial, size, bold) > width * 0.97:
                lines.append(line)
                line = word
            else:
                line = trial
        lines.append(line)
    return lines


def _rgb(hex_colour: str) -> RGBColor:
    return RGBColor.from_string(hex_colour.lstrip("#"))


class _Slide:
    """One slide being laid out top to bottom; `y` is where the next block goes (points)."""

    def __init__(self, prs, theme: dict, step: Step, story_title: str = ""):
        self.story_title = story_title
        self.slide = prs.slides.add_slide(prs.slide_layouts[5])  # "Title Only": the title is a real title
        self.c, self.step, self.y = theme, step, 30.0
        fill = self.slide.background.fill
        fill.solid()
        fill.fore_color.rgb = _rgb(theme["bg"])

    def fill(self, tf, runs: list[tuple[str, dict]], size: float, line: float, colour: str | None = None) -> None:
        """Put runs (text, {bold, italic, colour}) into a text frame as one left-aligned paragraph."""
        tf.clear()
        tf.word_wrap, tf.auto_size, tf.vertical_anchor = True, MSO_AUTO_SIZE.NONE, MSO_ANCHOR.TOP
        p = tf.paragraphs[0]
        p.alignment, p.line_spacing = PP_ALIGN.LEFT, Pt(size * line)
        for t, f in runs:
            r = p.add_run()
            r.text = t
            r.font.name, r.font.size = FONT, Pt(size)
            r.font.bold, r.font.italic = bool(f.get("bold")), bool(f.get("italic"))
            r.font.color.rgb = _rgb(f.get("colour") or colour or self.c["ink"])

    def fit(self, draw, options, limit: float) -> None:
        """Draw with the first option (sizes, largest first) whose blocks end above `limit`."""
        tree, top = self.slide.shapes._spTree, self.y  # noqa: SLF001
        first = len(tree)
        for option in options:
            self.y = top
            draw(option)
            if self.y <= limit or option == options[-1]:
                return
            for element in list(tree)[first:]:
                tree.remove(element)

    def text(self, runs: list[tuple[str, dict]], size: float, *, x: float = MARGIN, width: float = TEXT_W,
             gap: float = 8, line: float = 1.2, shape=None, colour: str | None = None) -> float:
        """A block of runs at self.y, as tall as its measured lines; returns its height."""
        plain = "".join(t for t, _ in runs)
        height = len(wrap(plain, size, width, all(f.get("bold") for _, f in runs))) * size * line
        box = shape or self.slide.shapes.add_textbox(Pt(x), Pt(self.y), Pt(width), Pt(height))
        box.left, box.top, box.width, box.height = Pt(x), Pt(self.y), Pt(width), Pt(height)
        tf = box.text_frame
        tf.margin_left = tf.margin_right = tf.margin_top = tf.margin_bottom = 0
        self.fill(tf, runs, size, line, colour)
        self.y += height + gap
        return height

    def title(self, text: str, size: float, gap: float = 10) -> None:
        self.text([(text, {"bold": True})], size, shape=self.slide.shapes.title, gap=gap, line=1.1)

    def tag(self, event_kind: str, banner: str, size: float = 18) -> None:
        """The kind as a framed label; a claim's frame is dashed, in the claim colour, and names who claims."""
        word, _, rest = banner.partition(" — ")
        colour = self.c["kinds"][event_kind]
        runs = [(word, {"bold": True, "colour": CLAIM_COLOUR if event_kind == "claim" else colour})]
        if rest:
            runs.append((f" — {rest}", {"bold": True}))
        plain = "".join(t for t, _ in runs)
        pad_x, pad_y = 8.0, 4.0
        inner = min(TEXT_W - 2 * pad_x, text_width(plain, size, True) / 0.96 + 2)
        height = len(wrap(plain, size, inner, True)) * size * 1.2 + 2 * pad_y
        frame = self.slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, Pt(MARGIN), Pt(self.y), Pt(inner + 2 * pad_x), Pt(height))
        frame.shadow.inherit = False
        frame.line.width = Pt(2.5)
        frame.line.color.rgb = _rgb(CLAIM_COLOUR if event_kind == "claim" else colour)
        if event_kind == "claim":
            frame.line.dash_style = MSO_LINE_DASH_STYLE.DASH
            frame.fill.solid()
            frame.fill.fore_color.rgb = _rgb(self.c["claim_bg"])
        else:
            frame.fill.background()
        tf = frame.text_frame
        tf.margin_left = tf.margin_right = Pt(pad_x)
        tf.margin_top = tf.margin_bottom = Pt(pad_y)
        self.fill(tf, runs, size, 1.2)
        self.y += height + 10

    def rule(self, x: float, y0: float, y1: float, colour: str, width: float = 5, dashed: bool = False) -> None:
        line = self.slide.shapes.add_connector(MSO_CONNECTOR.STRAIGHT, Pt(x), Pt(y0), Pt(x), Pt(y1))
        line.shadow.inherit = False
        line.line.color.rgb, line.line.width = _rgb(colour), Pt(width)
        if dashed:
            line.line.dash_style = MSO_LINE_DASH_STYLE.DASH

    def footer(self) -> None:
        self.y = FOOTER_Y
        self.text([(f"{self.step.counter}  ·  {self.story_title}", {})], 11, colour=self.c["muted"], width=TEXT_W)

    def notes(self, text: str) -> None:
        self.slide.notes_slide.notes_text_frame.text = text


def _strip(s: _Slide, st: Strip, current: str | None, layer: list) -> None:
    """Every event on one axis, the current one big and in its kind's colour (native shapes).

    The axis and the dimmed marks are the same on every slide: drawn once, then copied as XML
    from `layer` (40 slides × 40 marks made through python-pptx take seconds)."""
    if not st.marks:
        return
    c, level_h, axis = s.c, 10.0, STRIP_TOP + 42

    def px(x: float) -> float:
        return MARGIN + 8 + x * (TEXT_W - 16)

    tree = s.slide.shapes._spTree  # noqa: SLF001 (python-pptx's way to the slide's XML)
    if layer:
        for element in layer:
            copy = deepcopy(element)
            copy.xpath("./*[1]/p:cNvPr")[0].set("id", str(s.slide.shapes._next_shape_id))  # noqa: SLF001
            tree.append(copy)
    else:
        first = len(tree)
        _dim_layer(s, st, px, axis, level_h)
        layer.extend(tree[first:])
    chosen = next((m for m in st.marks if m.event_id == current), None)
    if chosen:
        colour = c["kinds"][chosen.kind]
        y = axis - chosen.level * level_h
        if chosen.x_end - chosen.x > 0.004:  # its period, or the month or year its date stands for
            band = s.slide.shapes.add_connector(MSO_CONNECTOR.STRAIGHT, Pt(px(chosen.x)), Pt(axis),
                                                Pt(px(chosen.x_end)), Pt(axis))
            band.shadow.inherit = False
            band.line.color.rgb, band.line.width = _rgb(colour), Pt(5)
            if chosen.approximate:
                band.line.dash_style = MSO_LINE_DASH_STYLE.DASH
        # in its stack, in colour; and big above the stacks, on a guide down to its date
        s.rule(px(chosen.x), STRIP_TOP + 16, axis, c["ink"], 1.25, dashed=True)
        _mark(s, chosen.kind, px(chosen.x), y, 6.5, colour, hollow=chosen.approximate, outline=colour)
        _mark(s, chosen.kind, px(chosen.x), STRIP_TOP + 8, 15, colour, hollow=chosen.approximate,
              outline=colour if chosen.approximate else c["ink"])


def _dim_layer(s: _Slide, st: Strip, px, axis: float, level_h: float) -> None:
    """The axis, its years, the break and every event dimmed."""
    c = s.c
    base = s.slide.shapes.add_connector(MSO_CONNECTOR.STRAIGHT, Pt(MARGIN), Pt(axis), Pt(W - MARGIN), Pt(axis))
    base.shadow.inherit = False
    base.line.color.rgb, base.line.width = _rgb(c["rule"]), Pt(1.5)
    for x, label in st.ticks:
        box = s.slide.shapes.add_textbox(Pt(px(x) - 30), Pt(axis + 4), Pt(60), Pt(16))
        tf = box.text_frame
        tf.margin_left = tf.margin_right = tf.margin_top = tf.margin_bottom = 0
        p = tf.paragraphs[0]
        p.alignment = PP_ALIGN.CENTER
        r = p.add_run()
        r.text, r.font.name, r.font.size = label, FONT, Pt(13)
        r.font.color.rgb = _rgb(c["muted"])
    for bx in st.breaks:
        for dx in (-3, 3):
            mark = s.slide.shapes.add_connector(MSO_CONNECTOR.STRAIGHT, Pt(px(bx) + dx - 3), Pt(axis + 6),
                                                Pt(px(bx) + dx + 3), Pt(axis - 6))
            mark.shadow.inherit = False
            mark.line.color.rgb, mark.line.width = _rgb(c["muted"]), Pt(1.5)
    for m in st.marks:
        _mark(s, m.kind, px(m.x), axis - m.level * level_h, 6.5, c["dim"], hollow=m.approximate, outline=c["dim"])


def _mark(s: _Slide, kind: str, x: float, y: float, size: float, colour: str, *, hollow: bool, outline: str) -> None:
    """A kind's shape centred on (x, y); an approximate date's is hollow."""
    shape = s.slide.shapes.add_shape(SHAPES[kind], Pt(x - size / 2), Pt(y - size / 2), Pt(size), Pt(size))
    shape.shadow.inherit = False
    shape.fill.solid()
    shape.fill.fore_color.rgb = _rgb(s.c["bg"] if hollow else colour)
    shape.line.color.rgb = _rgb(outline)
    shape.line.width = Pt(2.5 if size > 10 else 1.25)


def _event_slide(s: _Slide, step: Step, st: Strip, layer: list) -> None:
    e = step.event
    assert e is not None
    key = step.key_passage

    def draw(sizes: tuple[int, int, int]) -> None:
        title_size, body, date_size = sizes
        s.tag(e.kind.value, kind_banner(e), 20)
        s.text([(e.date_label, {"bold": True}), (f"   {date_certainty(e)}", {"colour": s.c["muted"]})], date_size, gap=4)
        s.title(e.title, title_size)
        s.text([(e.summary, {})], body, gap=12)
        if key:
            top = s.y
            s.text([(quoted(key.text), {})], body, x=MARGIN + 22, width=TEXT_W - 22, gap=4)
            s.text([("— ", {}), (key.source.outlet, {"bold": True}), (f", {key.source.published_label}{corroboration(step)}", {})],
                   body - 2, x=MARGIN + 22, width=TEXT_W - 22, colour=s.c["muted"], gap=4)
            claim = e.kind is Kind.claim
            s.rule(MARGIN + 4, top, s.y - 4, CLAIM_COLOUR if claim else s.c["rule"], 6, dashed=claim)

    s.fit(draw, SIZES, STRIP_TOP - 8)
    _strip(s, st, e.id, layer)
    passages = "\n\n".join(f"[{i}] {citation(p.source)}.\n{in_context(p)}" for i, p in enumerate(step.passages, 1))
    s.notes(f"{step.counter} — {kind_banner(e)}\n"
            f"Date: {e.date_label} ({date_certainty(e)}). {e.date_note}\n"
            + (f"{attribution(e)}\n" if attribution(e) else "")
            + f"Summary: {e.summary}\n\n"
            f"In the sources ({len(step.passages)} passage{'s' if len(step.passages) != 1 else ''}; "
            f"the cited words are between {MARK_OPEN} and {MARK_CLOSE}):\n\n{passages}")


def _compare_slide(s: _Slide, step: Step, st: Strip, layer: list) -> None:
    e = step.event
    assert e is not None
    n = len(step.compared)
    gap = 20.0
    col = (TEXT_W - gap * (n - 1)) / n

    def draw(sizes: tuple[int, int, int]) -> None:
        title_size, body, date_size = sizes
        s.tag(e.kind.value, kind_banner(e), 20)
        s.text([(e.date_label, {"bold": True}), (f"   {date_certainty(e)}", {"colour": s.c["muted"]})], date_size, gap=4)
        s.title(e.title, title_size)
        top, bottom = s.y, s.y
        for i, p in enumerate(step.compared):
            s.y, x = top, MARGIN + i * (col + gap)
            s.text([(p.source.outlet, {"bold": True}), (f", {p.source.published_label}", {"colour": s.c["muted"]})],
                   max(18, body - 2), x=x + 14, width=col - 14, gap=4)
            s.text([(quoted(p.text), {})], body, x=x + 14, width=col - 14, gap=4)
            s.rule(x + 3, top, s.y - 4, CLAIM_COLOUR if e.kind is Kind.claim else s.c["rule"], 5, dashed=e.kind is Kind.claim)
            bottom = max(bottom, s.y)
        s.y = bottom

    s.fit(draw, SIZES, STRIP_TOP - 8)
    _strip(s, st, e.id, layer)
    passages = "\n\n".join(f"[{i}] {citation(p.source)}.\n{in_context(p)}" for i, p in enumerate(step.compared, 1))
    s.notes(f"{step.counter} — compare: {e.title}\n" + (f"{step.notes}\n" if step.notes else "")
            + f"Date: {e.date_label} ({date_certainty(e)}). {e.date_note}\n"
            + (f"{attribution(e)}\n" if attribution(e) else "")
            + f"Each outlet's passage in its paragraph (the cited words between {MARK_OPEN} and {MARK_CLOSE}):\n\n{passages}")


def _words_slide(s: _Slide, step: Step, st: Strip, layer: list) -> None:
    """A question for discussion, or the teacher's own text."""
    question = step.role == "question"

    def draw(k: float) -> None:
        s.text([("QUESTION FOR DISCUSSION" if question else step.title.upper(), {"bold": True})], 20, colour=s.c["muted"], gap=14)
        if question:
            s.title(step.text, 40 * k, gap=16)
        else:
            s.text([(step.text, {})], 30 * k, gap=16, line=1.3)
        if step.event:
            s.text([(f"About: {step.event.date_label} · {step.event.title}", {})], 20, colour=s.c["muted"])

    s.y = 44
    s.fit(draw, (1, 0.9, 0.8, 0.7, 0.62), STRIP_TOP - 8)
    if step.event or st.marks:
        _strip(s, st, step.event.id if step.event else None, layer)
    s.notes(f"{step.counter} — {'question' if question else 'text'}\n{step.text}\n\n{step.notes}".strip())


def _title_slide(s: _Slide, step: Step, st: Strip, layer: list, state: ViewState) -> None:
    def draw(k: float) -> None:
        s.text([("A CLASSROOM LESSON" if step.lesson else "A SOURCED CHRONOLOGY", {"bold": True})], 20 * k, colour=s.c["muted"], gap=6)
        s.title(step.title, 50 * k, gap=16 * k)
        if step.period:
            s.text([(step.period, {"bold": True})], 32 * k, gap=10 * k)
        s.text([(step.counts, {})], 24 * k, gap=8 * k)
        s.text([(step.view, {})], 20 * k, colour=s.c["muted"], gap=8 * k)
        if step.sources:
            s.text([(f"Quoted from {len(step.sources)} article{'s' if len(step.sources) != 1 else ''}: ", {}),
                    (outlets_line(step.sources), {"bold": True})], 22 * k, gap=14 * k)
        s.tag("claim", "CLAIM — made by …", 18)
        s.text([(READING_KEY, {})], 18, colour=s.c["muted"])

    s.y = 36
    s.fit(draw, (1, 0.92, 0.85, 0.78), STRIP_TOP - 8)
    _strip(s, st, None, layer)
    query = "&".join(f"{k}={v}" for k, v in state.model_copy(update={"selected": None}).to_query_params().items())
    s.notes(f"{s.story_title}\n{step.period}\n{step.counts}\nView: {step.view}\n"
            f"To open the same view in the app: the Present page{' with ?' + query if query else ''}.\n\n"
            f"How to read the slides: {READING_KEY} Each slide's notes give every passage in its paragraph, "
            "with outlet, headline and publication date.")


def _sources_slide(s: _Slide, step: Step) -> None:
    def draw(k: float) -> None:
        s.title(step.title, 36, gap=14)
        for i, src in enumerate(step.sources, 1):
            s.text([(f"{i}. {src.outlet}", {"bold": True}), (f" · {src.published_label}", {"colour": s.c["muted"]})],
                   24 * k, gap=3)
            desc = (" (descriptive title)", {"colour": s.c["muted"]}) if src.headline_descriptive else ("", {})
            s.text([(f"“{src.headline}”", {}), desc], 20 * k, x=MARGIN + 28, width=TEXT_W - 28, gap=12 * k)
        s.text([("Every quote was checked against its article’s text. Outlets and how each date is known: in the notes.", {})],
               18 * k, colour=s.c["muted"])

    s.y = 36
    s.fit(draw, (1, 0.92, 0.85, 0.78, 0.72), FOOTER_Y - 6)
    s.notes("\n\n".join(f"{citation(src)}.\nOutlet: {src.outlet_description}\nPublished: {src.published_label}. "
                        f"{src.published_note}" + (f"\nNotes: {src.notes}" if src.notes else "")
                        + (f"\nAddress: {src.url}" if src.url else "") for src in step.sources) or "No articles.")


def build_deck(chron: Chronology, state: ViewState, all_steps: list[Step], theme: str = "light") -> bytes:
    prs = Presentation()
    prs.slide_width, prs.slide_height = Pt(W), Pt(H)
    c = THEMES[theme]
    st, layer = strip(all_steps, min_gap=0.012, max_levels=3), []
    for step in all_steps:
        s = _Slide(prs, c, step, chron.story.title)
        if step.role == "title":
            _title_slide(s, step, st, layer, state)
        elif step.role == "event":
            _event_slide(s, step, st, layer)
            if step.notes:
                s.notes(f"{step.notes}\n\n" + s.slide.notes_slide.notes_text_frame.text)
        elif step.role == "compare":
            _compare_slide(s, step, st, layer)
        elif step.role in ("question", "text"):
            _words_slide(s, step, st, layer)
        else:
            _sources_slide(s, step)
        s.footer()
    props = prs.core_properties
    props.title, props.subject = chron.story.title, f"{all_steps[0].counts}. {all_steps[0].view}"
    props.keywords, props.language = "; ".join(chron.story.keywords), chron.story.language
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()


def lesson_pptx(chron: Chronology, lesson_id: str, theme: str = "light") -> bytes:
    """A lesson as a PowerPoint deck: one slide per step, the teacher's notes and the citations in the speaker notes."""
    return build_deck(chron, ViewState(), lesson_steps(chron, _lesson(chron, lesson_id)), theme)


def _lesson(chron: Chronology, lesson_id: str):
    lesson = lesson_by_id(chron, lesson_id)
    if lesson is None:
        raise KeyError(f'no lesson has the id "{lesson_id}"')
    return lesson


def deck_pptx(chron: Chronology, state: ViewState, theme: str = "light") -> bytes:
    """The presentation as a PowerPoint deck: one slide per step, citations in the speaker notes."""
    return build_deck(chron, state, steps(chron, state), theme)
