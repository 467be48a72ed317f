"""Uploads land inside the data folder under a plain name, whatever name or size the visitor sends."""
from __future__ import annotations

import os
import tomllib
from pathlib import Path

import pytest

from timeline.data.load import ROOT
from timeline.uploads import (ACCEPTED, MAX_NAME, MAX_UPLOAD_MB, UnsafeUpload, check_size, safe_name, safe_target,
                              write_upload)

MB = 1024 * 1024


@pytest.mark.parametrize("name, expected", [
    ("../../etc/passwd.txt", "passwd.txt"),
    ("..\\..\\windows\\win.ini.txt", "win.ini.txt"),
    ("/etc/passwd.csv", "passwd.csv"),
    ("C:\\x.md", "x.md"),
    ("C:x.md", "C-x.md"),
    ("//server/share/a.json", "a.json"),
    ("a\x00b.txt", "ab.txt"),
    ("a\x01\x1f\x7fb.txt", "ab.txt"),
    ("line\nbreak.txt", "linebreak.txt"),
    ("Report 2024 (final).TXT", "Report-2024-final.txt"),
    ("Süddeutsche Zeitung.html", "Suddeutsche-Zeitung.html"),
    ("日本語の記事.txt", "file.txt"),
    ("ｆｕｌｌ．ｔｘｔ", "full.txt"),
    ("..txt", "file.txt"),
    (".hidden.md", "hidden.md"),
    ("CON.txt", "file-CON.txt"),
    ("  spaced.txt  ", "spaced.txt"),
])
def test_names_become_plain_file_names(name, expected):
    assert safe_name(name) == expected


@pytest.mark.parametrize("name", ["", ".", "..", "...", "/", "../", "..\\", "\x00", " "])
def test_a_name_without_a_name_is_refused_in_one_sentence(name):
    with pytest.raises(UnsafeUpload, match="has no file name"):
        safe_name(name)


@pytest.mark.parametrize("name", ["../../etc/passwd", "C:\\x", "run.exe", "page.php", "x.txt.exe", "x.txt.", "archive",
                                  "x.html\x00.sh"])
def test_other_kinds_of_file_are_refused(name):
    with pytest.raises(UnsafeUpload, match="not one of the accepted kinds of file") as err:
        safe_name(name)
    assert "\x00" not in str(err.value) and len(str(err.value)) < 200


def test_long_names_are_cut_to_a_hundred_characters_and_keep_their_suffix():
    name = safe_name("a" * 1000 + ".html")
    assert len(name) == MAX_NAME and name.endswith(".html")
    with pytest.raises(UnsafeUpload) as err:  # a suffix of 1000 characters is no known kind, and is not echoed whole
        safe_name("a." + "b" * 1000)
    assert len(str(err.value)) < 200


def test_every_accepted_suffix_is_kept():
    for suffix in ACCEPTED:
        assert safe_name("x" + suffix.upper()) == "x" + suffix


def test_targets_stay_inside_the_folder(tmp_path):
    for name in ("../../etc/passwd.txt", "/etc/passwd.txt", "..\\..\\x.txt", "C:\\x.txt"):
        target = safe_target(tmp_path, "articles", name)
        assert target.parent == (tmp_path / "articles").resolve()


def test_a_sub_folder_leading_out_is_refused(tmp_path):
    with pytest.raises(UnsafeUpload, match="not inside the data folder"):
        safe_target(tmp_path / "data", "../elsewhere", "a.txt")
    with pytest.raises(UnsafeUpload, match="not inside the data folder"):
        safe_target(tmp_path / "data", "/etc", "a.txt")


def test_a_symlink_inside_pointing_out_is_not_written_through(tmp_path):
    data, outside = tmp_path / "data", tmp_path / "outside"
    (data / "articles").mkdir(parents=True)
    outside.mkdir()
    (data / "articles" / "a.txt").symlink_to(outside / "a.txt")  # dangling, pointing out
    (outside / "b.txt").write_text("keep")
    (data / "articles" / "b.txt").symlink_to(outside / "b.txt")
    for name in ("a.txt", "b.txt"):
        with pytest.raises(UnsafeUpload, match="a link of that name"):
            safe_target(data, "articles", name)
    (data / "linked").symlink_to(outside, target_is_directory=True)  # the folder itself leads out
    with pytest.raises(UnsafeUpload, match="not inside the data folder"):
        write_upload(data, "linked", "c.txt", b"x")
    assert sorted(p.name for p in outside.iterdir()) == ["b.txt"] and (outside / "b.txt").read_text() == "keep"


def test_size_at_the_cap_passes_and_one_byte_over_is_refused():
    check_size(b"x" * (MAX_UPLOAD_MB * MB))
    with pytest.raises(UnsafeUpload, match=f"the limit is {MAX_UPLOAD_MB} MB"):
        check_size(b"x" * (MAX_UPLOAD_MB * MB + 1))


def test_the_cap_is_the_servers_upload_limit():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["maxUploadSize"] == MAX_UPLOAD_MB


def test_write_upload_writes_inside_and_never_replaces_a_file(tmp_path):
    first = write_upload(tmp_path, "articles", "../../Story.txt", b"one")
    assert first == (tmp_path / "articles" / "Story.txt").resolve() and first.read_bytes() == b"one"
    second = write_upload(tmp_path, "articles", "Story.txt", b"two")
    third = write_upload(tmp_path, "articles", "/tmp/Story.txt", b"three")
    assert (second.name, third.name) == ("Story-2.txt", "Story-3.txt")
    assert [p.read_bytes() for p in (first, second, third)] == [b"one", b"two", b"three"]
    assert sorted(os.listdir(tmp_path / "articles")) == ["Story-2.txt", "Story-3.txt", "Story.txt"]  # no temp files


def test_write_upload_refuses_before_writing_anything(tmp_path):
    with pytest.raises(UnsafeUpload):
        write_upload(tmp_path, "articles", "big.txt", b"x" * (MAX_UPLOAD_MB * MB + 1))
    with pytest.raises(UnsafeUpload):
        write_upload(tmp_path, "articles", "tool.exe", b"x")
    assert not (tmp_path / "articles").exists() or not os.listdir(tmp_path / "articles")


def test_write_upload_skips_a_link_of_the_next_name(tmp_path):
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "a.txt").write_text("old")
    (tmp_path / "articles" / "a-2.txt").symlink_to(tmp_path / "elsewhere.txt")
    path = write_upload(tmp_path, "articles", "a.txt", b"new")
    assert path.name == "a-3.txt" and not (tmp_path / "elsewhere.txt").exists()
    assert (tmp_path / "articles" / "a.txt").read_text() == "old"


def test_a_failed_write_leaves_no_part_file(tmp_path, monkeypatch):
    def broken(*args):
        raise OSError("disk full")

    monkeypatch.setattr(os, "fsync", broken)
    with pytest.raises(OSError):
        write_upload(tmp_path, "articles", "a.txt", b"x")
    assert os.listdir(tmp_path / "articles") == []
