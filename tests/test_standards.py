"""Annotations, CSL-JSON and schema.org claims, checked against the standards' own schemas (tests/data/standards)."""
from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

import jsonschema
import pytest
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from timeline import load_chronology, read_data
from timeline.cli import main
from timeline.data.synth import write_folder
from timeline.filters import ViewState
from timeline.outputs import standards
from timeline.outputs.export import export

STANDARDS = Path(__file__).resolve().parent / "data" / "standards"
W3C = STANDARDS / "w3c-annotation"


@lru_cache(maxsize=1)
def _w3c() -> tuple[Registry, list[str]]:
    """The W3C test suite's schemas by their file names, and the assertions of its "annotation musts" test.
    (One file's id differs from its name, 4.3.3-refinedByValidated.json: the tests name files.)"""
    schemas = {p.name: json.loads(p.read_text(encoding="utf-8")) for p in sorted(W3C.rglob("*.json"))}
    registry = Registry().with_resources(
        (name, Resource.from_contents(s, default_specification=DRAFT4)) for name, s in schemas.items())
    musts = json.loads((W3C / "annotations" / "annotationMusts.test").read_text(encoding="utf-8"))
    return registry, [Path(name).name for name in musts["assertions"]]


def w3c_failures(anno: dict, extra: tuple[str, ...] = ()) -> list[str]:
    """The W3C assertions (every must, and `extra` by file name) that the annotation fails, by title."""
    return [name for name in (*MUSTS, *extra) if not _w3c_validator(name).is_valid(anno)]


@lru_cache(maxsize=None)
def _w3c_validator(name: str) -> jsonschema.Draft4Validator:
    registry, _ = _w3c()
    return jsonschema.Draft4Validator(registry.contents(name), registry=registry,
                                      format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)


@lru_cache(maxsize=1)
def _csl_validator() -> jsonschema.Draft7Validator:
    schema = json.loads((STANDARDS / "csl" / "csl-data.json").read_text(encoding="utf-8"))
    return jsonschema.Draft7Validator(schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)


MUSTS = _w3c()[1]
SELECTOR_FEATURES = ("4.2.4-textQuoteSelector.json", "4.2.5-textPositionSelector.json", "4.2-selectorFound.json",
                     "4.3.1-timeState.json", "4.3.1-cached.json")


@pytest.fixture(scope="module")
def curated():
    return load_chronology()


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    folder = tmp_path_factory.mktemp("synth") / "n1000"
    write_folder(folder, 1000, seed=42)
    return load_chronology(folder)


def test_the_format_checker_is_really_checking_uris():
    assert "3.1-annotationIdValidated.json" in w3c_failures({"@context": standards.ANNO_CONTEXT, "id": "not a uri",
                                                             "type": "Annotation", "target": "https://example.org/"})


def test_a_broken_annotation_fails_the_w3c_musts(curated):
    good = standards.annotations(curated, curated.frame)[0]
    assert w3c_failures(good) == []
    assert w3c_failures({**good, "@context": "https://example.org/other.jsonld"}) == ["3.1-annotationContextValidated.json"]
    quote = {**good, "target": [{**good["target"][0], "selector": [{"type": "TextQuoteSelector", "prefix": "x"}]}]}
    assert "4.2.4-textQuoteSelectorValid.json" in w3c_failures(quote)


@pytest.mark.parametrize("story", ["curated", "synthetic"])
def test_every_annotation_meets_the_w3c_musts_and_reanchors_from_its_selectors(story, request):
    chron = request.getfixturevalue(story)
    annos = standards.annotations(chron, chron.frame)
    assert len(annos) == len(chron.passages) > 0
    texts = {standards.stored_iri(s): s.text for s in chron.sources.values()}
    ids = set()
    checked = _to_validate(annos)
    for n, (anno, passage) in enumerate(zip(annos, [p for e in chron.frame["id"] for p in chron.passages_for(e)])):
        if n in checked:
            features = SELECTOR_FEATURES if passage.source.url and passage.source.accessed else SELECTOR_FEATURES[:3]
            assert w3c_failures(anno, features) == []
        assert anno["@context"] == "http://www.w3.org/ns/anno.jsonld"
        ids.add(anno["id"])
        copy = anno["target"][-1]
        text = texts[copy["source"]["id"]]  # the stored file, found by its digest alone
        assert copy["source"]["label"] == f"seeds/{passage.source.file}"
        quote, position = copy["selector"]
        assert len(quote["prefix"]) == min(32, passage.anchor.start) and len(quote["suffix"]) <= 32
        only_quote = standards.reanchor([quote], text)
        only_position = standards.reanchor([position], text)
        assert only_quote == only_position == (passage.anchor.start, passage.anchor.end)
        assert text[position["start"]:position["end"]] == quote["exact"]
        if passage.source.url:
            assert anno["target"][0]["source"] == passage.source.url
            assert anno["target"][0]["selector"] == copy["selector"]
        event = chron.by_id[passage.event_id]
        values = [b["value"] for b in anno["body"]]
        assert values[0] == event.title and event.date_edtf in values[1]
        assert (f"Claim made by {event.claimed_by}" in values) == bool(event.claimed_by)
    assert len(ids) == len(annos)  # an id per passage, the same at every export


