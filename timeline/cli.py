"""Command line: `python -m timeline new|add-article|import-timelinejs|validate|list ...`."""
from __future__ import annotations

import argparse
import shutil
import sys
import textwrap
from pathlib import Path

from timeline.data.chronology import Chronology
from timeline.filters import LANE_CHOICES, ViewState, filter_events
from timeline.data.load import ROOT, read_data
from timeline.data.models import Kind
from timeline.data.problems import DataError

EXAMPLES = {
    "validate": "examples:\n  python -m timeline validate --data ~/my-story\n"
                "  python -m timeline validate --strict    # warnings fail too, e.g. before publishing",
    "export": "examples:\n  python -m timeline export --format png --preset slide-16x9 --out timeline.png\n"
              "  python -m timeline export --format pdf --preset a4 --kind claim --out claims.pdf\n"
              "  python -m timeline export --format timelinejs --from 2022 --out timeline.json\n"
              "  python -m timeline export --format annotations --out passages.jsonld\n"
              "  python -m timeline export --format csl --out sources.json",
    "list": "examples:\n  python -m timeline list --kind claim\n"
            "  python -m timeline list --from 2023-06 --to 2024-04 --source SOURCE_A,SOURCE_B\n"
            "  python -m timeline list --search \"working group\"",
    "lesson": "examples:\n  python -m timeline lesson                       # list the lessons of lessons.csv\n"
              "  python -m timeline lesson how-the-2022-suspension-is-told --out handouts/",
    "synth": "examples:\n  python -m timeline synth --events 100000 --out /tmp/timeline-100k\n"
             "  python -m timeline synth --events 1000 --out /tmp/small --seed 7\n"
             "  streamlit run app.py -- --data /tmp/timeline-100k",
    "new": "examples:\n  python -m timeline new ~/harbour-story --title \"The harbour dispute\"\n"
           "  python -m timeline add-article ~/harbour-story saved-page.html\n"
           "  streamlit run app.py -- --data ~/harbour-story",
    "add-article": "examples:\n  python -m timeline add-article ~/harbour-story saved-page.html\n"
                   "  python -m timeline add-article ~/harbour-story notes.txt --outlet \"City Herald\" --published 2024-03-12\n"
                   "  python -m timeline add-article ~/harbour-story page.html --published 2024-02-05 --suggest\n"
                   "What the file does not say (outlet, publication date) must be given; the command says which option.",
    "import-timelinejs": "examples:\n  python -m timeline import-timelinejs sheet.csv --out ~/harbour-story\n"
                         "  python -m timeline import-timelinejs timeline.json --out ~/harbour-story --title \"The harbour dispute\"",
    "suggest": "examples:\n  python -m timeline suggest new-article.txt --published 2024-05-08\n"
               "  python -m timeline suggest new-article.txt --published 2023-07 --outlet \"City Herald\" --write\n"
               "Relative dates (\"on Tuesday\", \"last year\", \"a year and a half ago\") are resolved against --published.",
    "review": "examples:\n  python -m timeline review --data ~/my-story",
    "undo": "examples:\n  python -m timeline undo --data ~/my-story    # after a save in the app you did not mean",
}


def _data_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--data", type=Path, default=ROOT, metavar="DIR",
                   help="data folder with events.csv, citations.csv, vocabulary.csv and seeds/ (default: %(default)s)")


def add_filter_args(p: argparse.ArgumentParser) -> None:
    """The dashboard's filters as options; lists are comma-separated or repeated."""
    g = p.add_argument_group("filters (the same as the dashboard's)")
    g.add_argument("--from", dest="from_", metavar="DATE", help="only events that reach DATE or later (YYYY, YYYY-MM or YYYY-MM-DD)")
    g.add_argument("--to", metavar="DATE", help="only events that begin by DATE")
    g.add_argument("--category", action="append", metavar="SLUG", help="categories from vocabulary.csv, e.g. diplomacy")
    g.add_argument("--actor", action="append", metavar="SLUG", help="actors from vocabulary.csv (its actor rows)")
    g.add_argument("--kind", action="append", metavar="KIND", help=f"one of {', '.join(k.value for k in Kind)}")
    g.add_argument("--source", action="append", metavar="ID", help="source ids from seeds/sources.csv (its id column)")
    g.add_argument("--search", metavar="TEXT", help="words that must all appear in the title, summary or quotes")
    g.add_argument("--lanes", choices=LANE_CHOICES, help="how events are grouped into lanes")
    g.add_argument("--event", metavar="ID", help="an event to select")


