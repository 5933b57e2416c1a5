"""Rendered HTML anonymised: the names in its text and in the attributes a reader meets are
replaced, escaped text included; markup, class names and styles are left alone."""

import pytest

from fdac.reports.anonymise import ParentName, Pseudonyms
from fdac.reports.anonymise_html import anonymise_html, html_text


@pytest.fixture
def names() -> Pseudonyms:
    return Pseudonyms(
        children=[],
        parents=[ParentName("Siobhan O'Brien", "Mother")],
        others=["HHJ Eleanor Marsh"],
    )


def test_text_and_spoken_attributes_are_replaced_markup_is_not(names):
    html = (
        '<section class="app-marsh" id="obrien-results">'
        '<h2 title="Results of Siobhan O&#39;Brien">Siobhan O&#39;Brien &amp; HHJ Marsh</h2>'
        '<img alt="Chart for Siobhan" src="chart-siobhan.svg"><br/>'
        "</section>"
    )

    out = anonymise_html(html, names)

    assert out == (
        '<section class="app-marsh" id="obrien-results">'
        '<h2 title="Results of the mother">The mother &amp; HHJ EM</h2>'
        '<img alt="Chart for the mother" src="chart-siobhan.svg"><br/>'
        "</section>"
    )
    assert names.leftover(html_text(out)) == []
    assert names.leftover(html_text(html)) != []  # the check reads what a reader reads


def test_styles_and_scripts_are_not_text(names):
    html = "<style>.marsh > p { color: red }</style><p>Marsh</p>"
    assert anonymise_html(html, names) == "<style>.marsh > p { color: red }</style><p>EM</p>"


def test_comments_and_doctype_survive(names):
    html = "<!DOCTYPE html><!-- for Siobhan --><p>x</p>"
    assert anonymise_html(html, names) == html
