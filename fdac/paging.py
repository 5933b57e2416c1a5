"""Paging a list already in memory, with the attributes the pagination macro reads
(the same names as Flask-SQLAlchemy's Pagination); and cutting work into chunks."""

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from math import ceil

from fdac.query_args import whole_number


@dataclass(frozen=True)
class ListPage:
    all_items: Sequence
    page: int
    per_page: int

    @classmethod
    def of(cls, items: Sequence, page_arg: str | None, per_page: int) -> "ListPage":
        pages = max(ceil(len(items) / per_page), 1)
        page = whole_number(page_arg or "") or 1
        return cls(items, min(max(page, 1), pages), per_page)

    @property
    def total(self) -> int:
        return len(self.all_items)

    @property
    def items(self) -> Sequence:
        start = (self.page - 1) * self.per_page
        return self.all_items[start : start + self.per_page]

    @property
    def pages(self) -> int:
        return max(ceil(self.total / self.per_page), 1)

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1

    def iter_pages(self, left_edge=1, left_current=1, right_current=2, right_edge=1) -> Iterator:
        """Page numbers to show, with None for a gap (as Flask-SQLAlchemy's does)."""
        last = 0
        for num in range(1, self.pages + 1):
            if (
                num <= left_edge
                or self.page - left_current <= num <= self.page + right_current
                or num > self.pages - right_edge
            ):
                if last + 1 != num:
                    yield None
                yield num
                last = num


# Bound parameters per statement stay far below SQLite's limit (32,766), and memory stays flat.
CHUNK = 5000


def in_chunks(values: Sequence, size: int = CHUNK) -> Iterable[Sequence]:
    for start in range(0, len(values), size):
        yield values[start : start + size]
