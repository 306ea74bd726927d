"""The browser tests' reader of the translation catalogues (`tests/e2e/language.py`) reads every
entry, escaped quotes and Danish letters together included: one such entry made every page check
fail with a decoding error."""

from __future__ import annotations

from tests.e2e.language import _entries, _unquote, catalogues


def test_escapes_are_read_and_danish_letters_kept() -> None:
    lines = ['""', '"et anførselstegn (\\") i linjen, "', '"to (\\"\\") og \\\\ og\\n"']
    assert _unquote(lines) == 'et anførselstegn (") i linjen, to ("") og \\ og\n'


def test_every_catalogue_is_read() -> None:
    entries = [e for path in catalogues() for e in _entries(path)]
    assert len(entries) > 1000
    assert any('anførselstegn (")' in e.get("msgstr", "") for e in entries)
