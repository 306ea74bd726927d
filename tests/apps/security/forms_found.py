"""The POST forms of the HTML application, found on its own pages.

Every page of the access matrix is fetched as a user who may see it; every `<form method="post">`
on it is recorded with its target URL and its fields as the browser would send them. The bad
input tests post malformed values to each target, so a new form is tested as soon as a page
shows it, without a hand-kept list.

A field that Django rendered from a form class (its id starts with `id_`) and that is not a
check box, hidden or disabled can be made *certainly invalid*: a value outside a select's or
radio group's options, a NUL byte in a text, letters in a number, one character more than its
maximum length, or a file of binary junk. A submission with such a value must be refused.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

from django.test import Client
from django.urls import Resolver404, resolve, reverse

from .access_matrix import ADMIN, ALLOW, CW, LEAD, MATRIX, ORG, STEER, Entry

# Who fetches a page and posts its forms: the first role the matrix allows.
ROLE_ORDER = (ADMIN, LEAD, CW, ORG, STEER)
# Forms of the page frame (language switch, logout) post to Django's own views: they take no
# user input that can be refused (an unknown language is ignored, as Django does).
FRAME_TARGETS = frozenset({"accounts:set_language", "accounts:logout"})


@dataclass
class FormField:
    name: str
    kind: str  # text, textarea, select, radio, checkbox, hidden, number, date, file, password...
    value: str = ""
    options: list[str] = field(default_factory=list)
    required: bool = False
    maxlength: int | None = None
    from_form_class: bool = False
    disabled: bool = False

    @property
    def corruptible(self) -> bool:
        """A value of this field can be made certainly invalid."""
        if not self.from_form_class or self.disabled:
            return False
        return self.kind not in ("checkbox", "hidden", "submit", "button", "reset", "image")


@dataclass
class FoundForm:
    target: str  # URL path
    name: str  # URL name, "app:view"
    page: str  # where the form was found
    multipart: bool
    fields: dict[str, FormField]

    @property
    def corruptible(self) -> list[FormField]:
        return [f for f in self.fields.values() if f.corruptible]


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[dict[str, Any]] = []
        self._form: dict[str, Any] | None = None
        self._select: FormField | None = None
        self._textarea: FormField | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            self._form = {
                "method": a.get("method", "get").lower(),
                "action": a.get("action", ""),
                "multipart": "multipart" in a.get("enctype", ""),
                "fields": {},
            }
            self.forms.append(self._form)
            return
        if self._form is None or "name" not in a:
            if tag == "option" and self._select is not None:
                self._add_option(a)
            return
        fields: dict[str, FormField] = self._form["fields"]
        name = a["name"]
        common = {
            "required": "required" in a,
            "from_form_class": a.get("id", "").startswith("id_"),
            "disabled": "disabled" in a,
        }
        if tag == "input":
            kind = a.get("type", "text").lower()
            if kind in ("radio", "checkbox") and name in fields:
                # A group (radio buttons, check boxes of a multiple choice): one value is kept.
                fields[name].options.append(a.get("value", "on"))
                if "checked" in a:
                    fields[name].value = a.get("value", "on")
                return
            checked = "checked" in a
            value = a.get("value", "on") if checked else ""
            if kind not in ("checkbox", "radio"):
                value = a.get("value", "")
            fields[name] = FormField(
                name=name,
                kind=kind,
                value=value,
                options=[a.get("value", "on")] if kind in ("radio", "checkbox") else [],
                maxlength=int(a["maxlength"]) if a.get("maxlength", "").isdigit() else None,
                **common,
            )
        elif tag == "select":
            self._select = FormField(name=name, kind="select", **common)
            fields[name] = self._select
        elif tag == "textarea":
            self._textarea = FormField(
                name=name,
                kind="textarea",
                maxlength=int(a["maxlength"]) if a.get("maxlength", "").isdigit() else None,
                **common,
            )
            fields[name] = self._textarea
        elif tag == "option" and self._select is not None:
            self._add_option(a)

    def _add_option(self, a: dict[str, str]) -> None:
        assert self._select is not None
        value = a.get("value", "")
        self._select.options.append(value)
        if "selected" in a or (not self._select.value and not self._select.options[:-1]):
            self._select.value = value

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea.value += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            if self._textarea is not None:
                self._textarea.value = self._textarea.value.removeprefix("\n")
            self._textarea = None


def url_name(path: str) -> str | None:
    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return None
    return match.view_name


def role_for(entry: Entry) -> str | None:
    return next((role for role in ROLE_ORDER if entry.expect[role] == ALLOW), None)


def page_url(name: str, entry: Entry, world: dict[str, Any]) -> str:
    args: list[Any] = [world[key].pk for key in entry.args]
    return reverse(name, args=[*args, *entry.literal_args])


def forms_on(html: str, page: str) -> list[FoundForm]:
    parser = _FormParser()
    parser.feed(html)
    found = []
    for raw in parser.forms:
        if raw["method"] != "post":
            continue
        target = urlsplit(raw["action"] or page).path or urlsplit(page).path
        name = url_name(target)
        if name is None or name in FRAME_TARGETS:
            continue
        fields = {k: v for k, v in raw["fields"].items() if k != "csrfmiddlewaretoken"}
        found.append(FoundForm(target, name, page, raw["multipart"], fields))
    return found


def find_forms(
    world: dict[str, Any], users: dict[str, Any], namespaces: frozenset[str]
) -> dict[str, FoundForm]:
    """The POST forms on the matrix's pages of `namespaces` whose targets are in `namespaces`,
    one per target path, plus every POST-only URL of the matrix there (with no fields): those
    the matrix posts to, and those that answer its GET with 405."""
    clients: dict[str, Client] = {}

    def client(role: str) -> Client:
        if role not in clients:
            clients[role] = Client()
            clients[role].force_login(users[role])
        return clients[role]

    found: dict[str, FoundForm] = {}
    for name, entry in sorted(MATRIX.items()):
        if name.split(":")[0] not in namespaces or name in FRAME_TARGETS:
            continue
        role = role_for(entry)
        if role is None:
            continue
        url = page_url(name, entry, world)
        if entry.method == "post":
            found.setdefault(url, FoundForm(url, name, url, False, {}))
            continue
        if entry.method != "get":
            continue
        response = client(role).get(url)
        if response.status_code == 405:
            # A POST-only URL that the matrix checks with GET: posted with no fields.
            found.setdefault(url, FoundForm(url, name, url, False, {}))
            continue
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        for form in forms_on(response.content.decode(), url):
            if form.name.split(":")[0] in namespaces:
                previous = found.get(form.target)
                if previous is None or (not previous.fields and form.fields):
                    found[form.target] = form
    return found
