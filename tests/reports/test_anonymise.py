"""Anonymisation rules, with plain names: children as Child A, B by age; parents by their
relationship; everyone else by initials; names in free text replaced; a check that refuses
text still carrying a name of the case."""

from datetime import date

import pytest

from fdac.reports.anonymise import (
    AnonymisationError,
    ChildName,
    ParentName,
    Pseudonyms,
    initials,
)


@pytest.fixture
def names() -> Pseudonyms:
    return Pseudonyms(
        children=[
            ChildName("Alfie Ashworth", date(2021, 6, 1)),  # the younger, listed first
            ChildName("Grace Ashworth", date(2018, 2, 3)),
        ],
        parents=[ParentName("Kelly Ashworth", "Mother"), ParentName("Dean Brennan", "Father")],
        others=["HHJ Eleanor Marsh", "Priya Shah", "Tom Okafor"],
    )


class Person:  # anything with a name: a Parent, a Child, a User
    def __init__(self, name: str):
        self.name = name


def test_children_are_lettered_oldest_first(names):
    assert names.name_for(Person("Grace Ashworth")) == "Child A"
    assert names.name_for(Person("Alfie Ashworth")) == "Child B"


def test_parents_are_named_by_their_relationship(names):
    assert names.name_for(Person("Kelly Ashworth")) == "the mother"
    assert names.name_for("Dean Brennan") == "the father"


def test_two_parents_with_one_relationship_are_numbered():
    names = Pseudonyms(
        parents=[
            ParentName("Kelly Ashworth", "Mother"),
            ParentName("Jade Carver", "Mother"),
            ParentName("Liam Dawson", "Parent's partner"),
        ]
    )
    assert [names.name_for(n) for n in ("Kelly Ashworth", "Jade Carver", "Liam Dawson")] == [
        "the first mother",
        "the second mother",
        "the parent's partner",
    ]


def test_staff_and_judges_are_initials_keeping_titles(names):
    assert names.name_for("Priya Shah") == "PS"
    assert names.name_for("HHJ Eleanor Marsh") == "HHJ EM"
    assert initials("DJ Samuel Clarke") == "DJ SC"
    # Someone the case does not know still comes out as initials, never as a name.
    assert names.name_for("Morgan Reid") == "MR"


def test_first_names_in_free_text_are_replaced(names):
    assert names.apply("Kelly to attend every test") == "The mother to attend every test"
    assert names.apply("Dean and Kelly to meet Priya on Monday.") == (
        "The father and the mother to meet PS on Monday."
    )


def test_full_names_surnames_possessives_and_any_case(names):
    assert names.apply("Grace Ashworth's school report") == "Child A's school report"
    assert names.apply("Seen by Ms Shah and Mr Okafor") == "Seen by Ms PS and Mr TO"
    assert names.apply("KELLY attended; kelly's test was negative") == (
        "The mother attended; the mother's test was negative"
    )
    assert names.apply("Brennan  \n Dean") == "The father  \n The father"
    assert names.apply("Dean\nBrennan said") == "The father said"  # across a line break


def test_a_title_and_surname_keep_the_title_once(names):
    assert names.apply("HHJ Marsh asked Judge Marsh") == "HHJ EM asked Judge EM"
    assert names.apply("Before HHJ Eleanor Marsh") == "Before HHJ EM"


def test_a_shared_surname_becomes_its_initial(names):
    # The mother and both children are Ashworths: the surname alone names none of them.
    assert names.apply("The Ashworth family") == "The A. family"


def test_no_false_positives_on_ordinary_words_that_are_also_names():
    names = Pseudonyms(
        children=[ChildName("Grace Marsh", date(2020, 1, 1)), ChildName("Jo Ng", None)],
        parents=[ParentName("Will Quarry", "Father"), ParentName("An Li", "Mother")],
    )
    # Everyday words spelt like a name part stay as they are in lower case ...
    text = "He will walk by the marsh to the quarry, by grace, an hour early, et al."
    assert names.apply(text) == text
    assert names.leftover(text) == []
    # ... but written as a name, with a capital, they are replaced.
    assert names.apply("Will and Grace saw Jo.") == "The father and Child A saw Child B."
    # A two-letter part that is an English word is never replaced alone ("An"), one that is
    # not ("Ng", "Li") is, as written; the full names always are.
    assert (
        names.apply("An appointment for Li and Ng") == "An appointment for the mother and Child B"
    )
    assert names.apply("An Li and Jo Ng") == "The mother and Child B"


def test_words_inside_other_words_are_left_alone():
    names = Pseudonyms(parents=[ParentName("Dean Ash", "Father"), ParentName("Amy Lee", "Mother")])
    text = "Deansgate; the ashtray; Amyl; sleeper; Leeds"
    assert names.apply(text) == text
    assert names.apply("Lee and Ash") == "The mother and the father"


def test_leftover_names_what_is_still_there(names):
    assert names.leftover("Kelly saw HHJ Marsh about Alfie Ashworth") == [
        "Alfie Ashworth",
        "Kelly",
        "Marsh",
    ]
    assert names.leftover(names.apply("Kelly saw HHJ Marsh about Alfie Ashworth")) == []


def test_check_refuses_text_that_still_names_someone(names):
    names.check(names.apply("Kelly to attend every test"))  # nothing left: no error
    with pytest.raises(AnonymisationError) as refused:
        names.check("Summary prepared by Priya Shah")
    assert refused.value.names == ["Priya Shah"]
    assert "would still name Priya Shah" in str(refused.value)


def test_no_names_leaves_text_alone():
    assert Pseudonyms().apply("Kelly") == "Kelly"
    assert Pseudonyms().leftover("Kelly") == []
