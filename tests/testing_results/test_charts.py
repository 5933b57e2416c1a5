"""The charts on a parent's results page, read as a worker, a judge or a screen reader would.

Series are built from samples through interpret_series, as the page builds them; the SVG is
parsed as XML and inspected for what a user relies on: which charts appear, which marker sits
where, what each marker's tooltip says, what the coverage strip covers.
"""

import dataclasses
import re
import xml.etree.ElementTree as ET  # noqa: S405 (parsing our own output)
from datetime import date, timedelta
from decimal import Decimal

import pytest
from markupsafe import Markup

from fdac.dates import uk_date
from testing_results import panels
from testing_results.charts import MIN_CELL, coverage_strip, coverage_table, group_charts
from testing_results.interpret import (
    Coverage,
    CoverageRow,
    Reading,
    Sample,
    Status,
    SubstanceReading,
    coverage,
    interpret_series,
)
from testing_results.panels import Matrix, Substance, SubstanceGroup

S = Substance
G = SubstanceGroup
SVG = "{http://www.w3.org/2000/svg}"
START, END = date(2026, 3, 1), date(2026, 4, 30)


def oral_fluid(day: date, **answers: Reading) -> Sample:
    """An oral fluid screen: cocaine and cannabis negative unless told otherwise."""
    return Sample(
        Matrix.ORAL_FLUID,
        day,
        readings=tuple(
            SubstanceReading(s, screen=answers.get(s.name.lower(), Reading.NEGATIVE))
            for s in (S.COCAINE, S.CANNABIS)
        ),
    )


def peth(day: date, value) -> Sample:
    return Sample(Matrix.PETH, day, value=Decimal(str(value)))


def charts_for(*samples: Sample, start=START, end=END, id_prefix="p1"):
    charts = group_charts(interpret_series(samples), start, end, id_prefix=id_prefix)
    return {chart.group: chart for chart in charts}


def parse(svg) -> ET.Element:
    return ET.fromstring(str(svg))  # noqa: S314 (our own output)


def markers(root: ET.Element) -> list[tuple[ET.Element, str]]:
    """Every drawn thing with a tooltip, and the tooltip's text."""
    return [
        (el, title.text or "")
        for el in root.iter()
        if el is not root and (title := el.find(f"{SVG}title")) is not None
    ]


def shape(el: ET.Element) -> str:
    if el.tag == f"{SVG}polygon":
        return f"polygon with {len(el.get('points').split())} corners"
    return el.tag.removeprefix(SVG)


