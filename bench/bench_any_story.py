"""Time starting a story, adding saved web pages and importing a TimelineJS sheet.

    .venv/bin/python bench/bench_any_story.py [--pages 20] [--rows 2000]

Prints: `new`; reading one saved page (trafilatura text and metadata, dates) and adding it (median of
--pages pages, each a different article so none is refused as a copy); a page of about 1 MB; and importing a
TimelineJS sheet of --rows rows into a new story.
"""
from __future__ import annotations

import argparse
import csv
import io
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from timeline.curation.addarticle import Facts, add_article_file  # noqa: E402
from timeline.curation.article import read_article  # noqa: E402
from timeline.curation.newstory import new_story  # noqa: E402
from timeline.curation.timelinejs_in import TEMPLATE, import_timelinejs  # noqa: E402

PAGE = (Path(__file__).resolve().parent.parent / "tests" / "data" / "articles" / "dated.html").read_text()


def page(n: int, paragraphs: int = 0) -> bytes:
    extra = "".join(f"<p>Paragraph {i} of article {n}: the port authority and the association met again to talk "
                    f"about the fees, and each side said the other had moved too little.</p>" for i in range(paragraphs))
    return PAGE.replace("</article>", f"<p>Article number {n}.</p>{extra}</article>").encode()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=int, default=20)
    ap.add_argument("--rows", type=int, default=2000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        folder = new_story(Path(tmp) / "s", "Bench").folder
        print(f"new: {(time.perf_counter() - t) * 1000:.1f} ms")
        reads, adds = [], []
        for n in range(args.pages):
            data = page(n)
            t = time.perf_counter()
            read_article(data, "p.html")
            reads.append(time.perf_counter() - t)
            t = time.perf_counter()
            add_article_file(folder, data, "p.html", Facts(source_id=f"p{n}"))
            adds.append(time.perf_counter() - t)
        print(f"read a saved page ({len(page(0)):,} bytes): median {statistics.median(reads) * 1000:.1f} ms; "
              f"read and add it: median {statistics.median(adds) * 1000:.1f} ms (of {args.pages})")
        big = page(10_000, paragraphs=4500)
        t = time.perf_counter()
        add_article_file(folder, big, "big.html", Facts(source_id="big"))
        print(f"add a page of {len(big) / 1e6:.1f} MB: {(time.perf_counter() - t):.2f} s")
        buffer = io.StringIO()
        w = csv.writer(buffer)
        w.writerow(TEMPLATE)
        for i in range(args.rows):
            w.writerow([str(1900 + i % 120), str(i % 12 + 1), "", "", "", "", "", "", "", f"Event {i}", f"<p>Text {i}</p>",
                        "", "", "", "", "", "", f"Group {i % 7}", ""])
        sheet = Path(tmp) / "sheet.csv"
        sheet.write_text(buffer.getvalue())
        t = time.perf_counter()
        result = import_timelinejs(sheet, Path(tmp) / "imported")
        print(f"import a TimelineJS sheet of {args.rows:,} rows: {(time.perf_counter() - t):.2f} s "
              f"({len(result.imported.rows):,} review rows, {len(result.categories_added)} categories)")


if __name__ == "__main__":
    main()