def view_from_args(args: argparse.Namespace, chronology: Chronology) -> ViewState:
    """The view state the options describe; a bad value is an error, not a guess."""
    params: dict[str, list[str] | str] = {}
    for name in ("category", "actor", "kind", "source"):
        if getattr(args, name):
            params[name] = getattr(args, name)
    for name, attr in (("from", "from_"), ("to", "to"), ("q", "search"), ("lanes", "lanes"), ("event", "event")):
        if getattr(args, attr, None):
            params[name] = getattr(args, attr)
    state, notices = ViewState.from_query_params(params, chronology)
    if notices:
        raise SystemExit(_fail([n.replace("Ignored", "Unusable", 1) for n in notices], code=2))
    return state


def _fail(lines: list[str], code: int = 1) -> int:
    for line in lines:
        print(f"Error: {line}", file=sys.stderr)
    return code


def load_or_exit(folder: Path) -> Chronology:
    result = read_data(folder)
    if result.problems:
        raise DataError(result.problems)
    return result.chronology


def cmd_validate(args: argparse.Namespace) -> int:
    from timeline.data.lint import lint

    result = read_data(args.data)
    warnings = lint(result, args.data)
    if result.problems:
        n = len(result.problems)
        print(f"{n} problem{'s' if n != 1 else ''} in {args.data}:", file=sys.stderr)
        for p in result.problems:
            print(f"  {p}", file=sys.stderr)
        _print_warnings(warnings)
        return 1
    c = result.chronology
    lo, hi = c.date_range or (None, None)
    span = f"; {lo.year} to {hi.year}" if lo else ""
    lens = "".join(f", {n} {name}" for n, name in ((len(c.relations), "relations"), (len(c.figures), "figures"),
                                                   (len(c.lessons), "lessons")) if n)
    print(f"OK: {len(c.events)} events, {len(c.passages)} citations, {len(c.sources)} source{'s' if len(c.sources) != 1 else ''}"
          f"{lens}{span}. Every quote was found in its article.", flush=True)
    _print_warnings(warnings)
    if warnings and args.strict:
        n = len(warnings)
        print(f"Failed: --strict counts the {n} warning{'s' if n != 1 else ''} as errors.", file=sys.stderr)
        return 1
    return 0


def _print_warnings(warnings: list) -> None:
    """The warnings on stderr, each on its own line after "warning:", under their count."""
    if not warnings:
        return
    n = len(warnings)
    print(f"{n} warning{'s' if n != 1 else ''} (the data is valid; these point at writing to check):", file=sys.stderr)
    for w in warnings:
        print(f"warning: {w}", file=sys.stderr)


