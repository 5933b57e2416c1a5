"""What every page shares: messages after an action, and the navigation."""

from flask import flash, render_template_string


def test_several_messages_show_one_per_line_and_escaped(app):
    with app.test_request_context():
        flash("Court closed on 3 March 2027.")
        flash("<b>2 reviews moved</b>")
        html = render_template_string('{% extends "layout.html" %}{% block title %}T{% endblock %}')
    assert '<p class="govuk-notification-banner__heading">Court closed on 3 March 2027.</p>' in html
    assert "&lt;b&gt;2 reviews moved&lt;/b&gt;" in html
    assert "&lt;br&gt;" not in html


def test_the_navigation_marks_the_section_a_page_is_in():
    from fdac.templating import is_current

    settings = {"href": "/team/settings", "text": "Settings", "also": ["/court", "/team/targets"]}
    home = {"href": "/", "text": "Home"}
    assert is_current(settings, "/court/closures/new")
    assert is_current(settings, "/team/targets")
    assert not is_current(settings, "/teams")
    assert is_current(home, "/") and not is_current(home, "/cases")
