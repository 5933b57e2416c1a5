"""The words used for the people in a case: one table each, read by models, forms and pages."""

from enum import StrEnum


class Labelled(StrEnum):
    @property
    def label(self) -> str:
        return self._labels()[self]

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        return [(m.value, m.label) for m in cls]

    @classmethod
    def _labels(cls) -> dict:
        raise NotImplementedError


class Relationship(Labelled):
    """The parent's relationship to the children in the proceedings."""

    MOTHER = "mother"
    FATHER = "father"
    STEP_PARENT = "step_parent"
    PARTNER = "partner"
    OTHER_CARER = "other_carer"

    @classmethod
    def _labels(cls):
        return {
            cls.MOTHER: "Mother",
            cls.FATHER: "Father",
            cls.STEP_PARENT: "Step-parent",
            cls.PARTNER: "Parent's partner",
            cls.OTHER_CARER: "Other carer",
        }


class LivesWith(Labelled):
    """Where the child lives now."""

    PARENTS = "parents"
    ONE_PARENT = "one_parent"
    FAMILY_OR_FRIENDS = "family_or_friends"
    FOSTER_CARE = "foster_care"
    PARENT_AND_CHILD_PLACEMENT = "parent_and_child_placement"
    RESIDENTIAL = "residential"
    OTHER = "other"

    @classmethod
    def _labels(cls):
        return {
            cls.PARENTS: "With both parents",
            cls.ONE_PARENT: "With one parent",
            cls.FAMILY_OR_FRIENDS: "With family or friends",
            cls.FOSTER_CARE: "Foster care",
            cls.PARENT_AND_CHILD_PLACEMENT: "Parent and child placement",
            cls.RESIDENTIAL: "Residential placement",
            cls.OTHER: "Somewhere else",
        }


class LegalStatus(Labelled):
    """The order the child is under now (Children Act 1989 unless stated)."""

    NO_ORDER = "no_order"
    INTERIM_CARE_ORDER = "interim_care_order"
    INTERIM_SUPERVISION_ORDER = "interim_supervision_order"
    CARE_ORDER = "care_order"
    SUPERVISION_ORDER = "supervision_order"
    CHILD_ARRANGEMENTS_ORDER = "child_arrangements_order"
    SPECIAL_GUARDIANSHIP_ORDER = "special_guardianship_order"
    PLACEMENT_ORDER = "placement_order"

    @classmethod
    def _labels(cls):
        return {
            cls.NO_ORDER: "No order",
            cls.INTERIM_CARE_ORDER: "Interim care order",
            cls.INTERIM_SUPERVISION_ORDER: "Interim supervision order",
            cls.CARE_ORDER: "Care order",
            cls.SUPERVISION_ORDER: "Supervision order",
            cls.CHILD_ARRANGEMENTS_ORDER: "Child arrangements order",
            cls.SPECIAL_GUARDIANSHIP_ORDER: "Special guardianship order",
            cls.PLACEMENT_ORDER: "Placement order (Adoption and Children Act 2002)",
        }
