"""Reading a PDF back as text, as a person reading it would (poppler's pdftotext)."""

import subprocess


def pdf_text(pdf: bytes, tmp_path) -> str:
    """The PDF's words, whitespace collapsed to single spaces."""
    path = tmp_path / "read-back.pdf"
    path.write_bytes(pdf)
    done = subprocess.run(  # noqa: S603 - a fixed program on a file the test wrote
        ["pdftotext", "-layout", str(path), "-"],  # noqa: S607
        capture_output=True,
        check=True,
        text=True,
    )
    return " ".join(done.stdout.split())