def cmd_list(args: argparse.Namespace) -> int:
    c = load_or_exit(args.data)
    state = view_from_args(args, c)
    rows = filter_events(c.frame, state)
    width = max(60, min(120, shutil.get_terminal_size((100, 20)).columns))
    date_w = max([len(d) for d in rows["date_label"]] + [4]) if len(rows) else 4
    indent = " " * (date_w + 2)
    for _, r in rows.iterrows():
        kind = "" if r["kind"] == "event" else f"[{r['kind']}] "
        head = textwrap.wrap(kind + r["title"], width - date_w - 2) or [""]
        print(f"{r['date_label']:<{date_w}}  {head[0]}")
        for line in head[1:]:
            print(indent + line)
        who = f"claimed by {r['claimed_by']}; " if r["claimed_by"] and r["kind"] == "claim" else ""
        for line in textwrap.wrap(f"{who}reported by {', '.join(r['outlets'])}", width - date_w - 4):
            print(indent + "  " + line)
    print(f"\n{len(rows)} of {len(c.events)} events. {state.describe(c)}.")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from timeline.outputs.export import FORMATS, PRESETS, ChromiumMissing, ExportError, RenderFailed, export, stop_renderer

    c = load_or_exit(args.data)
    state = view_from_args(args, c)
    fmt = args.format or (args.out.suffix.lstrip(".").lower() if args.out else "png")
    if fmt not in FORMATS:
        return _fail([f'cannot tell the format from "{args.out}": add --format ({", ".join(FORMATS)})'])
    preset = args.preset or ("a4" if fmt == "pdf" else "slide-16x9")
    try:
        result = export(c, state, fmt, preset, title=args.title, subtitle=args.subtitle,
                        width=args.width, height=args.height, scale=args.scale, axis=args.axis)
    except (ExportError, ChromiumMissing, RenderFailed) as err:
        return _fail([str(err)])
    finally:
        stop_renderer()
    out = args.out or Path(result.filename)
    out.write_bytes(result.data)
    n = len(filter_events(c.frame, state))
    size = f"{PRESETS[preset].label}, " if fmt in ("png", "svg", "pdf") else ""
    print(f"Wrote {out} ({size}{n} of {len(c.events)} events, {len(result.data):,} bytes).")
    if result.alt_text and fmt in ("png", "svg", "pdf"):
        alt = out.with_name(out.name + ".alt.txt")
        alt.write_text(result.alt_text + "\n", encoding="utf-8")
        print(f"Alt text in {alt}.")
    if result.embed:
        from timeline.outputs.publish import embed_snippet

        snippet = embed_snippet(out.name, (args.title or "").strip() or c.story.title)
        embed = out.with_name(out.stem + ".embed.html")
        embed.write_text(snippet, encoding="utf-8")
        print(f"To put the page into another (it takes its height from the page), paste this; it is also in {embed}:\n")
        print(snippet)
    return 0


def cmd_lesson(args: argparse.Namespace) -> int:
    """List the lessons, or write one lesson's slides, handout and student worksheet."""
    from timeline.present.deck import lesson_pptx
    from timeline.present.handout import lesson_handout_pdf
    from timeline.present.steps import FontMissing, lesson_by_id
    from timeline.present.worksheet import worksheet_pdf

    c = load_or_exit(args.data)
    if not args.lesson:
        if not c.lessons:
            print("No lessons: add lessons.csv to the data folder (see README.md, Classroom lessons).")
        for lesson in c.lessons:
            print(f"{lesson.id}  {lesson.title}  ({len(lesson.steps)} steps)")
        return 0
    if lesson_by_id(c, args.lesson) is None:
        known = ", ".join(x.id for x in c.lessons) or "none in lessons.csv"
        return _fail([f'no lesson has the id "{args.lesson}" (lessons: {known})'], code=2)
    args.out.mkdir(parents=True, exist_ok=True)
    try:
        files = {"slides.pptx": lesson_pptx(c, args.lesson, args.theme), "handout.pdf": lesson_handout_pdf(c, args.lesson),
                 "worksheet.pdf": worksheet_pdf(c, args.lesson)}
    except FontMissing as err:
        return _fail([str(err)])
    for name, data in files.items():
        path = args.out / f"{args.lesson}-{name}"
        path.write_bytes(data)
        print(f"Wrote {path} ({len(data):,} bytes).")
    return 0


def cmd_synth(args: argparse.Namespace) -> int:
    import time

    from timeline.data.synth import write_folder

    if args.events < 1:
        return _fail(["--events must be at least 1"], code=2)
    if (args.out / "events.csv").exists() and not args.force:
        return _fail([f"{args.out} already holds a data folder; choose another --out, or add --force to overwrite it"])
    if args.out.resolve() == ROOT.resolve():
        return _fail(["--out is the project's own data folder; choose another"])
    started = time.perf_counter()
    counts = write_folder(args.out, args.events, seed=args.seed)
    print(f"Wrote {args.out}: {counts['events']:,} events, {counts['citations']:,} citations, {counts['sources']:,} "
          f"sources (seed {args.seed}, {time.perf_counter() - started:.1f} s). "
          f"Check it with: python -m timeline validate --data {args.out}")
    return 0


def cmd_suggest(args: argparse.Namespace) -> int:
    from timeline.curation.intake import command

    return command(args)


