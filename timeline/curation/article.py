"""Reading an article a journalist keeps: plain text (.txt), Markdown (.md) or a saved web page (.html).

`read_article` gives the text quotes are checked against and whatever the file says about itself: for a web
page, trafilatura's text, headline, site name, author and canonical address, and the publication date from the
page's JSON-LD and meta tags (htmldate when they have none), with where each date was found. Nothing is guessed:
what the file does not say stays empty, and two dates that disagree are both reported (`ArticleInfo.conflict`).
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime

ARTICLE_SUFFIXES = (".txt", ".md", ".html", ".htm")


class ArticleError(ValueError):
    """A file that cannot be read as an article; the message names the file and says what to do."""


@dataclass(frozen=True)
class FoundDate:
    value: str   # YYYY-MM-DD, the day as the page writes it
    where: str   # e.g. "the page's JSON-LD (datePublished)"
    instant: datetime | None = None  # when it gives a time with its offset

    def agrees(self, other: FoundDate) -> bool:
        """The same day, or the same moment written in two time zones (23:30 -05:00 and 04:30 Z next day)."""
        return self.value == other.value or (self.instant is not None and self.instant == other.instant)


@dataclass
class ArticleInfo:
    """An article's text and what it says about itself (empty where it says nothing)."""

    text: str
    kind: str                   # "text", "markdown" or "html"
    headline: str = ""
    outlet: str = ""
    author: str = ""
    url: str = ""
    dates: list[FoundDate] = field(default_factory=list)  # every publication date found, one per place

    @property
    def published(self) -> FoundDate | None:
        """The publication date, when every place that gives one agrees: the first place's day (JSON-LD first)."""
        return self.dates[0] if self.dates and not self.conflict else None

    @property
    def conflict(self) -> bool:
        return any(not a.agrees(b) for i, a in enumerate(self.dates) for b in self.dates[i + 1:])


def decode(data: bytes, name: str) -> str:
    """UTF-8 text (a BOM is fine); ArticleError naming the byte and line otherwise."""
    if b"\x00" in data[:4096]:
        raise ArticleError(f"{name} is not a text file (it contains NUL bytes); save the article as text or as a web page")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[:err.start].count(b"\n") + 1
        raise ArticleError(f"{name} is not UTF-8 text (byte 0x{data[err.start]:02x} on line {line}); nothing was "
                           f"added. Re-encode it as UTF-8 first, e.g. iconv -f windows-1252 -t utf-8 {name} > fixed{_suffix(name)}") from None


_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


def decode_page(data: bytes, name: str) -> str:
    """A saved page's text: UTF-8, or the character set the page declares in its <meta> (browsers save a page
    in the encoding it was served in). A page that is neither is refused, as decode() refuses it."""
    try:
        return decode(data, name)
    except ArticleError:
        m = _CHARSET.search(data[:4096])
        if m is None or m.group(1).lower().replace(b"_", b"-") in (b"utf-8", b"utf8"):
            raise
        charset = m.group(1).decode("ascii")
        try:
            return data.decode(charset)
        except LookupError:
            raise ArticleError(f"{name} declares the character set {charset}, which is not known; save the page again "
                               "as UTF-8") from None
        except UnicodeDecodeError as err:
            line = data[:err.start].count(b"\n") + 1
            raise ArticleError(f"{name} is neither UTF-8 nor the {charset} it declares (byte 0x{data[err.start]:02x} on "
                               f"line {line}); save the page again as UTF-8") from None


def _suffix(name: str) -> str:
    m = re.search(r"\.[A-Za-z0-9]+$", name)
    return m.group(0).lower() if m else ""


def read_article(data: bytes, name: str) -> ArticleInfo:
    """The article in `data` (file name `name`, whose suffix says what it is)."""
    suffix = _suffix(name)
    if suffix not in ARTICLE_SUFFIXES:
        raise ArticleError(f"{name}: an article must be {', '.join(ARTICLE_SUFFIXES)} (a text file, Markdown or a "
                           "saved web page)")
    if suffix in (".html", ".htm"):
        return read_html(decode_page(data, name), name)
    text = decode(data, name)
    if suffix == ".md":
        return _checked(read_markdown(text), name)
    return _checked(ArticleInfo(text=text, kind="text"), name)


def _checked(info: ArticleInfo, name: str) -> ArticleInfo:
    if not info.text.strip():
        raise ArticleError(f"{name} holds no text; nothing was added")
    return info


# --- Markdown ---------------------------------------------------------------------------------------

_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_EMPHASIS = re.compile(r"(\*\*|__|\*|_)(?=\S)(.+?)(?<=\S)\1")