def centre(el: ET.Element) -> tuple[float, float]:
    """The middle of a marker's bounding box."""
    if el.tag == f"{SVG}circle":
        return float(el.get("cx")), float(el.get("cy"))
    if el.tag == f"{SVG}rect":
        return (
            float(el.get("x")) + float(el.get("width")) / 2,
            float(el.get("y")) + float(el.get("height")) / 2,
        )
    numbers = [float(n) for n in re.findall(r"-?[\d.]+", el.get("points") or el.get("d"))]
    xs, ys = numbers[0::2], numbers[1::2]
    return (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2


def lane_label_y(root: ET.Element, label: str) -> float:
    (text,) = [t for t in root.iter(f"{SVG}text") if t.text == label]
    return float(text.get("y")) - 4  # the label's baseline sits just below the lane's middle


# ------------------------------------------------------------------------------ group charts


def test_only_groups_with_a_result_in_the_period_get_a_chart():
    charts = charts_for(
        oral_fluid(date(2026, 3, 3)),
        peth(date(2026, 2, 20), 50),  # before the period
    )
    assert set(charts) == {G.COCAINE, G.CANNABIS}
    assert group_charts([], START, END) == []


def test_a_positive_and_a_negative_are_markers_of_different_shapes_naming_date_and_result():
    charts = charts_for(
        oral_fluid(date(2026, 3, 3), cocaine=Reading.POSITIVE),
        oral_fluid(date(2026, 3, 10)),
    )
    cocaine = parse(charts[G.COCAINE].svg)
    found = {title: el for el, title in markers(cocaine)}
    (positive,) = [el for title, el in found.items() if title.startswith("3 March 2026,")]
    (negative,) = [el for title, el in found.items() if title.startswith("10 March 2026,")]
    positive_title = next(t for t in found if t.startswith("3 March 2026,"))
    assert "Oral fluid" in positive_title and "Screen positive" in positive_title
    assert "Positive" in positive_title
    assert "Screen negative" in next(t for t in found if t.startswith("10 March 2026,"))
    assert shape(positive) != shape(negative)
    assert positive.get("fill") != negative.get("fill")
    # Both sit in the oral fluid lane, the positive to the left of the negative.
    lane = lane_label_y(cocaine, "Oral fluid (swab)")
    assert centre(positive)[1] == pytest.approx(lane, abs=2)
    assert centre(negative)[1] == pytest.approx(lane, abs=2)
    assert centre(positive)[0] < centre(negative)[0]

    # The table beside the chart says the same, a row per test.
    rows = charts[G.COCAINE].rows
    assert [(r.date, r.value, r.result) for r in rows] == [
        ("3 March 2026", "Screen positive", "Positive"),
        ("10 March 2026", "Screen negative", "Negative"),
    ]
    # The legend names both shapes.
    texts = {t.text for t in cocaine.iter(f"{SVG}text")}
    assert {"Negative", "Positive"} <= texts


def test_a_missed_urine_test_shows_in_the_did_not_happen_lane_of_every_group_it_covers():
    charts = charts_for(
        Sample(Matrix.URINE, date(2026, 3, 17), status=Status.MISSED),
        peth(date(2026, 3, 3), 10),
    )
    urine_groups = {G.COCAINE, G.CANNABIS, G.AMPHETAMINES, G.OPIOIDS, G.BENZODIAZEPINES}
    assert set(charts) == urine_groups | {G.ALCOHOL}
    for group in urine_groups:
        root = parse(charts[group].svg)
        (cross,) = [(el, t) for el, t in markers(root) if t.startswith("17 March 2026")]
        el, title = cross
        assert "Missed (did not attend)" in title and "counts as a positive" in title
        assert centre(el)[1] == pytest.approx(lane_label_y(root, "Did not happen"), abs=2)
        assert shape(el) == "path"  # a cross, drawn with strokes
        assert charts[group].rows[0].result == "Missed (counts as a positive)"
    alcohol = parse(charts[G.ALCOHOL].svg)
    assert not [t for _, t in markers(alcohol) if t.startswith("17 March 2026")]


def test_peth_values_are_a_line_against_the_20_and_200_boundaries():
    charts = charts_for(
        peth(date(2026, 3, 3), 250),
        peth(date(2026, 3, 31), 80),
        peth(date(2026, 4, 28), 15),
    )
    root = parse(charts[G.ALCOHOL].svg)
    (line,) = root.iter(f"{SVG}polyline")
    ys = [float(point.split(",")[1]) for point in line.get("points").split()]
    assert len(ys) == 3
    dashed = sorted(
        float(el.get("y1")) for el in root.iter(f"{SVG}line") if el.get("stroke-dasharray")
    )
    assert len(dashed) == 2
    at_200, at_20 = dashed  # higher on the page is the larger value
    assert ys[0] < at_200  # 250: above 200
    assert at_200 < ys[1] < at_20  # 80: between
    assert ys[2] > at_20  # 15: below 20
    texts = " ".join(t.text or "" for t in root.iter(f"{SVG}text"))
    assert "20 to 200 ng/mL" in texts and "above 200 ng/mL" in texts
    assert "PEth (blood), ng/mL" in texts
    points = [t for _, t in markers(root)]
    assert any(t.startswith("31 March 2026") and "80 ng/mL" in t for t in points)


def test_a_group_without_numbers_has_no_numeric_lane():
    root = parse(charts_for(oral_fluid(date(2026, 3, 3)))[G.COCAINE].svg)
    assert not list(root.iter(f"{SVG}polyline"))
    assert not [el for el in root.iter(f"{SVG}line") if el.get("stroke-dasharray")]


def test_results_on_one_day_in_one_lane_share_a_marker_that_shows_the_strongest():
    day = date(2026, 3, 3)
    charts = charts_for(
        Sample(
            Matrix.ORAL_FLUID,
            day,
            readings=(SubstanceReading(S.COCAINE, screen=Reading.NEGATIVE),),
            key=1,
        ),
        Sample(
            Matrix.ORAL_FLUID,
            day,
            readings=(SubstanceReading(S.COCAINE, screen=Reading.POSITIVE),),
            key=2,
        ),
        oral_fluid(date(2026, 3, 10)),
    )
    root = parse(charts[G.COCAINE].svg)
    shared = [(el, t) for el, t in markers(root) if t.startswith("3 March 2026")]
    assert len(shared) == 1
    el, title = shared[0]
    assert shape(el) == "polygon with 3 corners"  # the positive's triangle, not a circle
    lines = title.split("\n")
    assert len(lines) == 2
    assert any("Screen positive" in line for line in lines)
    assert any("Screen negative" in line for line in lines)
    assert len(charts[G.COCAINE].rows) == 3  # the table still lists each result


def test_markers_shrink_where_they_crowd_but_never_below_a_size_that_tells_them_apart():
    weekly = [oral_fluid(START + timedelta(days=7 * n)) for n in range(8)]
    daily = [oral_fluid(date(2026, 1, 1) + timedelta(days=n)) for n in range(365)]
    spaced = parse(charts_for(*weekly)[G.COCAINE].svg)
    crowded = parse(
        charts_for(*daily, start=date(2026, 1, 1), end=date(2026, 12, 31))[G.COCAINE].svg
    )

    def radii(root):
        return {float(el.get("r")) for el, _ in markers(root) if el.tag == f"{SVG}circle"}

    assert radii(spaced) == {5.4}  # full size
    assert radii(crowded) == {3.6}  # a day apart: the smallest
    assert len(markers(crowded)) == 365


def test_the_table_rows_name_each_substance_of_a_group_and_a_dilute_samples_creatinine():
    charts = charts_for(
        Sample(
            Matrix.URINE,
            date(2026, 3, 5),
            readings=(
                SubstanceReading(S.AMPHETAMINE, screen=Reading.NEGATIVE),
                SubstanceReading(S.MDMA, screen=Reading.POSITIVE),
            ),
        ),
        Sample(
            Matrix.URINE,
            date(2026, 3, 12),
            creatinine_mg_dl=Decimal("12"),
            readings=(
                SubstanceReading(S.AMPHETAMINE, screen=Reading.NEGATIVE),
                SubstanceReading(S.MDMA, screen=Reading.NEGATIVE),
            ),
        ),
    )
    chart = charts[G.AMPHETAMINES]
    assert [(r.substance, r.value, r.result) for r in chart.rows] == [
        ("Amphetamine, MDMA", "Amphetamine: Screen negative; MDMA: Screen positive", "Positive"),
        (
            "Amphetamine, MDMA",
            "Amphetamine: Screen negative; MDMA: Screen negative; creatinine 12 mg/dL",
            "Dilute (not a negative)",
        ),
    ]
    found = {title[:13]: el for el, title in markers(parse(chart.svg))}
    assert shape(found["5 March 2026,"]) == "polygon with 3 corners"
    assert shape(found["12 March 2026"]) == "rect"  # a dilute sample is never a negative


def test_dates_are_written_as_uk_date_across_months_years_and_a_leap_day():
    days = [date(2027, 12, 31), date(2028, 1, 1), date(2028, 2, 29), date(2028, 3, 1)]
    start, end = date(2027, 12, 30), date(2028, 3, 2)
    series = interpret_series([oral_fluid(day) for day in days])
    (chart,) = [c for c in group_charts(series, start, end) if c.group is G.COCAINE]
    assert [r.date for r in chart.rows] == [uk_date(day) for day in days]
    assert [t.split(",")[0] for _, t in markers(parse(chart.svg))] == [uk_date(d) for d in days]
    strip = parse(coverage_strip(coverage(series, start, end), start, end))
    titles = [t for _, t in markers(strip) if t.startswith("Cocaine,")]
    assert titles == [
        f"Cocaine, {uk_date(start)} to {uk_date(days[1])}: covered by a negative result",
        f"Cocaine, {uk_date(date(2028, 1, 2))} to {uk_date(date(2028, 2, 26))}: "
        "not covered by any test",
        f"Cocaine, {uk_date(date(2028, 2, 27))} to {uk_date(days[3])}: "
        "covered by a negative result",
        f"Cocaine, {uk_date(end)}: not covered by any test",
    ]


# ------------------------------------------------------------------------------ coverage strip


def test_the_strip_marks_the_days_a_negative_oral_fluid_result_covers():
    start, end = date(2026, 3, 1), date(2026, 3, 20)
    series = interpret_series([oral_fluid(date(2026, 3, 10))])
    rows = coverage(series, start, end)
    root = parse(coverage_strip(rows, start, end, id_prefix="p1"))
    titles = [t for _, t in markers(root)]
    # Oral fluid looks back two days before collection.
    assert "Cocaine, 8 March 2026 to 10 March 2026: covered by a negative result" in titles
    assert "Cocaine, 1 March 2026 to 7 March 2026: not covered by any test" in titles
    assert "Cocaine, 11 March 2026 to 20 March 2026: not covered by any test" in titles
    assert "Alcohol, 1 March 2026 to 20 March 2026: not covered by any test" in titles
    (negative,) = [el for el, t in markers(root) if t.startswith("Cocaine, 8 March")]
    (uncovered,) = [el for el, t in markers(root) if t.startswith("Cocaine, 1 March")]
    assert negative.get("fill") != uncovered.get("fill")
    assert float(negative.get("width")) < float(uncovered.get("width"))
    # Every group has its band, labelled on the left.
    texts = {t.text for t in root.iter(f"{SVG}text")}
    assert {g.label for g in G} <= texts

    shares = {s.group: s for s in coverage_table(rows)}
    assert shares[G.COCAINE].days == 20
    assert shares[G.COCAINE].percent(Coverage.NEGATIVE) == "15%"
    assert shares[G.COCAINE].percent(Coverage.NONE) == "85%"
    assert shares[G.ALCOHOL].percent(Coverage.NONE) == "100%"
    desc = root.find(f"{SVG}desc").text
    assert "Cocaine: negative 15%, positive 0%, not taken 0%, not covered 85%." in desc


def test_each_run_of_days_in_one_state_is_one_cell_and_a_lone_day_stays_visible():
    start, end = date(2026, 1, 1), date(2026, 12, 31)  # a day is narrower than MIN_CELL
    days = [Coverage.NONE] * 365
    days[99] = Coverage.NEGATIVE
    days[200:210] = [Coverage.POSITIVE] * 10
    rows = [CoverageRow(G.COCAINE, days), CoverageRow(G.ALCOHOL, [Coverage.NONE] * 365)]
    root = parse(coverage_strip(rows, start, end, id_prefix="p1"))
    cells = [(el, t) for el, t in markers(root) if t.startswith("Cocaine,")]
    assert [t for _, t in cells] == [
        "Cocaine, 1 January 2026 to 9 April 2026: not covered by any test",
        "Cocaine, 10 April 2026: covered by a negative result",
        "Cocaine, 11 April 2026 to 19 July 2026: not covered by any test",
        "Cocaine, 20 July 2026 to 29 July 2026: covered by a positive result",
        "Cocaine, 30 July 2026 to 31 December 2026: not covered by any test",
    ]
    assert all(el.tag == f"{SVG}rect" for el, _ in cells)
    assert [t for _, t in markers(root) if t.startswith("Alcohol,")] == [
        "Alcohol, 1 January 2026 to 31 December 2026: not covered by any test"
    ]
    day_width = float(cells[0][0].get("width")) / 99
    lone, positive = cells[1][0], cells[3][0]
    assert float(lone.get("width")) == pytest.approx(MIN_CELL)
    assert day_width < MIN_CELL
    assert centre(lone)[0] == pytest.approx(centre(cells[0][0])[0] + 50 * day_width, abs=0.1)
    assert float(positive.get("width")) == pytest.approx(10 * day_width, abs=0.1)
    assert lone.get("fill") == "#00703c"
    assert positive.get("fill") == "url(#p1-coverage-positive)"


def test_a_share_too_small_to_round_to_one_percent_is_not_shown_as_none():
    start, end = date(2026, 1, 1), date(2026, 12, 31)
    series = interpret_series([Sample(Matrix.BREATH, date(2026, 6, 1), status=Status.REFUSED)])
    shares = {s.group: s for s in coverage_table(coverage(series, start, end))}
    assert shares[G.ALCOHOL].percent(Coverage.NOT_TAKEN) == "less than 1%"
    assert shares[G.ALCOHOL].percent(Coverage.NONE) == "more than 99%"


def test_the_strip_refuses_rows_that_do_not_match_the_period():
    rows = coverage([], date(2026, 3, 1), date(2026, 3, 10))
    with pytest.raises(ValueError, match="expected 20"):
        coverage_strip(rows, date(2026, 3, 1), date(2026, 3, 20), id_prefix="p1")


# ------------------------------------------------------------------------------ every SVG


def every_svg(id_prefix="p1"):
    series = interpret_series(
        [
            oral_fluid(date(2026, 3, 3), cocaine=Reading.POSITIVE),
            Sample(Matrix.URINE, date(2026, 3, 17), status=Status.MISSED),
            Sample(
                Matrix.URINE,
                date(2026, 3, 24),
                creatinine_mg_dl=Decimal("12"),
                readings=(SubstanceReading(S.COCAINE, value=Decimal("40")),),
            ),
            Sample(Matrix.BREATH, date(2026, 4, 1), value=Decimal("41")),
            peth(date(2026, 3, 3), 250),
            peth(date(2026, 4, 2), 90),
        ]
    )
    charts = group_charts(series, START, END, id_prefix=id_prefix)
    strip = coverage_strip(coverage(series, START, END), START, END, id_prefix=id_prefix)
    return [chart.svg for chart in charts] + [strip]


def test_every_svg_is_xml_without_style_and_labelled_for_screen_readers():
    svgs = every_svg()
    ids = []
    for svg in svgs:
        assert "style=" not in svg
        root = parse(svg)
        assert not list(root.iter(f"{SVG}style"))
        assert not [el for el in root.iter() if "style" in el.attrib]
        assert root.get("role") == "img"
        assert root.get("width") == "100%" and root.get("viewBox").startswith("0 0 ")
        title_id, desc_id = root.get("aria-labelledby").split()
        assert root.find(f"{SVG}title").get("id") == title_id
        assert root.find(f"{SVG}desc").get("id") == desc_id
        assert root.find(f"{SVG}desc").text
        ids += [el.get("id") for el in root.iter() if el.get("id")]
    assert len(ids) == len(set(ids)), "an id repeats on the page"
    # Another parent's charts on the same page get their own ids.
    other = {el.get("id") for svg in every_svg("p2") for el in parse(svg).iter() if el.get("id")}
    assert not other & set(ids)


def test_text_is_escaped(monkeypatch):
    monkeypatch.setitem(panels.GROUP_LABELS, G.COCAINE, 'Cocaine <b>"&"</b>')
    svgs = every_svg()
    assert not any("<b>" in svg for svg in svgs)
    cocaine_chart = parse(svgs[1])
    assert cocaine_chart.find(f"{SVG}title").text.startswith('Cocaine <b>"&"</b>:')
    strip = parse(svgs[-1])
    assert 'Cocaine <b>"&"</b>' in {t.text for t in strip.iter(f"{SVG}text")}


def test_text_from_data_is_escaped_in_tooltips_and_attributes(monkeypatch):
    label = "Coke <i>\"&'</i>"
    info = dataclasses.replace(panels.SUBSTANCES[S.COCAINE], label=label)
    monkeypatch.setitem(panels.SUBSTANCES, S.COCAINE, info)
    svgs = every_svg()
    assert not any("<i>" in svg for svg in svgs)
    titles = [t for svg in svgs for _, t in markers(parse(svg))]
    assert any(label in t for t in titles)
    # Every attribute value is ours: numbers, colours, ids and references to them.
    for svg in svgs:
        for el in parse(svg).iter():
            assert not [v for v in el.attrib.values() if set(v) & set("<>&\"'")]


@pytest.mark.parametrize("prefix", ['p1" onload="x', "1abc", "", "a b"])
def test_an_id_prefix_must_be_a_plain_identifier(prefix):
    with pytest.raises(ValueError, match="id_prefix"):
        group_charts([], START, END, id_prefix=prefix)
    with pytest.raises(ValueError, match="id_prefix"):
        coverage_strip(coverage([], START, END), START, END, id_prefix=prefix)


def test_data_table_rows_are_escaped_markup_in_column_order():
    from testing_results.charts import ChartRow, GroupChart
    from testing_results.panels import SubstanceGroup

    chart = GroupChart(
        SubstanceGroup.COCAINE,
        "Cocaine",
        "p1-chart-cocaine",
        Markup(""),
        (ChartRow("3 March 2026", "Urine <screen>", "Cocaine", "Screen", "Positive"),),
        "",
    )
    assert str(chart.table_body) == (
        '<tr class="govuk-table__row"><td class="govuk-table__cell">3 March 2026</td>'
        '<td class="govuk-table__cell">Urine &lt;screen&gt;</td>'
        '<td class="govuk-table__cell">Cocaine</td><td class="govuk-table__cell">Screen</td>'
        '<td class="govuk-table__cell">Positive</td></tr>'
    )
