"""A lesson's student worksheet (fpdf2, A4): the passages to read, the questions, and ruled space to answer.

It follows the lesson step by step. An event step gives the event's date and title and the passage the slide
shows, with the article it comes from; a compare step every outlet's passage, one after the other; a question
step the question, numbered, and lines to write on; a text step the teacher's words. Claims say who makes them,
as on the slides. The last part lists the articles quoted.
"""
from __future__ import annotations

from timeline.data.chronology import Chronology, Passage
from timeline.present.handout import BOTTOM, INK, MARGIN, MUTED, PAGE_W, RULE, Handout
from timeline.present.steps import Step, attribution, citation, date_certainty, lesson_by_id, lesson_steps, quoted

WIDTH = PAGE_W - 2 * MARGIN
ANSWER_LINES, LINE_GAP = 6, 8.5  # mm: room for a few sentences in handwriting


class Worksheet(Handout):
    def footer(self) -> None:
        self.set_xy(MARGIN, 297.0 - 10)
        self.style(7, colour=MUTED)
        self.cell(WIDTH, 4, f"{self.story_title} · student worksheet · page {self.page_no()} of {{nb}}", align="C")


def _passage(pdf: Worksheet, p: Passage) -> None:
    text, source = quoted(p.text), f"— {citation(p.source)}"
    h = pdf.para(MARGIN + 6, WIDTH - 6, text, 10.5, lh=1.35, dry=True) + pdf.para(MARGIN + 6, WIDTH - 6, source, 8, dry=True) + 4
    pdf.ensure(h)
    top = pdf.get_y()
    pdf.para(MARGIN + 6, WIDTH - 6, text, 10.5, lh=1.35, after=0.8)
    pdf.para(MARGIN + 6, WIDTH - 6, source, 8, colour=MUTED)
    pdf.set_draw_color(*RULE)
    pdf.set_line_width(1.2)
    pdf.line(MARGIN + 1.5, top + 0.5, MARGIN + 1.5, pdf.get_y() - 0.5)
    pdf.set_y(pdf.get_y() + 3)


def _heading(pdf: Worksheet, step: Step, part: int) -> None:
    e = step.event
    assert e is not None
    lines = [(f"Part {part} · {e.date_label} ({date_certainty(e)})", 8.5, False), (e.title, 12, True)]
    if attribution(e):
        lines.append((attribution(e), 9, True))
    pdf.ensure(sum(pdf.para(MARGIN, WIDTH, t, size, bold=b, dry=True, after=0.6) for t, size, b in lines) + 30)
    for t, size, b in lines:
        pdf.para(MARGIN, WIDTH, t, size, bold=b, colour=INK if b else MUTED, after=0.8)
    pdf.set_y(pdf.get_y() + 1)


def _question(pdf: Worksheet, step: Step, number: int) -> None:
    q = f"Question {number}. {step.text}"
    about = f"About: {step.event.date_label} · {step.event.title}" if step.event else ""
    need = pdf.para(MARGIN, WIDTH, q, 11, bold=True, dry=True) + ANSWER_LINES * LINE_GAP + 8
    pdf.ensure(need)
    pdf.para(MARGIN, WIDTH, q, 11, bold=True, lh=1.3, after=0.6)
    if about:
        pdf.para(MARGIN, WIDTH, about, 8, colour=MUTED, after=0.6)
    pdf.set_draw_color(*RULE)
    pdf.set_line_width(0.3)
    y = pdf.get_y()
    for i in range(1, ANSWER_LINES + 1):
        pdf.line(MARGIN, y + i * LINE_GAP, PAGE_W - MARGIN, y + i * LINE_GAP)
    pdf.set_y(y + ANSWER_LINES * LINE_GAP + 6)


def build_worksheet(chron: Chronology, all_steps: list[Step]) -> bytes:
    head = all_steps[0]
    pdf = Worksheet(chron.story.title)
    pdf.set_title(f"{head.title} — student worksheet")
    pdf.set_subject(f"{chron.story.title}: {head.counts}")
    pdf.set_keywords("; ".join(chron.story.keywords))
    pdf.set_creator(f"{chron.story.slug} (python -m timeline)")
    pdf.set_lang(chron.story.language)
    pdf.add_page()
    pdf.set_y(MARGIN)
    pdf.para(MARGIN, WIDTH, head.title, 17, bold=True, lh=1.2, after=0.5)
    pdf.para(MARGIN, WIDTH, f"Student worksheet · {chron.story.title}", 10, colour=MUTED, after=3)
    pdf.para(MARGIN, WIDTH, "Name: ______________________________    Date: ________________", 10, after=3)
    pdf.para(MARGIN, WIDTH, "Every passage is quoted word for word from the article named under it. A claim is an "
             "allegation: the worksheet says who makes it. Read each passage, then answer the questions in the space "
             "given.", 9, colour=MUTED, lh=1.35, after=4)
    part = question = 0
    for step in all_steps[1:-1]:
        if step.role == "question":
            question += 1
            _question(pdf, step, question)
        elif step.role == "text":
            pdf.ensure(pdf.para(MARGIN, WIDTH, step.text, 10.5, italic=True, dry=True) + 4)
            pdf.para(MARGIN, WIDTH, step.text, 10.5, italic=True, lh=1.35, after=4)
        elif step.event is not None:
            part += 1
            _heading(pdf, step, part)
            shown = step.compared if step.role == "compare" else step.passages[:1]
            if step.role == "compare":
                pdf.para(MARGIN, WIDTH, f"How {len(shown)} outlets tell it:", 9, bold=True, colour=MUTED, after=1.5)
            for p in shown:
                _passage(pdf, p)
            pdf.set_y(pdf.get_y() + 2)
    if pdf.get_y() > BOTTOM - 40:
        pdf.add_page()
    pdf.set_y(pdf.get_y() + 2)
    pdf.para(MARGIN, WIDTH, "Articles quoted", 11, bold=True, after=1.5)
    for i, s in enumerate(all_steps[-1].sources, 1):
        pdf.ensure(pdf.para(MARGIN, WIDTH, citation(s), 8.5, dry=True) + 2)
        pdf.para(MARGIN, WIDTH, f"{i}. {citation(s)}", 8.5, after=0.8)
    return bytes(pdf.output())


def worksheet_pdf(chron: Chronology, lesson_id: str) -> bytes:
    """The student worksheet of a lesson: passages to read, its questions numbered, space to answer."""
    lesson = lesson_by_id(chron, lesson_id)
    if lesson is None:
        raise KeyError(f'no lesson has the id "{lesson_id}"')
    return build_worksheet(chron, lesson_steps(chron, lesson))