def read_markdown(text: str) -> ArticleInfo:
    """The text of a Markdown article without its markup (headings, emphasis, links become plain words), so
    that quotes read as the article reads; its first heading is the headline."""
    lines, headline = [], ""
    for line in text.replace("\r\n", "\n").split("\n"):
        m = re.match(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$", line)
        if m:
            line = m.group(1)
            headline = headline or line
        line = re.sub(r"^\s{0,3}>\s?", "", line)
        line = re.sub(r"^\s*[-*+]\s+", "", line)
        line = _LINK.sub(r"\1", line)
        line = _EMPHASIS.sub(r"\2", line)
        line = line.replace("\\", "") if re.search(r"\\[\\`*_{}\[\]()#+\-.!]", line) else line
        lines.append(line.rstrip())
    return ArticleInfo(text="\n".join(lines).strip() + "\n", kind="markdown", headline=_plain(headline))


# --- web pages --------------------------------------------------------------------------------------

_META_DATES = (  # (attribute, value) of <meta> tags that give the publication date, most specific first
    ("property", "article:published_time"), ("property", "og:published_time"), ("itemprop", "datePublished"),
    ("name", "pubdate"), ("name", "publish-date"), ("name", "date"), ("name", "dc.date.issued"), ("name", "dcterms.created"),
    ("name", "sailthru.date"), ("name", "parsely-pub-date"),
)
_ARTICLE_TYPES = {"article", "newsarticle", "reportagenewsarticle", "analysisnewsarticle", "opinionnewsarticle",
                  "blogposting", "webpage", "report", "scholarlyarticle", "backgroundnewsarticle"}


def _plain(text: str | None) -> str:
    return " ".join(str(text or "").split())


def _found(value: object, where: str) -> FoundDate | None:
    """The day of an ISO date or date-time as written (and its moment, when it has a time zone), or None."""
    text = str(value or "").strip()
    m = re.match(r"^(\d{4})-(\d{2})-(\d{2})", text)
    if not m:
        return None
    try:
        day = date(int(m[1]), int(m[2]), int(m[3])).isoformat()
    except ValueError:
        return None
    try:
        instant = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        instant = None
    return FoundDate(day, where, instant if instant is not None and instant.tzinfo is not None else None)


def _json_ld(tree) -> list[dict]:
    """The objects of the page's JSON-LD blocks (a @graph is unpacked); unreadable blocks are skipped."""
    out: list[dict] = []

    def walk(node) -> None:
        if isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, dict):
            out.append(node)
            walk(node.get("@graph", []))

    for script in tree.xpath('//script[@type="application/ld+json"]'):
        try:
            walk(json.loads(script.text_content() or "null"))
        except ValueError:
            continue
    return out


def _types(obj: dict) -> set[str]:
    kind = obj.get("@type", "")
    return {str(k).lower() for k in (kind if isinstance(kind, list) else [kind])}


def _name(value) -> str:
    if isinstance(value, list):
        return "; ".join(filter(None, (_name(v) for v in value)))
    if isinstance(value, dict):
        return _plain(value.get("name"))
    return _plain(value)


def page_dates(tree, html: str) -> list[FoundDate]:
    """The publication dates a page gives, one per place (JSON-LD, meta tags), on the day; htmldate's
    reading of the markup only when neither gives one. Modification dates are not publication dates."""
    found: list[FoundDate] = []
    for obj in _json_ld(tree):
        if _types(obj) & _ARTICLE_TYPES and (d := _found(obj.get("datePublished"), "the page's JSON-LD (datePublished)")):
            found.append(d)
    for attr, value in _META_DATES:
        for content in tree.xpath(f'//meta[translate(@{attr}, "ABCDEFGHIJKLMNOPQRSTUVWXYZ", '
                                  f'"abcdefghijklmnopqrstuvwxyz")="{value}"]/@content'):
            if d := _found(content, f'the page\'s <meta {attr}="{value}"> tag'):
                found.append(d)
    for node in tree.xpath("//time[@pubdate]/@datetime"):
        if d := _found(node, "the page's <time pubdate> element"):
            found.append(d)
    if not found:
        import htmldate

        day = htmldate.find_date(html, extensive_search=False, original_date=True)
        if d := _found(day, "htmldate's reading of the page's markup"):
            found.append(d)
    seen: dict[str, FoundDate] = {}  # one entry per place
    for d in found:
        seen.setdefault(d.where, d)
    return list(seen.values())


def read_html(html: str, name: str = "page.html") -> ArticleInfo:
    """A saved web page: trafilatura's text of the article, its headline, site, author and address, its dates."""
    import lxml.html
    import trafilatura

    try:
        tree = lxml.html.document_fromstring(html)
    except (ValueError, lxml.etree.ParserError) as err:
        raise ArticleError(f"{name} is not a readable web page ({err}); save the page again as HTML") from None
    doc = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False, include_tables=True)
    text = (getattr(doc, "text", "") or "").strip() if doc is not None else ""
    if not text:
        raise ArticleError(f"{name}: no article text was found in the page; save it again with its text, or copy the "
                           "text into a .txt file and add that")
    ld = [o for o in _json_ld(tree) if _types(o) & _ARTICLE_TYPES]
    headline = _plain(getattr(doc, "title", "")) or next((_plain(o.get("headline")) for o in ld if o.get("headline")), "")
    outlet = _plain(getattr(doc, "sitename", ""))
    if not outlet:
        outlet = next((_name(o.get("publisher")) for o in ld if o.get("publisher")), "")
    author = _plain(getattr(doc, "author", "")) or next((_name(o.get("author")) for o in ld if o.get("author")), "")
    url = ""
    canonical = tree.xpath('//link[@rel="canonical"]/@href') or tree.xpath('//meta[@property="og:url"]/@content')
    if canonical and re.match(r"^https?://[^\s\"'<>]+$", canonical[0].strip()):
        url = canonical[0].strip()
    if headline and not text.startswith(headline):  # the headline is part of the record that quotes are checked against
        text = f"{headline}\n\n{text}"
    return ArticleInfo(text=text + "\n", kind="html", headline=headline, outlet=outlet, author=author, url=url,
                       dates=page_dates(tree, html))
