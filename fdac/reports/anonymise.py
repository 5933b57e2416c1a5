"""Anonymisation for anything that leaves the system for court (DOMAIN.md, court conventions):
children as Child A, Child B (oldest first); parents by their relationship to the children
("the mother", "the father", "the first mother" when two share one); everyone else (judge,
keyworker, practitioners, the author) by initials ("HHJ Eleanor Marsh" -> "HHJ EM").

Pure: plain names and dates in, text out; no Flask, no database. The case's names are
gathered by fdac.reports.case_pseudonyms.pseudonyms_for_case(case).

    names = Pseudonyms(children=[ChildName("Alfie Ashworth", dob)],
                       parents=[ParentName("Kelly Ashworth", "Mother")],
                       others=["HHJ Eleanor Marsh"])
    names.name_for(parent)        # "the mother" (a person with .name, or a name)
    names.apply("Kelly's goals")  # "The mother's goals": full names, then first names and
                                  # surnames alone, whole words, any case, possessives kept
    names.leftover(text)          # ["Kelly"]: the case's names still in `text`
    names.check(text)             # raises AnonymisationError naming what remains

Rules for a name part on its own (a full name is always replaced, whatever its parts):
- a one-letter part, or a two-letter part that is an English word ("An", "Ng" is not one),
  is never replaced alone, so ordinary words are not garbled;
- other two-letter parts ("Jo", "Al") and parts that are everyday words too ("Grace", "Will",
  "Marsh") match only as a name is written, with a capital: "Grace" is replaced, "by grace"
  is not; every other part matches in any case ("KELLY", "kelly");
- titles ("Mr", "HHJ", "Judge") are not names and stay;
- a part several people share (a family's surname) becomes its initial ("Ashworth" -> "A.").
The check uses the same rules, so what apply() leaves, leftover() does not report.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


# Words that head a name but name no one.
TITLES = _word_set(
    "mr mrs ms miss mx dr sir dame lady lord hhj dj judge recorder justice his her honour"
    " honourable professor prof rev"
)
# Two-letter English words: a name part spelt the same is never matched alone.
TWO_LETTER_WORDS = _word_set(
    "an am as at be by do go he hi if in is it me my no of oh ok on or so to up us we ex"
)
# Name parts that are also everyday words: matched alone only when written with a capital.
COMMON_WORDS = _word_set(
    """
    will may june april august summer autumn winter hope faith grace joy dawn rose ruby pearl
    amber daisy lily poppy holly ivy willow hazel heather iris jade sky river star penny
    sunny robin bill bob rob pat sue max jack ray mark frank guy art chance dean earl rich
    nick norman gene miles hunter mason carter cook baker brown green white black grey gray
    young hall hill king wright page wood stone banks bell park ward moss fox bird lamb love
    best knight price cross dale brook reed rice west north south east long short little
    lane hart marsh field quarry oak ash glass hunt wells rivers hay march bishop sharp swift
    strong small noble gold silver major child mother father parent court"""
)
ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth")


@dataclass(frozen=True)
class ChildName:
    name: str
    date_of_birth: date | None


@dataclass(frozen=True)
class ParentName:
    name: str
    relationship: str  # as the case says it: "Mother", "Father", "Step-parent" ...


class AnonymisationError(Exception):
    """An anonymised export would still carry a name from the case: nothing is sent."""

    def __init__(self, names: list[str]):
        self.names = names
        super().__init__(
            "The anonymised export was stopped because it would still name "
            + ", ".join(names)
            + ". Nothing was exported."
        )


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


def _words(name: str) -> list[str]:
    """The name's words without titles: 'HHJ Eleanor Marsh' -> ['Eleanor', 'Marsh']."""
    return [w for w in name.split() if w.strip(".").casefold() not in TITLES]


def initials(name: str) -> str:
    """'Priya Shah' -> 'PS'; 'HHJ Eleanor Marsh' -> 'HHJ EM'; titles are kept as written."""
    words = name.split()
    titles = [w for w in words if w.strip(".").casefold() in TITLES]
    letters = "".join(w[0].upper() for w in _words(name) if w[0].isalpha())
    return " ".join([*titles, letters]) if letters else name


def _untitled(label: str) -> str:
    """'HHJ EM' -> 'EM': a stand-in without the titles initials() kept."""
    words = [w for w in label.split() if w.strip(".").casefold() not in TITLES]
    return " ".join(words) if words and len(words) < len(label.split()) else label


def _letters(n: int) -> str:
    """0 -> 'A', 25 -> 'Z', 26 -> 'AA'."""
    text = ""
    n += 1
    while n:
        n, rest = divmod(n - 1, 26)
        text = chr(ord("A") + rest) + text
    return text


def _parts(name: str) -> list[str]:
    """The parts matched alone: each word, and each piece of a hyphenated one."""
    parts = []
    for word in _words(name):
        word = word.strip(".,")
        parts.append(word)
        if "-" in word:
            parts += [piece for piece in word.split("-") if piece]
    return parts


def _alternative(form: str, case_sensitive: bool) -> str:
    body = r"\s+".join(re.escape(word) for word in form.split())
    return body if case_sensitive else f"(?i:{body})"


