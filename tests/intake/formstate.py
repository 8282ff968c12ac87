"""Read back what a rendered HTML form would submit, to prove nothing typed was lost."""

from __future__ import annotations

from html.parser import HTMLParser


class _FormState(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, list[str]] = {}
        self._select: str | None = None
        self._textarea: str | None = None
        self._text: list[str] = []

    def _add(self, name: str, value: str) -> None:
        self.values.setdefault(name, []).append(value)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v or "") for k, v in attrs}
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self._add(name, a.get("value", "on"))
            elif kind not in ("submit", "button"):
                self._add(name, a.get("value", ""))
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in a:
            self._add(self._select, a.get("value", ""))
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea:
            self._add(self._textarea, "".join(self._text).strip("\r\n"))
            self._textarea = None


def form_values(html: str) -> dict[str, list[str]]:
    parser = _FormState()
    parser.feed(html)
    return parser.values


def assert_round_trip(html: str, posted: dict) -> None:
    """Every non-empty posted value is in the rendered form under the same name (but the
    button that sent it: the reporter's form's "step")."""
    shown = form_values(html)
    for name, value in posted.items():
        if name == "step":
            continue
        wanted = value if isinstance(value, list) else [value]
        wanted = [v for v in wanted if v not in ("", None)]
        if not wanted:
            continue
        got = shown.get(name, [])
        if wanted == ["on"]:
            assert got, f"{name}: checkbox not checked again"
            continue
        assert sorted(got) == sorted(wanted), f"{name}: typed {wanted!r}, shown {got!r}"
