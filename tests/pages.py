"""Reading a rendered page as a browser would: its forms (where each posts, what it sends) and its
element ids. ``submit`` presses a form's own button, so a test goes where the page sends it and
cannot pass while the page posts to the wrong place."""

from __future__ import annotations

from collections import Counter, deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit


@dataclass
class Form:
    action: str  # as written in the page ("" posts back to the page itself)
    method: str
    fields: list[tuple[str, str]] = field(default_factory=list)  # what it sends as it stands
    names: set[str] = field(default_factory=set)  # every field name it has
    buttons: list[tuple[str, str, str]] = field(default_factory=list)  # (text, name, value)

    def url(self, page_url: str) -> str:
        return urljoin(page_url, self.action) if self.action else page_url


class _Reader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.ids: list[str] = []
        self.links: list[str] = []
        self._form: Form | None = None
        self._select: str | None = None
        self._options: list[tuple[str, bool]] = []
        self._option_value: str | None = None
        self._textarea: str | None = None
        self._text: list[str] = []
        self._button: dict | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.append(attrs["id"])
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        if tag == "form":
            self._form = Form(attrs.get("action") or "", (attrs.get("method") or "get").lower())
            self.forms.append(self._form)
            return
        form = self._form
        if form is None:
            return
        name = attrs.get("name")
        if tag == "input":
            kind = (attrs.get("type") or "text").lower()
            if kind in {"submit", "button", "image"}:
                self._add_button(attrs.get("value") or "", name, attrs.get("value") or "")
                return
            if name:
                form.names.add(name)
                if kind not in {"checkbox", "radio"} or "checked" in attrs:
                    form.fields.append(
                        (
                            name,
                            attrs.get("value") or ("on" if kind in {"checkbox", "radio"} else ""),
                        )
                    )
        elif tag == "textarea" and name:
            form.names.add(name)
            self._textarea, self._text = name, []
        elif tag == "select" and name:
            form.names.add(name)
            self._select, self._options = name, []
        elif tag == "option" and self._select is not None:
            self._option_value = attrs.get("value")
            self._options.append((attrs.get("value"), "selected" in attrs))
            self._text = []
        elif tag == "button" and (attrs.get("type") or "submit").lower() == "submit":
            self._button = {"name": name, "value": attrs.get("value") or ""}
            self._text = []

    def _add_button(self, text, name, value):
        self._form.buttons.append((" ".join(text.split()), name or "", value))

    def handle_data(self, data):
        self._text.append(data)

    def handle_endtag(self, tag):
        form = self._form
        if tag == "form":
            self._form = None
        elif form is None:
            return
        elif tag == "textarea" and self._textarea is not None:
            form.fields.append((self._textarea, "".join(self._text)))
            self._textarea = None
        elif tag == "option" and self._select is not None and self._options:
            value, selected = self._options[-1]
            if value is None:
                self._options[-1] = ("".join(self._text).strip(), selected)
        elif tag == "select" and self._select is not None:
            chosen = [value for value, selected in self._options if selected]
            if chosen or self._options:
                form.fields.append((self._select, chosen[0] if chosen else self._options[0][0]))
            self._select = None
        elif tag == "button" and self._button is not None:
            self._add_button("".join(self._text), self._button["name"], self._button["value"])
            self._button = None


def read(html: str) -> _Reader:
    reader = _Reader()
    reader.feed(html)
    return reader


def forms_on(html: str) -> list[Form]:
    return read(html).forms


def repeated_ids(html: str) -> list[str]:
    return sorted(id_ for id_, count in Counter(read(html).ids).items() if count > 1)


def form_with_button(html: str, button: str) -> Form:
    """The one form on the page whose button reads ``button``."""
    found = [form for form in forms_on(html) if any(text == button for text, _, _ in form.buttons)]
    buttons = [text for form in forms_on(html) for text, _, _ in form.buttons]
    assert len(found) == 1, f"{len(found)} forms with a {button!r} button; buttons: {buttons}"
    return found[0]


def submit(client, response, button: str, data: dict | None = None, *, follow: bool = False):
    """Press ``button`` on the page ``response`` shows: the form's own fields as rendered, with
    ``data`` typed over them by field label-free name (a field not in the form fails the test,
    as a person could not fill it in), posted where the form posts."""
    page_url = response.wsgi_request.get_full_path()
    form = form_with_button(response.content.decode(), button)
    data = data or {}
    unknown = set(data) - form.names
    assert not unknown, f"the {button!r} form has no {sorted(unknown)}; it has {sorted(form.names)}"
    sent: dict[str, list[str]] = {}
    for name, value in form.fields:
        if name not in data:
            sent.setdefault(name, []).append(value)
    for name, value in data.items():
        sent[name] = [str(v) for v in value] if isinstance(value, list | tuple) else [str(value)]
    for text, name, value in form.buttons:
        if text == button and name:
            sent[name] = [value]
    assert form.method == "post", f"the {button!r} form does not post"
    return client.post(form.url(page_url), sent, follow=follow)


