"""Numbers people send: only plain digits, and only ids a record could have."""

import pytest
from werkzeug.datastructures import MultiDict

from fdac.db_types import MAX_ID
from fdac.query_args import id_arg, whole_id, whole_number


@pytest.mark.parametrize(
    ("text", "number"),
    [("12", 12), ("0", 0), ("", None), ("²", None), ("-1", None), ("1e3", None), (" 7", None)],
)
def test_a_whole_number_is_plain_ascii_digits(text, number):
    assert whole_number(text) == number


@pytest.mark.parametrize(
    ("text", "found"),
    [("1", 1), (str(MAX_ID), MAX_ID), ("0", None), (str(MAX_ID + 1), None), ("9" * 30, None)],
)
def test_an_id_is_one_a_record_could_have(text, found):
    assert whole_id(text) == found
    assert id_arg(MultiDict({"keyworker": text}), "keyworker") == found
