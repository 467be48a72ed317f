"""Start a story: a data folder with every table (headers only), a starter vocabulary and seeds/, valid as it is.

`python -m timeline new DIR --title "…"` writes it; `validate` passes on it, and the app opens it with an
empty state that says what to do next.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from timeline.data.load import CITATIONS, EVENTS, SOURCES, VOCABULARY
from timeline.data.models import Citation, Event, Source, VocabularyEntry
from timeline.data.story import STORY, Story

RELATIONS = "relations.csv"
FIGURES = "figures.csv"
RELATION_COLUMNS = ("from_event", "to_event", "relation", "note", "source_id", "quote")
FIGURE_COLUMNS = ("id", "measure", "value", "unit", "period", "source_id", "attributed_to", "quote", "event_id", "note")

# Categories and actors every story can start from; rename, delete or add rows as the story needs.
STARTER_VOCABULARY = (
    ("category", "background", "Background", "History and context the articles give."),
    ("category", "statement", "Statements", "What the people and bodies involved say, and when."),
    ("category", "decision", "Decisions", "Laws, rulings, agreements and other decisions taken."),
    ("category", "action", "Actions", "Meetings, visits, operations and other things done."),
    ("category", "consequence", "Consequences", "What followed, as the articles report it."),
    ("actor", "others", "Others", "People and bodies not listed on their own row."),
)


class StoryExists(Exception):
    """The folder already holds a data folder; nothing was written."""


@dataclass(frozen=True)
class NewStory:
    folder: Path
    files: tuple[Path, ...]


def _columns(model) -> list[str]:
    return [n for n, f in model.model_fields.items() if not f.exclude]


def _csv(header, rows=()) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def story_files(story: Story) -> dict[str, bytes]:
    """Each file of an empty story (path in the folder → bytes)."""
    return {
        STORY: story.to_toml().encode("utf-8"),
        EVENTS: _csv(_columns(Event)),
        CITATIONS: _csv(_columns(Citation)),
        VOCABULARY: _csv(_columns(VocabularyEntry), STARTER_VOCABULARY),
        RELATIONS: _csv(RELATION_COLUMNS),
        FIGURES: _csv(FIGURE_COLUMNS),
        SOURCES: _csv(_columns(Source)),
    }


def is_story(folder: str | Path) -> bool:
    folder = Path(folder)
    return any((folder / name).exists() for name in (EVENTS, CITATIONS, SOURCES, STORY))


def new_story(folder: str | Path, title: str, subtitle: str = "", language: str = "en") -> NewStory:
    """Write an empty story into `folder` (created if need be). Refused when the folder already holds a
    story's files, so nothing is ever overwritten. ValueError (from Story) for a bad title or language."""
    from timeline.curation.curate import atomic_write

    folder = Path(folder)
    story = Story(title=title, subtitle=subtitle, language=language)
    if is_story(folder):
        found = [n for n in (STORY, EVENTS, CITATIONS, SOURCES) if (folder / n).exists()]
        raise StoryExists(f"{folder} already holds a story ({', '.join(found)}); choose an empty or new folder")
    (folder / "seeds").mkdir(parents=True, exist_ok=True)
    (folder / "review").mkdir(exist_ok=True)
    written = []
    for name, data in story_files(story).items():
        path = folder / name
        atomic_write(path, data)
        written.append(path)
    return NewStory(folder, tuple(written))