def cmd_new(args: argparse.Namespace) -> int:
    from pydantic import ValidationError

    from timeline.curation.newstory import StoryExists, new_story

    try:
        made = new_story(args.folder, args.title, subtitle=args.subtitle or "", language=args.language)
    except StoryExists as err:
        return _fail([str(err)])
    except ValidationError as err:
        e = err.errors()[0]
        return _fail([f"--{e['loc'][0] if e['loc'] else 'title'}: {e['msg']}"], code=2)
    except OSError as err:
        return _fail([f"cannot write {args.folder} ({err.strerror or err})"])
    print(f"Started “{args.title}” in {made.folder}: {', '.join(p.relative_to(made.folder).as_posix() for p in made.files)}.")
    print(f"Next: python -m timeline add-article {made.folder} ARTICLE.html (or .txt, .md), then add events on the "
          f"Curate page: streamlit run app.py -- --data {made.folder}")
    return 0


def cmd_add_article(args: argparse.Namespace) -> int:
    from timeline.curation.addarticle import command

    return command(args)


def cmd_import_timelinejs(args: argparse.Namespace) -> int:
    from timeline.curation.timelinejs_in import command

    return command(args)


def cmd_review(args: argparse.Namespace) -> int:
    from timeline.curation.review import command_review

    return command_review(args)


