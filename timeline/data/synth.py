"""Generated data folders of any size, for benchmarks and scale tests.

`write_folder(Path("big"), 100_000)` writes a complete data folder — vocabulary.csv,
seeds/sources.csv with one generated article per 50 events, events.csv and citations.csv —
that passes `python -m timeline validate`. The same seed gives the same bytes. Events vary
as real ones do: every kind, precision (day, month, year) and certainty, some spans, some
approximate dates, one to four actors, one to three sources; every quote is a sentence of
its article, a few of them written with straight quotes where the article has typographic
ones (so the loader's tolerant match is exercised too), and a few events lie in the
nineteenth century (so the chart breaks its axis as it does for the curated data).
"""
from __future__ import annotations

import calendar
import csv
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from timeline.data.story import STORY, Story

EVENTS_PER_SOURCE = 50

CATEGORIES = {
    "history": "History", "diplomacy": "Diplomacy", "cooperation": "Cooperation",
    "drug-control": "Drug control and enforcement", "sanctions-trade": "Sanctions and trade",
    "legislation": "Legislation", "public-health": "Public health", "finance": "Illicit finance",
    "chemistry": "Precursor chemistry", "shipping": "Shipping and mail",
}
ACTORS = [
    "us-president", "prc-government", "us-congress", "prc-mfa", "us-state-dept", "us-treasury", "dea", "fbi",
    "cbp", "prc-mps", "prc-nncc", "un-cnd", "mexico-government", "canada-government", "india-government",
    "sinaloa-cartel", "jalisco-cartel", "chemical-firms", "shipping-firms", "banks", "xi-jinping", "us-ambassador",
    "prc-ambassador", "wang-xiaohong", "blinken", "yellen", "state-media", "think-tanks", "families", "ngo",
]
OUTLETS = ["The Daily Ledger", "Harbor Post", "Eastern Wire", "Capital Review", "Pacific Herald", "Global Monitor",
           "Evening Courier", "Policy Desk", "Morning Dispatch", "The Observer Weekly", "Lantern News", "Bridge Report"]
VERBS = ["announces", "rejects", "signs", "suspends", "resumes", "proposes", "criticises", "welcomes", "reviews",
         "expands", "questions", "funds", "restricts", "investigates", "publishes", "defends"]
OBJECTS = ["precursor controls", "a joint working group", "new scheduling rules", "tariffs on chemicals", "a seizure report",
           "sanctions on traders", "a mail inspection plan", "an overdose study", "visa restrictions", "a data-sharing pact",
           "laboratory inspections", "a money-laundering case", "an extradition request", "a summit statement",
           "customs cooperation", "a reward for information", "a trafficking indictment", "a public apology"]
PLACES = ["Beijing", "Washington", "Shanghai", "San Francisco", "Mexico City", "Vienna", "Guangzhou", "New York",
          "Hong Kong", "Tijuana", "Vancouver", "Wuhan", "Geneva", "Lima", "Manila", "Seattle"]
WORDS = ("officials said the talks covered enforcement data chemical exports border seizures and the reporting of "
         "laboratories while critics said the measures came late and would not reach the traders who ship "
         "precursors through brokers and freight companies every month").split()
FILLER = ["Cookie settings: by continuing to browse you accept our use of cookies.",
          "Subscribe to our newsletter for the week's most important stories.",
          "This article has been updated with additional reporting.",
          "Share this story with your friends and colleagues."]
KIND_WEIGHTS = {"event": 55, "claim": 25, "statistic": 10, "context": 10}
PRECISION_WEIGHTS = {"day": 70, "month": 20, "year": 10}
CERTAINTY_WEIGHTS = {"exact": 67, "inferred": 20, "approximate": 9, "after": 2, "by": 2}
FOLDED_SHARE = 0.005  # quotes typed with straight quotes where the article has curly ones
HISTORY_SHARE = 0.002  # events in the nineteenth century
SPAN_SHARE = 0.08


@dataclass
class _Article:
    id: str
    outlet: str
    published: date
    sentences: list[str] = field(default_factory=list)


ACRONYMS = {"us", "prc", "un", "cnd", "mfa", "mps", "nncc", "dea", "fbi", "cbp", "ngo"}


def _label(slug: str) -> str:
    """`us-state-dept` -> `US State Dept`."""
    return " ".join(w.upper() if w in ACRONYMS else w.capitalize() for w in slug.split("-"))


def _pick(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _partial(day: date, precision: str) -> str:
    if precision == "year":
        return f"{day.year:04d}"
    if precision == "month":
        return f"{day.year:04d}-{day.month:02d}"
    return day.isoformat()


def _last_day(day: date, precision: str) -> date:
    if precision == "year":
        return date(day.year, 12, 31)
    if precision == "month":
        return date(day.year, day.month, calendar.monthrange(day.year, day.month)[1])
    return day


def _write_csv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)


def _sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n))


