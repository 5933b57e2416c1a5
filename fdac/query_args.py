"""Numbers read from what people send (query strings, form values, command arguments): a value
no record could have is no value, never an error from the database or a crash on '²'."""

from fdac.db_types import MAX_ID


def whole_number(text: str) -> int | None:
    """'12' -> 12; anything but plain ASCII digits (say '²', '-1', '1e3') -> None."""
    return int(text) if text.isascii() and text.isdigit() else None


def whole_id(text: str) -> int | None:
    """An id written in `text`, or None when it is not one or is past any id."""
    number = whole_number(text)
    return number if number is not None and 1 <= number <= MAX_ID else None


def id_arg(args, name: str) -> int | None:
    """The id in `args[name]`, or None when there is none or it is past any id."""
    return whole_id(args.get(name, ""))
