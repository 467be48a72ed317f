"""The command line: output, exit codes and help, run as a user would."""
import os
import subprocess
import sys

import pytest

from shipped import N_CLAIMS, N_EVENTS
from timeline.cli import build_parser, main
from timeline.data.load import ROOT

BROKEN = ROOT / "tests" / "data" / "example-broken"


def run(*args):
    env = {**os.environ, "COLUMNS": "100"}  # the text is wrapped to the terminal's width
    return subprocess.run([sys.executable, "-m", "timeline", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=120, env=env)


def test_validate_passes_on_shipped_data():
    r = run("validate")
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == (f"OK: {N_EVENTS} events, 64 citations, 5 sources, 13 relations, 14 figures, 2 lessons; 1839 to 2024. "
                                "Every quote was found in its article.")


def test_the_shipped_story_passes_the_writing_lint():
    r = run("validate", "--strict")
    assert r.returncode == 0, r.stderr
    assert "warning" not in r.stderr


def test_validate_lists_every_problem_and_exits_1():
    r = run("validate", "--data", str(BROKEN))
    assert r.returncode == 1
    lines = r.stderr.splitlines()
    assert lines[0] == f"4 problems in {BROKEN}:"
    assert lines[1] == ('  events.csv row 2, column start: "2019-13" has no month 13. '
                        "Fix: use YYYY, YYYY-MM or YYYY-MM-DD, e.g. 2019, 2019-04 or 2019-04-01.")
    assert lines[2] == '  events.csv row 4, column kind: "rumour" is not a kind. Fix: write one of claim, context, event, statistic.'
    assert lines[3].startswith("  citations.csv row 3, column quote: the quote is not in seeds/004_d286d3589c386401.txt. "
                               'Fix: copy it verbatim from the article; the closest passage is "On January 30, 2024,')
    assert lines[4] == ('  events.csv row 3, column id: event "working-group-launch" has no citation that could be verified. '
                        "Fix: correct its rows in citations.csv (see the problems listed there).")
    assert "Traceback" not in r.stderr


def test_validate_missing_folder_is_a_message_not_a_traceback(tmp_path):
    r = run("validate", "--data", str(tmp_path / "nowhere"))
    assert r.returncode == 1
    assert "vocabulary.csv: the file is missing. Fix: create vocabulary.csv or point --data at the folder that has it." in r.stderr
    assert "Traceback" not in r.stderr


def test_list_filters_like_the_dashboard():
    r = run("list", "--kind", "claim", "--from", "2024-04-10")
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines()[0].startswith("between 23 October 2022 and 8 May 2024")  # a bounded claim reaches April 2024
    assert "\nc. 2024 " in r.stdout  # and year-precision claims overlap it
    assert "[claim] House report: “no evidence” of new Chinese" in r.stdout
    assert r.stdout.rstrip().endswith(f"9 of {N_EVENTS} events. Events of kind claim, from 10 April 2024 on.")


def test_list_everything_in_date_order():
    r = run("list")
    assert r.returncode == 0
    assert r.stdout.startswith("1839 – 1860")
    assert "Opium Wars" in r.stdout and r.stdout.rstrip().endswith(f"{N_EVENTS} of {N_EVENTS} events. All events, no filters.")


def test_list_rejects_bad_filter_values():
    r = run("list", "--kind", "rumour", "--from", "2019-13")
    assert r.returncode == 2
    assert 'Error: Unusable kind "rumour": there is no such kind.' in r.stderr
    assert "Error: Unusable from=2019-13" in r.stderr


def test_list_on_broken_data_points_to_validate():
    r = run("list", "--data", str(BROKEN))
    assert r.returncode == 1
    assert "has 4 problem(s); run 'python -m timeline validate' to list them" in r.stderr
    assert "Traceback" not in r.stderr


@pytest.mark.parametrize("command", [None, "validate", "list", "export", "lesson", "review", "undo"])
def test_every_command_has_help_with_an_example(command, capsys):
    args = [command, "--help"] if command else ["--help"]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "usage: python -m timeline" in out
    assert "--data" in out or command is None
    if command:
        assert f"python -m timeline {command}" in out.split("example")[-1]


def test_every_subcommand_is_covered_by_the_help_test():
    sub = next(a for a in build_parser()._actions if a.dest == "command")
    assert set(sub.choices) <= {"validate", "list", "export", "synth", "suggest", "new", "add-article",
                                "import-timelinejs", "lesson", "review", "undo"}


def test_export_png_with_filters_and_alt_text(tmp_path):
    out = tmp_path / "claims.png"
    r = run("export", "--format", "png", "--preset", "social", "--kind", "claim", "--out", str(out))
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines()[0].startswith(f"Wrote {out} (Social media card (1200 × 675 px), {N_CLAIMS} of {N_EVENTS} events, ")
    data = out.read_bytes()
    assert (int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")) == (1200, 675)
    alt = (tmp_path / "claims.png.alt.txt").read_text(encoding="utf-8")
    assert f"{N_CLAIMS} claims" in alt


@pytest.mark.parametrize("fmt, suffix, start", [("csv", ".csv", b"\xef\xbb\xbfevent_id"), ("timelinejs", ".json", b"{"),
                                                 ("html", ".html", b"<!DOCTYPE html>")])
def test_export_text_formats(tmp_path, fmt, suffix, start):
    out = tmp_path / f"view{suffix}"
    r = run("export", "--format", fmt, "--source", "cgtn", "--out", str(out))
    assert r.returncode == 0, r.stderr
    assert out.read_bytes().startswith(start)


def test_export_html_writes_and_prints_the_embed_snippet(tmp_path):
    out = tmp_path / "story.html"
    r = run("export", "--format", "html", "--out", str(out))
    assert r.returncode == 0, r.stderr
    snippet = (tmp_path / "story.embed.html").read_text(encoding="utf-8")
    assert snippet.startswith('<iframe src="story.html"') and snippet.strip() in r.stdout


def test_export_format_from_suffix_and_bad_values(tmp_path):
    r = run("export", "--out", str(tmp_path / "x.svg"), "--from", "2024")
    assert r.returncode == 0 and (tmp_path / "x.svg").read_text(encoding="utf-8").lstrip().startswith("<svg")
    r = run("export", "--out", str(tmp_path / "x.docx"))
    assert r.returncode == 1 and 'Error: cannot tell the format from' in r.stderr
    r = run("export", "--format", "png", "--preset", "custom", "--width", "10", "--out", str(tmp_path / "y.png"))
    assert r.returncode == 1 and r.stderr.startswith("Error: ") and "Traceback" not in r.stderr


def test_lesson_command_lists_and_writes_the_three_files(tmp_path):
    from timeline.cli import main

    assert main(["lesson"]) == 0
    assert main(["lesson", "how-the-2022-suspension-is-told", "--out", str(tmp_path)]) == 0
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == [f"how-the-2022-suspension-is-told-{n}" for n in ("handout.pdf", "slides.pptx", "worksheet.pdf")]
    assert all(p.stat().st_size > 10_000 for p in tmp_path.iterdir())
    assert main(["lesson", "no-such-lesson"]) == 2


def test_export_takes_the_pages_scale_and_the_print_presets():
    args = build_parser().parse_args(["export", "--format", "pdf", "--preset", "letter-portrait", "--axis", "order"])
    assert (args.axis, args.preset) == ("order", "letter-portrait")
    assert build_parser().parse_args(["export"]).axis is None  # whichever labels more
    with pytest.raises(SystemExit):
        build_parser().parse_args(["export", "--axis", "log"])
