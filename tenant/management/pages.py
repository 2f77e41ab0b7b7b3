"""Auth0's pagination: page and per_page (offset), or from and take (checkpoint), with or without totals."""

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Query

MAX_PER_PAGE = 100
DEFAULT_PER_PAGE = 50


@dataclass(frozen=True)
class Paging:
    """The page asked for."""

    page: int
    per_page: int
    include_totals: bool

    @property
    def start(self) -> int:
        """The index of the first item of the page."""
        return self.page * self.per_page

    def answer(self, key: str, items: list, total: int | None = None) -> dict | list:
        """The page of `items` in Auth0's body: `items` are all of them, or (with `total`) the page already."""
        shown = items[self.start:self.start + self.per_page] if total is None else items
        total = len(items) if total is None else total
        if not self.include_totals:
            return shown
        return {"start": self.start, "limit": self.per_page, "length": len(shown), "total": total, key: shown}


def paging(page: Annotated[int, Query(ge=0, le=1000)] = 0,
           per_page: Annotated[int, Query(ge=1, le=MAX_PER_PAGE)] = DEFAULT_PER_PAGE,
           include_totals: bool = False) -> Paging:
    """The page and per_page query parameters."""
    return Paging(page, per_page, include_totals)


Page = Annotated[Paging, Depends(paging)]


@dataclass(frozen=True)
class Checkpoint:
    """A checkpoint page (from, take): `next` names where the following one starts."""

    start: int
    take: int

    def answer(self, key: str, items: list) -> dict:
        """The items from `start`, and `next` when more follow."""
        shown = items[self.start:self.start + self.take]
        body: dict = {key: shown}
        if self.start + self.take < len(items):
            body["next"] = str(self.start + self.take)
        return body


def checkpoint(from_: Annotated[str | None, Query(alias="from", max_length=16, pattern=r"^[0-9]*$")] = None,
               take: Annotated[int, Query(ge=1, le=MAX_PER_PAGE)] = DEFAULT_PER_PAGE) -> Checkpoint:
    """The from and take query parameters."""
    return Checkpoint(int(from_) if from_ else 0, take)


Checkpointed = Annotated[Checkpoint, Depends(checkpoint)]
