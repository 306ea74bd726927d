"""Checks of the Danish interface against the translation catalogues (no browser needed here).

- English text: a visible text (or a title, aria-label or placeholder) that is exactly an
  English msgid of a catalogue, whose Danish msgstr differs, was not translated.
- Plural forms: "1 værelser" or "1 rooms" — a count of one followed by a word that only the
  plural form of a catalogue entry uses.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
_FORMAT = re.compile(r"%(\([^)]*\))?[sd]|\{[^}]*\}")
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


_ESCAPE = re.compile(r"\\(.)")
_ESCAPED = {"n": "\n", "t": "\t", "r": "\r"}


def _unquote(lines: list[str]) -> str:
    """The text of a catalogue entry's quoted lines, its C escapes (``\\"``, ``\\\\``,
    ``\\n`` …) read; any other character, Danish letters included, as it stands."""
    text = "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', "\n".join(lines)))
    return _ESCAPE.sub(lambda m: _ESCAPED.get(m.group(1), m.group(1)), text)


def _entries(path: Path) -> list[dict[str, str]]:
    entries: list[dict[str, str]] = []
    current: dict[str, list[str]] = {}
    key = ""
    for raw in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        line = raw.strip()
        if not line:
            if current:
                entries.append({k: _unquote(v) for k, v in current.items()})
            current, key = {}, ""
            continue
        if line.startswith("#"):
            continue
        match = re.match(r"(msgctxt|msgid_plural|msgid|msgstr\[\d\]|msgstr)\s+(.*)", line)
        if match:
            key = match.group(1)
            current[key] = [match.group(2)]
        elif key:
            current[key].append(line)
    return entries


def catalogues() -> list[Path]:
    return [
        *sorted(ROOT.glob("src/anvis/*/locale/da/LC_MESSAGES/django.po")),
        ROOT / "locale/da/LC_MESSAGES/django.po",
    ]


@cache
def english_texts() -> frozenset[str]:
    """Every English msgid that a user would read as English (the Danish differs; more than
    one word, or one word of four letters or more, so "OK" or "CSV" pass)."""
    out = set()
    for path in catalogues():
        for e in _entries(path):
            for msgid, msgstr in (
                (e.get("msgid", ""), e.get("msgstr", e.get("msgstr[0]", ""))),
                (e.get("msgid_plural", ""), e.get("msgstr[1]", "")),
            ):
                if (
                    not msgid
                    or not msgstr
                    or msgid == msgstr
                    or _FORMAT.search(msgid.replace("%%", ""))
                ):
                    continue
                if " " in msgid.strip() or len(msgid.strip()) >= 4:
                    out.add(msgid.strip().replace("%%", "%"))
    return frozenset(out)


@cache
def plural_only_words() -> frozenset[str]:
    """Words that only the plural form of a plural entry uses (Danish and English)."""
    out = set()
    for path in catalogues():
        for e in _entries(path):
            if "msgid_plural" not in e:
                continue
            for one, many in (
                (e.get("msgid", ""), e.get("msgid_plural", "")),
                (e.get("msgstr[0]", ""), e.get("msgstr[1]", "")),
            ):
                singular = {w.lower() for w in _WORD.findall(_FORMAT.sub(" ", one))}
                for word in _WORD.findall(_FORMAT.sub(" ", many)):
                    if word.lower() not in singular and len(word) > 2:
                        out.add(word.lower())
    return frozenset(out)


_ONE = re.compile(r"(?<![\w.,])1 ([^\W\d_]+)", re.UNICODE)


def untranslated(texts: list[str]) -> list[str]:
    english = english_texts()
    return sorted({t for t in (x.strip() for x in texts) if t in english})


def wrong_plurals(texts: list[str]) -> list[str]:
    plurals = plural_only_words()
    found = set()
    for text in texts:
        for match in _ONE.finditer(text):
            if match.group(1).lower() in plurals:
                found.add(match.group(0))
    return sorted(found)


VISIBLE_TEXTS_JS = """() => {
  const out = [];
  const visible = (el) => !!(el && (el.offsetWidth || el.offsetHeight || el.getClientRects().length));
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const p = n.parentElement;
    if (!p || ['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE'].includes(p.tagName)) continue;
    if (p.closest('code, kbd, samp, pre')) continue;  // file columns, commands: literal
    const t = n.textContent.replace(/\\s+/g, ' ').trim();
    if (t && visible(p)) out.push(t);
  }
  for (const el of document.querySelectorAll('[title], [aria-label], [placeholder]')) {
    for (const a of ['title', 'aria-label', 'placeholder']) {
      const v = el.getAttribute(a);
      if (v) out.push(v.trim());
    }
  }
  out.push(document.title);
  return out;
}"""