def _shape(value):
    """The annotation's structure: its keys, the types of its values, and which strings are addresses."""
    if isinstance(value, dict):
        return tuple((k, _shape(v)) for k, v in value.items())
    if isinstance(value, list):
        return tuple(_shape(v) for v in value)
    if isinstance(value, str):
        return "uri" if re.match(r"^[a-z]+:", value) else "text"
    return type(value).__name__


def _to_validate(annos: list[dict], every: int = 10) -> set[int]:
    """Which annotations the W3C schemas check: each of a distinct structure, and every tenth. (All of the
    synthetic story's 2,000-odd take four minutes on two cores: bench/standards.py checks them all.)"""
    if len(annos) <= 200:
        return set(range(len(annos)))
    first: dict = {}
    for n, anno in enumerate(annos):
        first.setdefault(_shape(anno), n)
    return set(first.values()) | set(range(0, len(annos), every))


def test_reanchoring_picks_the_occurrence_its_prefix_and_suffix_name():
    text = "one cat here. two cat there. three cat everywhere."
    second = text.index("cat", 10)
    selectors = standards.selectors(text, second, second + 3)
    assert standards.reanchor(selectors[:1], text) == (second, second + 3)
    moved = "An added opening line.\n" + text  # the positions are stale, the quote still finds its place
    assert standards.reanchor(selectors[:1], moved) == (second + 23, second + 26)
    assert standards.reanchor(selectors[:1], "no such words") is None


@pytest.mark.parametrize("story", ["curated", "synthetic"])
def test_the_csl_json_meets_the_csl_data_schema(story, request):
    chron = request.getfixturevalue(story)
    items = standards.csl(chron, chron.frame)
    assert len(items) == len(chron.sources)
    errors = [e.message for e in _csl_validator().iter_errors(items)]
    assert errors == []
    assert not _csl_validator().is_valid([{**items[0], "type": "newspaper-article"}])  # the schema can fail
    assert all(i["type"] == "article-newspaper" and i["accessed"] for i in items)
    assert [i.get("URL", "") for i in items] == [s.url for s in standards.cited_sources(chron, chron.frame)]


def test_the_csl_items_of_the_curated_story(curated):
    items = {i["id"]: i for i in standards.csl(curated)}
    assert items["ntdtv"] == {
        "id": "ntdtv", "type": "article-newspaper",
        "title": "Fentanyl Exports to the US: Insights on Stance of Xi Jinping and the CCP", "container-title": "NTDTV",
        "issued": {"date-parts": [[2024, 5, 8]]}, "language": "en", "URL": "https://www.ntdtv.com/gb/2024/05/08/a103878495.html",
        "accessed": {"date-parts": [[2026, 11, 23]]}, "note": items["ntdtv"]["note"]}
    assert items["blaze"]["issued"] == {"date-parts": [[2023, 7]], "circa": True}  # inferred
    assert items["cgtn"]["issued"] == {"date-parts": [[2024, 11], [2024, 12]], "circa": True}  # a range
    assert "URL" not in items["blaze"]


