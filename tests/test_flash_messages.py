"""Messages after an action show as sentences, each escaped, never as markup."""

from flask import flash, render_template_string


def test_several_messages_show_one_per_line_and_escaped(app):
    with app.test_request_context():
        flash("Court closed on 3 March 2027.")
        flash("<b>2 reviews moved</b>")
        html = render_template_string('{% extends "layout.html" %}{% block title %}T{% endblock %}')
    assert '<p class="govuk-notification-banner__heading">Court closed on 3 March 2027.</p>' in html
    assert "&lt;b&gt;2 reviews moved&lt;/b&gt;" in html
    assert "&lt;br&gt;" not in html
