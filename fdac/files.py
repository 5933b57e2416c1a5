"""Files the app writes for people to keep (exports, backups): whole or not at all."""

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO


@contextmanager
def atomic_file(destination: Path | str) -> Iterator[BinaryIO]:
    """A file to write that appears at `destination` only when the block finishes: it is
    written to a hidden `.part` file beside it, flushed to disk, then renamed into place (a
    rename within one folder is atomic). A failure removes the `.part`; a process killed
    part-way leaves at most the `.part`, never a truncated file at `destination`."""
    destination = Path(destination)
    handle, temporary = tempfile.mkstemp(
        prefix=f".{destination.name}.", suffix=".part", dir=destination.parent
    )
    try:
        with os.fdopen(handle, "wb") as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, destination)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_atomically(destination: Path | str, content: bytes) -> None:
    with atomic_file(destination) as out:
        out.write(content)
