"""What a reader meets in a page of HTML (its text, and the attributes shown or read aloud):
`html_text` reads it, for the check that no name is left; `anonymise_html` replaces the names
in it by their stand-ins, leaving the markup as it was.

`anonymise_html` is for HTML not rendered with pseudonyms in its context, such as the summary
frozen into an issued court document. Text is unescaped before the names are looked for
("O'Brien" is stored as "O&#39;Brien") and escaped again after; styles and scripts are left
alone. Pure: no Flask.
"""

from html import escape
from html.parser import HTMLParser

from fdac.reports.anonymise import Pseudonyms

# The attributes a reader meets: shown (alt, title, placeholder, value) or read aloud.
SPOKEN = ("alt", "title", "aria-label", "aria-description", "placeholder", "value")
RAW = ("style", "script")  # their content is not text


class _Text(HTMLParser):
    """The words a reader meets in a page: its text, and the attributes read aloud or shown
    (alt, title, aria-label); not its markup, class names or styles."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in RAW:
            self._hidden += 1
        self.parts += [value for name, value in attrs if name in SPOKEN and value]

    def handle_endtag(self, tag):
        if tag in RAW and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)


def html_text(html: str) -> str:
    """The words of `html` a reader meets, one part a line."""
    parser = _Text()
    parser.feed(html)
    parser.close()
    return "\n".join(parser.parts)


class _Rewriter(HTMLParser):
    def __init__(self, names: Pseudonyms):
        super().__init__(convert_charrefs=True)
        self.names = names
        self.out: list[str] = []
        self._raw = 0

    def _tag(self, tag: str, attrs, closed: bool) -> str:
        original = self.get_starttag_text() or ""
        if not any(name in SPOKEN and value for name, value in attrs):
            return original
        parts = [tag]
        for name, value in attrs:
            if value is None:
                parts.append(name)
                continue
            shown = self.names.apply(value) if name in SPOKEN else value
            parts.append(f'{name}="{escape(shown, quote=True)}"')
        return "<" + " ".join(parts) + (" />" if closed else ">")

    def handle_starttag(self, tag, attrs):
        if tag in RAW:
            self._raw += 1
        self.out.append(self._tag(tag, attrs, closed=False))

    def handle_startendtag(self, tag, attrs):
        self.out.append(self._tag(tag, attrs, closed=True))

    def handle_endtag(self, tag):
        if tag in RAW and self._raw:
            self._raw -= 1
        self.out.append(f"</{tag}>")

    def handle_data(self, data):
        if self._raw:
            self.out.append(data)
        else:
            self.out.append(escape(self.names.apply(data), quote=False))

    def handle_comment(self, data):
        self.out.append(f"<!--{data}-->")

    def handle_decl(self, decl):
        self.out.append(f"<!{decl}>")

    def handle_pi(self, data):
        self.out.append(f"<?{data}>")


def anonymise_html(html: str, names: Pseudonyms) -> str:
    """`html` with every name of `names` in its text and spoken attributes replaced."""
    rewriter = _Rewriter(names)
    rewriter.feed(html)
    rewriter.close()
    return "".join(rewriter.out)
