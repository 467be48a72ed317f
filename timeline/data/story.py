"""The story's own words (title, subtitle, credit, language, keywords, licence), read from story.toml in its data folder.

Every page heading, export title and credit, deck and handout metadata come from here, so nothing about any one
story is written into the code. A folder without story.toml gets defaults made from the folder's name.
"""
from __future__ import annotations

import re
import tomllib
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from timeline.data.problems import Problem

STORY = "story.toml"
KEYS = ("title", "subtitle", "credit", "byline", "language", "keywords", "licence")


def slugify(text: str) -> str:
    """A file-name-safe form of a title: "Harbour talks – day 2" -> "harbour-talks-day-2"."""
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:60].strip("-") or "timeline"


class Story(BaseModel):
    """What a story says about itself."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    title: str = Field(min_length=1, max_length=200)
    subtitle: str = Field(default="", max_length=400)
    credit: str = Field(default="", max_length=400)   # e.g. "Chronology: Newsroom desk"; exports add the outlets cited
    byline: str = Field(default="", max_length=200)
    language: str = Field(default="en", pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
    keywords: tuple[str, ...] = ()
    licence: str = Field(default="", max_length=200)
    slug: str = ""  # file names of exports; from the title unless given

    @field_validator("title", "subtitle", "credit", "byline", "licence")
    @classmethod
    def _strip(cls, v: str) -> str:
        v = " ".join(v.split())
        if any(ord(c) < 32 for c in v):
            raise ValueError("control characters are not allowed")
        return v

    @field_validator("keywords")
    @classmethod
    def _keywords(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(k.strip() for k in v if k.strip())

    @field_validator("slug")
    @classmethod
    def _slug(cls, v: str) -> str:
        if v and not re.fullmatch(r"[a-z0-9][a-z0-9-]*", v):
            raise ValueError("use lower-case letters, digits and hyphens")
        return v

    @model_validator(mode="before")
    @classmethod
    def _default_slug(cls, data: object) -> object:
        if isinstance(data, dict) and not data.get("slug") and isinstance(data.get("title"), str):
            data = {**data, "slug": slugify(data["title"])}
        return data

    @classmethod
    def default_for(cls, folder: str | Path) -> Story:
        name = Path(folder).resolve().name or "timeline"
        title = re.sub(r"[-_]+", " ", name).strip().capitalize() or "Timeline"
        return cls(title=title)

    def to_toml(self) -> str:
        """The story as a story.toml file's text."""
        def q(s: str) -> str:
            return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'
        lines = ["# The story's own words: page titles, export titles and credits, document metadata.",
                 f"slug = {q(self.slug)}",
                 f"title = {q(self.title)}", f"subtitle = {q(self.subtitle)}", f"credit = {q(self.credit)}",
                 f"byline = {q(self.byline)}", f"language = {q(self.language)}",
                 "keywords = [" + ", ".join(q(k) for k in self.keywords) + "]", f"licence = {q(self.licence)}"]
        return "\n".join(lines) + "\n"


def read_story(folder: str | Path, problems: list[Problem], notices: list[str] | None = None) -> Story:
    """The folder's story.toml, validated; defaults (with a notice) when it is missing, and with a problem per bad value."""
    folder = Path(folder)
    path = folder / STORY
    default = Story.default_for(folder)
    if not path.is_file():
        if notices is not None:
            notices.append(f'{STORY} is missing, so the story is titled "{default.title}" after its folder. '
                           f"Add {STORY} with a title = \"...\" line to name it.")
        return default
    try:
        data = tomllib.loads(path.read_bytes().decode("utf-8"))
    except UnicodeDecodeError:
        problems.append(Problem(STORY, "the file is not UTF-8 text", "save it as UTF-8"))
        return default
    except tomllib.TOMLDecodeError as e:
        problems.append(Problem(STORY, f"the file is not valid TOML ({e})", 'write one key = "value" per line'))
        return default
    if not isinstance(data.get("story", data), dict):
        data = {}
    data = data.get("story", data) if isinstance(data.get("story"), dict) else data
    good: dict[str, object] = {}
    for key, value in data.items():
        if key not in KEYS and key != "slug":
            problems.append(Problem(STORY, f'"{key}" is not a story setting', f"use one of {', '.join(KEYS)}", column=key))
            continue
        try:
            Story(**{"title": default.title, key: value})
        except ValidationError as e:
            err = e.errors()[0]
            problems.append(Problem(STORY, f"{key}: {err['msg'].removeprefix('Value error, ')}",
                                    _FIX.get(key, "correct the value"), column=key))
            continue
        good[key] = value
    good.setdefault("title", default.title)
    return Story(**good)


_FIX = {
    "title": 'give the story a title of 1 to 200 characters, e.g. title = "Who said what"',
    "language": 'use a language tag such as "en" or "en-GB"',
    "keywords": 'write a list of words, e.g. keywords = ["trade", "diplomacy"]',
    "slug": "use lower-case letters, digits and hyphens, or leave it out",
}