def test_export_and_the_cli_write_both_formats(curated, tmp_path, capsys):
    claims = ViewState(kinds=("claim",))
    result = export(curated, claims, "csl")
    assert result.filename == "fentanyl-timeline-sources.csl.json"
    assert {i["id"] for i in json.loads(result.data)} == {"blaze", "cgtn", "dailycaller", "epoch", "ntdtv"}
    annos = json.loads(export(curated, claims, "annotations").data)
    assert len(annos) == sum(len(curated.passages_for(e.id)) for e in curated.events if e.kind.value == "claim")
    out = tmp_path / "passages.jsonld"
    assert main(["export", "--format", "annotations", "--kind", "claim", "--out", str(out)]) == 0
    assert json.loads(out.read_text(encoding="utf-8")) == annos
    assert main(["export", "--format", "csl", "--out", str(tmp_path / "s.json")]) == 0
    assert "Wrote" in capsys.readouterr().out


def test_formatted_references_are_chicago_author_date_and_say_when_the_date_is_inferred(curated):
    refs = standards.formatted_citations(standards.cited_sources(curated))
    assert refs["ntdtv"] == ("NTDTV. 2024. “Fentanyl Exports to the US: Insights on Stance of Xi Jinping and the CCP”. "
                             "NTDTV, May 8. https://www.ntdtv.com/gb/2024/05/08/a103878495.html.")
    assert refs["blaze"].startswith("TheBlaze. 2023. “Biden Admin Weighs")
    assert refs["blaze"].endswith("TheBlaze, July. Publication date inferred: July 2023.")
    assert refs["cgtn"].endswith("Publication date inferred: November 2024 or December 2024.")


def test_every_reference_of_a_big_story_is_its_own_article(synthetic):
    sources = standards.cited_sources(synthetic)
    refs = standards.formatted_citations(sources)
    assert len(refs) == len(sources) == 20
    for s in sources:  # the bibliography's order is not the sources': each reference must still be its own
        assert refs[s.id].startswith(f"{s.outlet}. {s.published.year}.") and s.url in refs[s.id]


def test_the_source_list_is_safe_html(curated):
    page = standards.source_list_html(curated, curated.frame)
    assert page.count("<li ") == 5
    assert '<a href="https://www.ntdtv.com/gb/2024/05/08/a103878495.html">' in page
    hostile = curated.sources["blaze"].model_copy(update={"headline": '<script>alert("x")</script> & co',
                                                          "url": 'https://e.org/?a=1&b="2"'})
    chron = load_chronology()
    chron.sources["blaze"] = hostile
    for p in chron.passages:
        if p.source.id == "blaze":
            object.__setattr__(p, "source", hostile)
    page = standards.source_list_html(chron)
    assert "<script" not in page.lower() and "&lt;script&gt;" in page.lower()
    assert sorted(re.findall(r"<(\w+)", page)) == ["a"] * 2 + ["li"] * 5 + ["ol"]  # only the list and its links are markup
    assert 'href="https://e.org/?a=1&amp;b=&quot;2&quot;"' in page


def test_claims_are_schema_org_claims_with_their_claimant_and_articles(curated):
    claims = standards.claims_jsonld(curated, curated.frame)
    assert len(claims) == sum(e.kind.value == "claim" for e in curated.events)
    by_id = {c["@id"]: c for c in claims}
    secret = by_id["#xi-secret-speech"]
    assert secret["@context"] == "https://schema.org" and secret["@type"] == "Claim"
    assert secret["author"] == {"name": "Yuan Hongbing, citing unnamed CCP insiders (reported by NTDTV)"}
    assert [a["publisher"]["name"] for a in secret["appearance"]] == ["NTDTV"]
    assert secret["appearance"][0]["url"] == "https://www.ntdtv.com/gb/2024/05/08/a103878495.html"
    assert all(c["appearance"] for c in claims)
    script = standards.claims_script(curated, curated.frame)
    assert script.startswith('<script type="application/ld+json">') and script.count("<") == 2
    assert json.loads(script.removeprefix('<script type="application/ld+json">').removesuffix("</script>")) == claims


def test_an_article_accessed_before_it_was_published_is_a_problem(data_dir):
    path = data_dir / "seeds" / "sources.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("https://www.ntdtv.com/gb/2024/05/08/a103878495.html,2026-11-23",
                                 "https://www.ntdtv.com/gb/2024/05/08/a103878495.html,2024-05-07"), encoding="utf-8")
    lines = [str(p) for p in read_data(data_dir).problems]
    assert lines[0] == ("seeds/sources.csv row 2, column accessed: accessed 2024-05-07 is before published 2024-05-08. "
                        "Fix: give the day the copy in seeds/ was taken from its page, on or after publication.")
