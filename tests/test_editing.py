"""Who may write: loopback edits, the network needs the editor password, read-only never writes."""
from __future__ import annotations

import pytest
from streamlit import config
from streamlit.testing.v1 import AppTest

from timeline.data.load import ROOT
from views import editing

APP = str(ROOT / "app.py")
CURATE = "views/page_curate.py"


@pytest.fixture
def address():
    """Set streamlit's server.address for the test, as `streamlit run --server.address` would."""
    before = config.get_option("server.address")

    def set_to(value):
        config.set_option("server.address", value)
    yield set_to
    config.set_option("server.address", before)


@pytest.fixture(autouse=True)
def no_password(monkeypatch, data_dir):
    monkeypatch.delenv(editing.ENV_PASSWORD, raising=False)
    monkeypatch.delenv("TIMELINE_READ_ONLY", raising=False)
    monkeypatch.setenv("TIMELINE_DATA", str(data_dir))


def curate() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page(CURATE).run()
    assert not at.exception, at.exception
    return at


def has_form(at) -> bool:
    return any(b.key == "cur_save" for b in at.button)


def unlock(at, password: str) -> None:
    at.text_input(key=editing.FIELD_KEY).input(password)
    next(b for b in at.button if b.label == "Unlock editing").click().run()
    assert not at.exception, at.exception


@pytest.mark.parametrize("value, local", [("127.0.0.1", True), ("127.0.0.2", True), ("::1", True), ("[::1]", True),
                                          ("localhost", True), ("unix:///tmp/s", True), ("0.0.0.0", False),
                                          ("::", False), ("", False), (None, False), ("192.168.1.4", False),
                                          ("example.org", False)])
def test_loopback_addresses(value, local):
    assert editing.is_loopback(value) is local


def test_the_shipped_config_listens_on_loopback():
    import tomllib

    cfg = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert cfg["server"]["address"] == "127.0.0.1"


def test_local_serving_edits_without_a_password(address):
    address("127.0.0.1")
    at = curate()
    assert has_form(at)
    assert not any(b.label == "Unlock editing" for b in at.button)


def test_network_without_password_has_no_write_page(address):
    address("0.0.0.0")
    assert not editing.write_pages_visible()
    at = curate()  # the URL opened directly
    assert not has_form(at)
    assert editing.NO_PASSWORD in [i.value for i in at.info]


def test_network_with_password_unlocks_once(address, monkeypatch):
    address("0.0.0.0")
    monkeypatch.setenv(editing.ENV_PASSWORD, "correct horse")
    at = curate()
    assert not has_form(at)
    unlock(at, "wrong")
    assert [e.value for e in at.error] == [editing.WRONG]
    assert not has_form(at)
    unlock(at, "correct horse")
    assert has_form(at)
    assert "correct horse" not in repr(at.main) and "correct horse" not in str(dict(at.query_params))
    at.run()
    assert has_form(at)  # unlocked for the session


def test_five_wrong_passwords_make_the_session_wait(address, monkeypatch):
    address("0.0.0.0")
    monkeypatch.setenv(editing.ENV_PASSWORD, "secret")
    at = curate()
    for _ in range(editing.MAX_TRIES - 1):
        unlock(at, "nope")
        assert not at.warning
    unlock(at, "nope")
    assert any("wait" in w.value for w in at.warning)
    unlock(at, "secret")  # even the right one waits
    assert not has_form(at)
    assert any("wait" in w.value for w in at.warning)


def test_read_only_beats_the_password(address, monkeypatch):
    address("127.0.0.1")
    monkeypatch.setenv(editing.ENV_PASSWORD, "secret")
    monkeypatch.setenv("TIMELINE_READ_ONLY", "1")
    assert not editing.write_pages_visible()
    at = curate()
    assert not has_form(at)
    assert editing.READ_ONLY in [i.value for i in at.info]
    assert not any(b.label == "Unlock editing" for b in at.button)


def test_password_from_secrets_file_and_missing_file(tmp_path, monkeypatch):
    import streamlit as st

    assert editing.editor_password() is None  # no secrets file here: no error, no password
    secrets = tmp_path / "secrets.toml"
    secrets.write_text('editor_password = "from-file"\n')
    monkeypatch.setattr(config, "get_option", lambda key, _real=config.get_option:
                        [str(secrets)] if key == "secrets.files" else _real(key))
    st.secrets._reset()
    try:
        assert editing.editor_password() == "from-file"
    finally:
        st.secrets._reset()


def test_the_lessons_page_follows_the_same_rules(address, monkeypatch):
    address("0.0.0.0")
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page("views/page_lessons.py").run()
    assert editing.NO_PASSWORD in [i.value for i in at.info]
    assert not any(b.key == "le_save" for b in at.button)
    monkeypatch.setenv(editing.ENV_PASSWORD, "correct horse")
    at.run()
    assert not any(b.key == "le_save" for b in at.button)
    unlock(at, "correct horse")
    assert any(b.key == "le_save" for b in at.button)


@pytest.mark.parametrize("page, form_key", [("views/page_review.py", "ed_undo"), ("views/page_edit.py", "ed_save")])
def test_review_and_edit_follow_the_same_rules(address, monkeypatch, page, form_key):
    def opened():
        at = AppTest.from_file(APP, default_timeout=60)
        at.run()
        at.switch_page(page).run()
        assert not at.exception, at.exception
        return at

    address("0.0.0.0")
    at = opened()
    assert not any(b.key == form_key for b in at.button)
    assert editing.NO_PASSWORD in [i.value for i in at.info]
    monkeypatch.setenv(editing.ENV_PASSWORD, "secret")
    at = opened()
    assert not any(b.key == form_key for b in at.button)
    unlock(at, "secret")
    assert any(b.key == form_key for b in at.button)
    address("127.0.0.1")
    assert any(b.key == form_key for b in opened().button)


def test_the_timelines_detail_links_to_the_editing_pages_only_where_they_are_listed(address):
    def detail_links():
        at = AppTest.from_file(APP, default_timeout=60)
        at.query_params["event"] = "apec-biden-xi"
        at.run()
        assert not at.exception, at.exception
        text = "\n".join(m.value for m in at.markdown)
        return "./edit?event=apec-biden-xi" in text, "./lessons?event=apec-biden-xi" in text

    assert detail_links() == (True, True)  # served locally
    address("0.0.0.0")
    assert detail_links() == (False, False)  # on the network without a password: no page to send anyone to
