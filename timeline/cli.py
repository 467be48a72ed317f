"""Command line: `python -m timeline validate|list ...`."""
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
              "  python -m timeline export --format timelinejs --from 2022 --out timeline.json",
    "list": "examples:\n  python -m timeline list --kind claim\n"
            "  python -m timeline list --from 2023-06 --to 2024-04 --source SOURCE_A,SOURCE_B\n"
            "  python -m timeline list --search \"working group\"",
    "synth": "examples:\n  python -m timeline synth --events 100000 --out /tmp/timeline-100k\n"
             "  python -m timeline synth --events 1000 --out /tmp/small --seed 7\n"
             "  streamlit run app.py -- --data /tmp/timeline-100k",
    "suggest": "examples:\n  python -m timeline suggest new-article.txt --published 2024-05-08\n"
               "  python -m timeline suggest new-article.txt --published 2023-07 --outlet \"City Herald\" --write\n"
               "Relative dates (\"on Tuesday\", \"last year\", \"a year and a half ago\") are resolved against --published.",
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
    lens = "".join(f", {n} {name}" for n, name in ((len(c.relations), "relations"), (len(c.figures), "figures")) if n)
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
                        width=args.width, height=args.height, scale=args.scale)
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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m timeline",
        description="A source-linked timeline: events, each tied to the verbatim passages of the articles that report it.",
        epilog="Run 'python -m timeline COMMAND --help' for a command's options and an example.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
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
                                   "an offline HTML page, CSV or JSON with the citations, or TimelineJS JSON.",
                       epilog=EXAMPLES["export"], formatter_class=argparse.RawDescriptionHelpFormatter)
    _data_arg(p)
    p.add_argument("--format", choices=("png", "svg", "pdf", "html", "csv", "json", "timelinejs"),
                   help="file format (default: from the --out suffix, else png)")
    p.add_argument("--preset", choices=("slide-16x9", "slide-4x3", "a4", "social", "custom"),
                   help="image size: slide-16x9 1920x1080, slide-4x3 1600x1200, a4 landscape, social 1200x675, "
                        "custom (with --width/--height/--scale)")
    p.add_argument("--out", type=Path, metavar="FILE", help="where to write (default: a name from the format)")
    p.add_argument("--title", help="title on the image or page")
    p.add_argument("--subtitle", help='subtitle (default: the view in words; "" for none)')
    p.add_argument("--width", type=int, help="layout width in px (the image is width x scale)")
    p.add_argument("--height", type=int, help="layout height in px")
    p.add_argument("--scale", type=float, help="pixel scale, e.g. 2 for a sharper PNG")
    add_filter_args(p)
    p.set_defaults(func=cmd_export)
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