# --- every form posts somewhere that takes it; no page repeats an id ------------------------------


def links_on(html: str) -> list[str]:
    """Where the page's links go (``<a href>``), as written."""
    return read(html).links


def _described(form: Form) -> str:
    buttons = [text for text, _, _ in form.buttons if text]
    return f"the form with {buttons[0]!r}" if buttons else f"the form posting to {form.action!r}"


def page_problems(html: str, page_url: str) -> list[str]:
    """What a browser would trip over on this page: a form posting where nothing takes a POST (a
    page that only shows things would drop what was typed), a form without its CSRF token (the
    POST is refused), an element id used twice (a label or link finds the wrong element)."""
    from django.urls import Resolver404, resolve

    problems = []
    for form in forms_on(html):
        if form.method != "post":
            continue
        target = urlsplit(urljoin(_SITE + page_url, form.url(page_url)))
        if target.netloc != urlsplit(_SITE).netloc:
            problems.append(f"{_described(form)} posts off the site, to {target.geturl()}")
            continue
        try:
            match = resolve(target.path)
        except Resolver404:
            problems.append(f"{_described(form)} posts to {target.path}, which is no page")
            continue
        declared = getattr(match.func, "access", None)
        if declared is None or not declared.accepts("POST"):
            problems.append(
                f"{_described(form)} posts to {target.path} ({match.view_name}), which does not "
                "take a POST"
            )
        if "csrfmiddlewaretoken" not in form.names:
            problems.append(f"{_described(form)} has no CSRF token")
    problems += [f"the id {id_!r} is on more than one element" for id_ in repeated_ids(html)]
    return problems


_SITE = "http://testserver"


@dataclass
class Walk:
    """What ``walk`` saw: every page it checked, and what is wrong on each (``page: problem``)."""

    pages: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    left_out: int = 0  # links not followed: the same kind of page seen often enough, or the cap


def walk(
    client,
    start: str = "/",
    *,
    skip: frozenset[str] = frozenset(),
    per_view: int = 2,
    limit: int = 250,
) -> Walk:
    """Follow the links a user can follow from ``start`` (same site, GET), checking each HTML page
    with ``page_problems``; a link to no page, or one the user is refused (403, 404), is a problem
    too. Views named in ``skip`` (downloads, sign-out) are not visited; each kind of page is visited
    at most ``per_view`` times (its first links found, breadth first: a few cases stand for every
    case), and ``limit`` pages in all."""
    from django.urls import Resolver404, resolve

    done = Walk()
    queue: deque[str] = deque()
    offered: set[str] = set()
    per: Counter[tuple] = Counter()

    def offer(href: str, on_page: str) -> None:
        url = urlsplit(urljoin(_SITE + on_page, href.strip()))
        if url.scheme not in {"http", "https"} or url.netloc != urlsplit(_SITE).netloc:
            return
        address = url.path + (f"?{url.query}" if url.query else "")
        if address in offered or url.path.startswith(("/static/", "/admin/", "/media/")):
            return
        offered.add(address)
        try:
            match = resolve(url.path)
        except Resolver404:
            done.problems.append(f"{on_page}: a link goes to {address}, which is no page")
            return
        if match.view_name in skip:
            return
        # The kind of page: its view, and any word in its address (the S-DASH form and the DASH
        # form are two kinds; case 12 and case 13 are one).
        kind = (match.view_name, *(v for v in match.kwargs.values() if not isinstance(v, int)))
        if per[kind] >= per_view:
            done.left_out += 1
            return
        per[kind] += 1
        queue.append(address)

    offer(start, start)
    while queue and len(done.pages) < limit:
        address = queue.popleft()
        response = client.get(address)
        if response.status_code in {301, 302, 303, 307, 308}:
            offer(response["Location"], address)
            continue
        if response.status_code != 200:
            done.problems.append(
                f"{address}: a link leads here, and it answers {response.status_code}"
            )
            continue
        if not response.get("Content-Type", "").startswith("text/html"):
            continue
        done.pages.append(address)
        html = response.content.decode()
        done.problems += [f"{address}: {problem}" for problem in page_problems(html, address)]
        for href in links_on(html):
            offer(href, address)
    done.left_out += len(queue)
    return done