def cmd_undo(args: argparse.Namespace) -> int:
    from timeline.curation.review import command_undo

    return command_undo(args)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m timeline",
        description="A source-linked timeline: events, each tied to the verbatim passages of the articles that report it.",
        epilog="Run 'python -m timeline COMMAND --help' for a command's options and an example.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    p = sub.add_parser("new", help="start a story: an empty, valid data folder",
                       description="Write story.toml, the tables with their headers, a starter vocabulary, seeds/ "
                                   "(with sources.csv) and review/ into DIR. Refused if DIR already holds a story.",
                       epilog=EXAMPLES["new"], formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("folder", type=Path, metavar="DIR", help="the folder to start the story in (created if need be)")
    p.add_argument("--title", required=True, help="the story's title, shown on every page and export")
    p.add_argument("--subtitle", help="a subtitle")
    p.add_argument("--language", default="en", help="language tag of the story's text (default: %(default)s)")
    p.set_defaults(func=cmd_new)
    p = sub.add_parser("add-article", help="bring an article (.txt, .md, saved .html page) into a story",
                       description="Read the article (for a web page: its text, headline, site, author, address and "
                                   "publication date, with where the date was found), save its text in seeds/ and "
                                   "describe it in seeds/sources.csv. What the file does not say must be given as "
                                   "options; nothing is guessed.",
                       epilog=EXAMPLES["add-article"], formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("folder", type=Path, metavar="DIR", help="the story's data folder")
    p.add_argument("file", type=Path, metavar="FILE", help="the article: .txt, .md or .html (UTF-8)")
    p.add_argument("--outlet", help="the outlet that published it (default: the page's site name)")
    p.add_argument("--published", metavar="DATE", help="publication date YYYY-MM-DD, YYYY-MM or YYYY (default: the page's own)")
    p.add_argument("--published-certainty", choices=("stated", "inferred"), default="stated",
                   help="whether the article states its date or it was worked out (default: %(default)s)")
    p.add_argument("--published-note", metavar="TEXT", help="how the publication date is known (needed when inferred)")
    p.add_argument("--headline", help="the headline (default: the page's, or the first substantial line)")
    p.add_argument("--url", help="the article's address (default: the page's canonical link)")
    p.add_argument("--outlet-description", metavar="TEXT", help="a label for attribution, e.g. \"regional daily newspaper\"")
    p.add_argument("--id", metavar="SLUG", help="id for the source (default: from the outlet)")
    p.add_argument("--suggest", action="store_true",
                   help="also propose its dates as candidate events in review/SOURCE-ID.csv, as suggest --write does")
    p.set_defaults(func=cmd_add_article)
    p = sub.add_parser("import-timelinejs", help="read a TimelineJS sheet (.csv) or JSON into a story, for review",
                       description="Read a Knight Lab TimelineJS spreadsheet saved as CSV, or TimelineJS JSON. The story "
                                   "in --out is started if need be; the rows go to review/NAME.csv, where each waits for "
                                   "a verbatim passage. Dates keep their precision, Display Date goes into date_note, "
                                   "Group becomes the category, the title row names the story, eras become context rows.",
                       epilog=EXAMPLES["import-timelinejs"], formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("timeline", type=Path, metavar="SHEET.csv|timeline.json")
    p.add_argument("--out", type=Path, required=True, metavar="DIR", help="the story's data folder (started if need be)")
    p.add_argument("--title", help="the story's title when it is started (default: the timeline's title row)")
    p.set_defaults(func=cmd_import_timelinejs)
    p = sub.add_parser("validate", help="check a data folder: every row, date, id and quote",
                       description="Check every table and every quote of a data folder; list all problems, then the "
                                   "warnings about how events are written (they fail only with --strict).",
                       epilog=EXAMPLES["validate"], formatter_class=argparse.RawDescriptionHelpFormatter)
    _data_arg(p)
    p.add_argument("--strict", action="store_true",
                   help="exit 1 when there are warnings too (a claim that does not name its claimant, a loaded word, "
                        "a relation note that quotes neither event, an unanswered request left uncited)")
    p.set_defaults(func=cmd_validate)
    p = sub.add_parser("list", help="print the chronology, filtered like the dashboard",
                       description="Print the chronology as readable text, with the dashboard's filters.",
                       epilog=EXAMPLES["list"], formatter_class=argparse.RawDescriptionHelpFormatter)
    _data_arg(p)
    add_filter_args(p)
    p.set_defaults(func=cmd_list)
    p = sub.add_parser("export", help="write the filtered timeline as an image, a page or data",
                       description="Write the filtered view as PNG, SVG or PDF (with a credit line and alt text), "
                                   "an offline HTML page, CSV or JSON with the citations, TimelineJS JSON, W3C Web Annotations "
                                   "of the passages or CSL-JSON of the sources.",
                       epilog=EXAMPLES["export"], formatter_class=argparse.RawDescriptionHelpFormatter)
    _data_arg(p)
    p.add_argument("--format", choices=("png", "svg", "pdf", "html", "csv", "json", "timelinejs", "annotations", "csl"),
                   help="file format (default: from the --out suffix, else png); annotations: W3C Web Annotation "
                        "JSON-LD of every passage; csl: CSL-JSON of the articles cited")
    p.add_argument("--preset", choices=("slide-16x9", "slide-4x3", "a4", "letter", "a4-portrait", "letter-portrait", "social",
                                         "custom"),
                   help="image size: slide-16x9 1920x1080, slide-4x3 1600x1200, a4 or letter landscape (PDF), "
                        "a4-portrait or letter-portrait (PDF, the timeline down the page, as many pages as needed), "
                        "social 1200x675, custom (with --width/--height/--scale)")
    p.add_argument("--out", type=Path, metavar="FILE", help="where to write (default: a name from the format)")
    p.add_argument("--title", help="title on the image or page")
    p.add_argument("--subtitle", help='subtitle (default: the view in words; "" for none)')
    p.add_argument("--width", type=int, help="layout width in px (the image is width x scale)")
    p.add_argument("--height", type=int, help="layout height in px")
    p.add_argument("--scale", type=float, help="pixel scale, e.g. 2 for a sharper PNG")
    p.add_argument("--axis", choices=("calendar", "order"),
                   help="the image's time axis, as the page's scale= option: calendar dates, or events evenly spaced "
                        "in date order (default: whichever gives more events a label at the preset's type size)")
    add_filter_args(p)
    p.set_defaults(func=cmd_export)
    p = sub.add_parser("lesson", help="list the classroom lessons, or write one's slides, handout and worksheet",
                       description="Without an id, list the lessons of lessons.csv. With one, write its PowerPoint "
                                   "deck, its PDF handout and its student worksheet (PDF) into --out.",
                       epilog=EXAMPLES["lesson"], formatter_class=argparse.RawDescriptionHelpFormatter)
    _data_arg(p)
    p.add_argument("lesson", nargs="?", metavar="ID", help="the lesson's id (its lesson_id column)")
    p.add_argument("--out", type=Path, default=Path("."), metavar="DIR", help="folder for the three files (default: here)")
    p.add_argument("--theme", choices=("light", "dark"), default="light", help="the slides' theme (default: %(default)s)")
    p.set_defaults(func=cmd_lesson)
    p = sub.add_parser("suggest", help="propose dated events from a new article, for review",
                       description="Find the date expressions in a new article, resolve them against its publication "
                                   "date, and print each candidate with its precision, certainty, reasoning and the "
                                   "sentence to quote. With --write, copy the article into seeds/, describe it in "
                                   "seeds/sources.csv and put the candidates in review/SOURCE-ID.csv (never in events.csv).",
                       epilog=EXAMPLES["suggest"], formatter_class=argparse.RawDescriptionHelpFormatter)
    _data_arg(p)
    p.add_argument("article", type=Path, metavar="ARTICLE.txt", help="the article's text (UTF-8)")
    p.add_argument("--published", required=True, metavar="DATE",
                   help="publication date: YYYY-MM-DD, or YYYY-MM when only the month is known")
    p.add_argument("--published-certainty", choices=("stated", "inferred"), default="stated",
                   help="whether the article states its date or it was worked out (default: %(default)s)")
    p.add_argument("--published-note", metavar="TEXT", help="how the publication date is known (needed when inferred)")
    p.add_argument("--outlet", help="the outlet that published it, as it names itself (needed with --write)")
    p.add_argument("--outlet-description", metavar="TEXT", help="a label for attribution, e.g. \"US conservative news website\"")
    p.add_argument("--headline", help="the headline (default: the article's first substantial line)")
    p.add_argument("--url", help="the article's address, if known")
    p.add_argument("--id", metavar="SLUG", help="id for the source (default: from the outlet)")
    p.add_argument("--write", action="store_true",
                   help="add the article to seeds/ and seeds/sources.csv and the candidates to review/SOURCE-ID.csv")
    p.set_defaults(func=cmd_suggest)
    p = sub.add_parser("synth", help="generate a valid data folder of N made-up events, for benchmarks",
                       description="Write a complete data folder of generated events (vocabulary, one generated "
                                   "article per 50 events, events of every kind and precision, citations whose quotes "
                                   "occur in the articles). The same --seed gives the same files.",
                       epilog=EXAMPLES["synth"], formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--events", type=int, required=True, metavar="N", help="how many events, e.g. 100000")
    p.add_argument("--out", type=Path, required=True, metavar="DIR", help="the folder to write (created if need be)")
    p.add_argument("--seed", type=int, default=42, help="random seed (default: %(default)s)")
    p.add_argument("--force", action="store_true", help="overwrite a data folder already in DIR")
    p.set_defaults(func=cmd_synth)
    p = sub.add_parser("review", help="list the candidates left in review/*.csv",
                       description="List, sheet by sheet, the candidate events in review/*.csv that have no decision "
                                   "yet (accepted, merged or dismissed on the app's Review page; kept in review/decisions.csv).")
    p.epilog, p.formatter_class = EXAMPLES["review"], argparse.RawDescriptionHelpFormatter
    _data_arg(p)
    p.set_defaults(func=cmd_review)
    p = sub.add_parser("undo", help="undo the app's last save to the tables",
                       description="Put events.csv, citations.csv, relations.csv and figures.csv back as they were before "
                                   "the last save made on the Curate, Review or Edit page. Refused if a table changed since.")
    p.epilog, p.formatter_class = EXAMPLES["undo"], argparse.RawDescriptionHelpFormatter
    _data_arg(p)
    p.set_defaults(func=cmd_undo)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:  # --help, or a usage error argparse has already explained
        return int(exit_.code or 0)
    try:
        return args.func(args)
    except DataError as err:
        return _fail([f"the data in {getattr(args, 'data', ROOT)} has {len(err.problems)} problem(s); "
                      "run 'python -m timeline validate' to list them"] + [str(p) for p in err.problems[:5]])
    except SystemExit as exit_:
        return int(exit_.code or 0)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # e.g. piped into `head`: stop quietly
        import os
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
