"""Finding a quote in its article, and the passage around it."""
from __future__ import annotations

import pytest

from timeline.data.anchor import Anchor, closest_passage, locate, normalise, paragraph_bounds, sentence_bounds


def found(quote: str, text: str) -> str:
    """The original text the quote was anchored to."""
    anchor = locate(quote, text)
    assert anchor is not None, f"{quote!r} not found"
    return text[anchor.start:anchor.end]


# --- locate -----------------------------------------------------------------------------


def test_exact_match_gives_offsets_and_says_exact():
    text = "Before. U.S. and Chinese officials sat down in Beijing on Tuesday. After."
    assert locate("sat down in Beijing", text) == Anchor(text.index("sat"), text.index(" on Tuesday"), True)


def test_exact_match_wins_over_an_earlier_tolerant_one():
    text = "He called it “retribution.” Later: \"retribution.\""
    anchor = locate('"retribution."', text)
    assert anchor == Anchor(text.rindex('"retribution."'), len(text), True)


def test_first_exact_occurrence_is_used():
    text = "fentanyl, fentanyl, fentanyl"
    assert locate("fentanyl", text) == Anchor(0, 8, True)


@pytest.mark.parametrize("quote, text, original", [
    # a no-break space in the article, a plain one in the quote
    ("aimed at stemming", "formed a group\xa0aimed\xa0at stemming the flow", "aimed\xa0at stemming"),
    # a run of spaces, tabs and a line break counts as one space
    ("a new investigative report", "in a new  investigative\t\n report.", "a new  investigative\t\n report"),
    # and the other way round: the quote has the run
    ("a  new   report", "in a new report.", "a new report"),
])
def test_whitespace_is_tolerated_and_maps_back_to_the_original(quote, text, original):
    anchor = locate(quote, text)
    assert anchor is not None and anchor.exact is False
    assert text[anchor.start:anchor.end] == original


@pytest.mark.parametrize("quote, original", [
    ('an "important speech" on', "an “important speech” on"),
    ("Pelosi's (D) visit", "Pelosi’s (D) visit"),
    ("the period 1839 - 1860 in", "the period 1839 – 1860 in"),  # en dash
    ("the CCP - and only", "the CCP — and only"),  # em dash
    ("a minus -5", "a minus −5"),  # minus sign
    ("‘single’ and “double”", "'single' and \"double\""),  # curly quote, straight article
])
def test_typography_is_tolerated_and_maps_back_to_the_exact_original_offsets(quote, original):
    prefix = "Some  text\u00a0\u00a0with “marks” — and runs.\n\n"
    text = prefix + original + " and more."
    anchor = locate(quote, text)
    assert anchor == Anchor(len(prefix), len(prefix) + len(original), False)
    assert text[anchor.start:anchor.end] == original


def test_offsets_survive_many_folded_characters_before_the_match():
    text = "“A” — ‘b’ …  c\xa0\xa0d\n\n\ne " * 5 + "the quote is here."
    assert found("the quote is here", text) == "the quote is here"
    assert locate("the quote is here", text).start == text.index("the quote")


@pytest.mark.parametrize("quote, text, original", [
    ("coordination... which", "coordination… which will help", "coordination… which"),
    ("coordination… which", "coordination... which will help", "coordination... which"),
    ("wait...", "Now wait… yes", "wait…"),  # the match ends on the ellipsis
    ("…which", "coordination…which", "…which"),  # and starts on it
])
def test_ellipsis_character_and_three_dots_are_the_same(quote, text, original):
    assert found(quote, text) == original


def test_a_quote_with_surrounding_spaces_is_found_without_them():
    text = "the two countries launched the Counternarcotics Working Group"
    anchor = locate("  launched the ", text)
    assert anchor is not None and text[anchor.start:anchor.end] == "launched the"


@pytest.mark.parametrize("quote", [
    "China won both wars",  # a changed word
    "china lost both wars",  # case matters
    "China lost both wars in 1860",  # longer than what is there
    "China lost, both wars",  # punctuation matters
])
def test_a_quote_that_is_not_there_is_not_found(quote):
    assert locate(quote, "Editor’s Note: China lost both wars) and stated") is None


@pytest.mark.parametrize("quote", ["", "   ", "\n"])
def test_an_empty_quote_is_not_found(quote):
    assert locate(quote, "any text at all") is None


def test_normalise_keeps_a_map_to_the_original_characters():
    text = "a\xa0\xa0“b”…\n\nc—d"
    norm, where = normalise(text)
    assert norm == 'a "b"... c-d'
    assert len(where) == len(norm)
    assert [text[i] for i in where] == ["a", "\xa0", "“", "b", "”", "…", "…", "…", "\n", "c", "—", "d"]