def write_folder(out: str | Path, n_events: int, seed: int = 42) -> dict[str, int]:
    """Write a valid data folder of `n_events` events into `out`; returns counts of what it wrote."""
    if n_events < 1:
        raise ValueError("n_events must be at least 1")
    rng = random.Random(seed)
    out = Path(out)
    (out / "seeds").mkdir(parents=True, exist_ok=True)

    vocabulary = [["category", value, label, f"Generated category: {label.lower()}."] for value, label in CATEGORIES.items()]
    vocabulary += [["actor", a, _label(a), ""] for a in ACTORS]
    _write_csv(out / "vocabulary.csv", ["field", "value", "label", "description"], vocabulary)

    n_sources = max(3, -(-n_events // EVENTS_PER_SOURCE))
    width = len(str(n_sources))
    articles = [_Article(f"src-{i:0{width}d}", OUTLETS[i % len(OUTLETS)],
                         date(2017, 1, 1) + timedelta(days=rng.randrange(8 * 365))) for i in range(n_sources)]

    width = len(str(n_events))
    categories, events, citations = list(CATEGORIES), [], []
    modern = (date(1990, 1, 1).toordinal(), date(2024, 12, 31).toordinal())
    for i in range(n_events):
        history = rng.random() < HISTORY_SHARE
        start = (date(1839 + rng.randrange(60), 1 + rng.randrange(12), 1 + rng.randrange(28)) if history
                 else date.fromordinal(rng.randint(*modern)))
        precision = _pick(rng, PRECISION_WEIGHTS)
        certainty = _pick(rng, CERTAINTY_WEIGHTS)
        kind = "context" if history else _pick(rng, KIND_WEIGHTS)
        end = ""
        if rng.random() < SPAN_SHARE:
            end_day = _last_day(start, precision) + timedelta(days=rng.choice([1, 3, 30, 200, 800]))
            end = _partial(end_day, precision)
        if certainty == "by":
            end = ""  # a by date has no end (its start is the latest it can be)
        actors = rng.sample(ACTORS, rng.choice([1, 1, 2, 2, 3, 4]))
        place, verb, obj = rng.choice(PLACES), rng.choice(VERBS), rng.choice(OBJECTS)
        who = _label(actors[0])
        title = f"{who} {verb} {obj} in {place}"
        event_id = f"ev-{i:0{width}d}-{verb}-{obj.split()[-1]}"
        note = "" if certainty == "exact" else {
            "inferred": "Worked out from the article's publication date and a relative date (generated).",
            "approximate": "The article says only “about that time” (generated).",
            "after": "The article says only that it came after that day (generated).",
            "by": "The article says only that it had happened by then (generated).",
        }[certainty]
        claimed_by = rng.choice(OUTLETS) if kind == "claim" else ""
        summary = (f"{who} {verb} {obj} in {place}. Generated event {i + 1} of {n_events}"
                   + (f", as claimed by {claimed_by}." if claimed_by else "."))
        events.append([event_id, title, _partial(start, precision), end, certainty, note, kind, rng.choice(categories),
                       ";".join(actors), summary, claimed_by])
        for article in rng.sample(articles, rng.choice([1, 1, 1, 2, 2, 3])):
            detail = _sentence(rng, rng.randrange(6, 16))
            quote = f"In {place}, {who} {verb} {obj} (item {i + 1}), and {detail}"
            if rng.random() < FOLDED_SHARE:
                article.sentences.append(f"“{quote},” one official said.")
                citations.append([event_id, article.id, f'"{quote},"'])
            else:
                article.sentences.append(quote + ".")
                citations.append([event_id, article.id, quote])

    sources = []
    for article in articles:
        rng.shuffle(article.sentences)
        paragraphs = [rng.choice(FILLER)]
        k = 0
        while k < len(article.sentences):
            step = rng.randrange(2, 6)
            paragraphs.append(" ".join(article.sentences[k:k + step]))
            k += step
        paragraphs.append(rng.choice(FILLER))
        name = f"{article.id}.txt"
        (out / "seeds" / name).write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
        sources.append([article.id, name, article.outlet, f"Generated report {article.id} on the talks", "no",
                        article.published.isoformat(), "", "stated", "", f"https://example.org/{article.id}",
                        (article.published + timedelta(days=7)).isoformat(), f"{article.outlet}, a generated outlet for benchmarks.", "Generated by timeline.data.synth."])
    _write_csv(out / "seeds" / "sources.csv",
               ["id", "file", "outlet", "headline", "headline_descriptive", "published", "published_end",
                "published_certainty", "published_note", "url", "accessed", "outlet_description", "notes"], sources)
    _write_csv(out / "events.csv", ["id", "title", "start", "end", "date_certainty", "date_note", "kind", "category",
                                    "actors", "summary", "claimed_by"], events)
    _write_csv(out / "citations.csv", ["event_id", "source_id", "quote"], citations)
    (out / STORY).write_text(Story(title=f"Generated story of {len(events):,} events", subtitle="Synthetic data for benchmarks",
                                   keywords=("generated",)).to_toml(), encoding="utf-8")
    return {"events": len(events), "citations": len(citations), "sources": len(sources)}