class Pseudonyms:
    """The stand-in for each person of a case, and the means to apply and check them."""

    def __init__(
        self,
        children: Iterable[ChildName] = (),
        parents: Iterable[ParentName] = (),
        others: Iterable[str] = (),
    ):
        self._labels: dict[str, str] = {}  # full name (key) -> label
        self._spelling: dict[str, str] = {}  # key -> the case's own spelling
        ordered = sorted(enumerate(children), key=lambda c: (c[1].date_of_birth or date.max, c[0]))
        for n, (_, child) in enumerate(ordered):
            self._add(child.name, f"Child {_letters(n)}")
        parents = list(parents)
        counts: dict[str, int] = {}
        for parent in parents:
            counts[_key(parent.relationship)] = counts.get(_key(parent.relationship), 0) + 1
        seen: dict[str, int] = {}
        for parent in parents:
            role = _key(parent.relationship)
            label = f"the {parent.relationship.strip().lower()}"
            if counts[role] > 1:
                n = seen[role] = seen.get(role, 0) + 1
                word = ORDINALS[n - 1] if n <= len(ORDINALS) else None
                label = f"the {word} {label[4:]}" if word else f"{label} {n}"
            self._add(parent.name, label)
        for name in others:
            if name and name.strip() and _key(name) not in self._labels:
                self._add(name, initials(name))
        self._compile()

    # ------------------------------------------------------------------------ building

    def _add(self, name: str, label: str) -> None:
        name = " ".join(name.split())
        if not name:
            return
        self._labels.setdefault(_key(name), label)
        self._spelling.setdefault(_key(name), name)

    def _compile(self) -> None:
        forms: dict[str, str] = {}  # key of a name or a part -> its replacement
        sensitive: set[str] = set()  # keys matched only as written with a capital
        # Without its titles, a name's stand-in loses them too: "HHJ Marsh" -> "HHJ EM".
        bare = {key: _untitled(label) for key, label in self._labels.items()}
        for key, label in self._labels.items():
            words = _words(self._spelling[key])
            if len(self._spelling[key].split()) > 1:
                forms.setdefault(key, label)
            for full in (" ".join(words), " ".join(words[:1] + words[-1:])):
                if len(full.split()) > 1:
                    forms.setdefault(_key(full), bare[key])
                    self._spelling.setdefault(_key(full), full)
        owners: dict[str, set[str]] = {}
        for key in self._labels:
            for part in _parts(self._spelling[key]):
                owners.setdefault(_key(part), set()).add(bare[key])
                self._spelling.setdefault(_key(part), part)
        for key, labels in owners.items():
            if key in forms:
                continue
            plain = key.replace("’", "'")
            if len(plain) < 2 or len(plain) == 2 and plain in TWO_LETTER_WORDS:
                continue  # "An", "Of" alone: ordinary words, left alone
            if len(plain) == 2 or plain in COMMON_WORDS:
                sensitive.add(key)
            if key in self._labels:  # someone's whole name is this one word
                forms[key] = bare[key]
            elif len(labels) == 1:
                forms[key] = next(iter(labels))
            else:  # a part several people share: a family's surname
                forms[key] = f"{self._spelling[key][0].upper()}."
        self._forms = forms
        alternatives = []
        for key in sorted(forms, key=len, reverse=True):  # the longest form first
            spelling = self._spelling[key]
            if key in sensitive:
                capital = spelling[0].upper() + spelling[1:]
                alternatives += [_alternative(capital, True), _alternative(spelling.upper(), True)]
            else:
                alternatives.append(_alternative(spelling, False))
        self._pattern = (
            re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)")
            if alternatives
            else None
        )

    # -------------------------------------------------------------------------- using

    @property
    def names(self) -> list[str]:
        """Every full name this replaces, as the case spells it."""
        return [self._spelling[key] for key in self._labels]

    def label(self, name: str) -> str:
        """The stand-in for a full name; a name the case does not know gets its initials."""
        return self._labels.get(_key(name)) or initials(" ".join(name.split()))

    def name_for(self, person) -> str:
        """The stand-in for a person (anything with a `.name`) or a name: 'the mother'."""
        if person is None:
            return ""
        return self.label(person if isinstance(person, str) else person.name)

    def apply(self, text: str) -> str:
        """`text` with every name of the case replaced by its stand-in; a stand-in that
        begins a sentence gets a capital ('Kelly to attend' -> 'The mother to attend')."""
        if not text or self._pattern is None:
            return text

        def replace(match: re.Match) -> str:
            label = self._forms[_key(match.group())]
            before = text[: match.start()].rstrip(" \t\"'“‘(")
            if not before or before.endswith((".", "!", "?", "\n")):
                label = label[0].upper() + label[1:]
            return label

        return self._pattern.sub(replace, text)

    def leftover(self, text: str) -> list[str]:
        """The case's names still in `text`, as the case spells them, sorted; [] if none."""
        if not text or self._pattern is None:
            return []
        found = {self._spelling[_key(m.group())] for m in self._pattern.finditer(text)}
        return sorted(found)

    def check(self, text: str) -> None:
        """Raise AnonymisationError naming whatever name of the case `text` still carries."""
        if names := self.leftover(text):
            raise AnonymisationError(names)