# --- closest_passage ------------------------------------------------------------------

ARTICLE = (
    "Opioids are the leading cause of overdose deaths.\n"
    "The delegation met officials in Beijing on Monday. It discussed precursor chemicals.\n"
    "A “working group” was formed afterwards — officials said so."
)


def test_closest_passage_finds_the_misquoted_sentence():
    passage, ratio = closest_passage("The delegation met officials in Beijing on Sunday.", ARTICLE)
    assert passage == "The delegation met officials in Beijing on Monday."
    assert 0.9 < ratio < 1


def test_closest_passage_returns_original_typography():
    passage, ratio = closest_passage('A "working group" was formed afterwards - officials said so.', ARTICLE)
    assert passage == "A “working group” was formed afterwards — officials said so."
    assert ratio == 1.0


def test_closest_passage_of_a_verbatim_quote_is_the_quote():
    quote = "It discussed precursor chemicals."
    assert closest_passage(quote, ARTICLE) == (quote, 1.0)


def test_closest_passage_of_a_text_shorter_than_the_quote_is_the_whole_text():
    passage, ratio = closest_passage("Opioids are the leading cause of overdose deaths in America", "Opioids are the cause.")
    assert passage == "Opioids are the cause."
    assert 0 < ratio < 1


@pytest.mark.parametrize("quote, text", [("", ARTICLE), ("  ", ARTICLE), ("a quote", "")])
def test_closest_passage_of_nothing_is_nothing(quote, text):
    assert closest_passage(quote, text) == ("", 0.0)


def test_closest_passage_ratio_orders_better_and_worse_quotes():
    _, near = closest_passage("The delegation met officials in Beijing on Sunday.", ARTICLE)
    _, far = closest_passage("Completely unrelated words about the weather today", ARTICLE)
    assert far < near


# --- paragraph_bounds and sentence_bounds ----------------------------------------------

TEXT = (
    "First paragraph. It has two sentences.\n"
    "Second one starts here. The “quote” sits in the middle! Does it end? Yes.\n"
    "Third paragraph, no full stop"
)


def bounds_of(fn, quote: str, text: str = TEXT) -> str:
    start = text.index(quote)
    lo, hi = fn(text, start, start + len(quote))
    return text[lo:hi]


@pytest.mark.parametrize("quote, paragraph", [
    ("two sentences", "First paragraph. It has two sentences."),
    ("“quote”", "Second one starts here. The “quote” sits in the middle! Does it end? Yes."),
    ("no full", "Third paragraph, no full stop"),
    ("sentences.\nSecond", "First paragraph. It has two sentences.\nSecond one starts here. The “quote” sits in the "
                           "middle! Does it end? Yes."),
])
def test_paragraph_bounds_are_the_lines_containing_the_quote(quote, paragraph):
    assert bounds_of(paragraph_bounds, quote) == paragraph


@pytest.mark.parametrize("quote, sentence", [
    ("First", "First paragraph."),
    ("two sentences", "It has two sentences."),
    ("It has two sentences.", "It has two sentences."),
    ("starts", "Second one starts here."),
    ("“quote”", "The “quote” sits in the middle!"),
    ("Does it", "Does it end?"),
    ("Yes", "Yes."),
    ("middle! Does", "The “quote” sits in the middle! Does it end?"),  # a quote across two sentences
    ("no full", "Third paragraph, no full stop"),
])
def test_sentence_bounds_are_the_sentences_containing_the_quote(quote, sentence):
    assert bounds_of(sentence_bounds, quote) == sentence


def test_sentence_bounds_stop_at_the_paragraph():
    # No full stop at the end of the first line: the sentence must not run into the next.
    text = "A heading without a stop\nThe body. More."
    assert bounds_of(sentence_bounds, "heading", text) == "A heading without a stop"


def test_sentence_bounds_end_after_closing_quotation_marks():
    text = 'He said "this is it." Then he left.'
    assert bounds_of(sentence_bounds, "this is", text) == 'He said "this is it."'


@pytest.mark.parametrize("mark", ["”", '"'])
def test_sentence_bounds_of_a_quote_ending_in_a_closing_quotation_mark(mark):
    quote = f"He called it “retribution.{mark}"
    text = f"Before that. {quote} He also said more. Then."
    assert bounds_of(sentence_bounds, quote, text) == quote


def test_sentence_bounds_do_not_split_at_us_abbreviation():
    text = "Before. Data from the U.S. Centers for Disease Control showed a rise. After."
    assert bounds_of(sentence_bounds, "Centers", text) == "Data from the U.S. Centers for Disease Control showed a rise."
