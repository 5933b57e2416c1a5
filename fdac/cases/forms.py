from govuk_frontend_wtf.wtforms_widgets import (
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import RadioField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from fdac.cases.people import LegalStatus, LivesWith, Relationship
from fdac.cases.phases import Outcome
from fdac.cases.reference import COURT_NUMBER_PATTERN, REFERENCE_PATTERN
from fdac.forms import BaseForm, DateRequired, NotInFuture, UKDateField, select_choices
from fdac.versions import VersionedForm

NOBODY = ""


class CaseDetailsForm(BaseForm, VersionedForm):
    reference = StringField(
        "FDAC reference",
        widget=GovTextInput(),
        description="For example, FDAC-2026-0042",
        filters=[lambda v: v.upper() if isinstance(v, str) else v],
        validators=[
            DataRequired("Enter the FDAC reference"),
            Regexp(REFERENCE_PATTERN, message="Enter the FDAC reference like FDAC-2026-0042"),
        ],
    )
    court_case_number = StringField(
        "Court case number",
        widget=GovTextInput(),
        description="For example, ZW26C00123",
        filters=[lambda v: v.replace(" ", "").upper() if isinstance(v, str) else v],
        validators=[
            DataRequired("Enter the court case number"),
            Regexp(COURT_NUMBER_PATTERN, message="Enter the court case number like ZW26C00123"),
        ],
    )
    local_authority = StringField(
        "Local authority",
        widget=GovTextInput(),
        validators=[
            DataRequired("Enter the local authority"),
            Length(max=120, message="Local authority must be 120 characters or fewer"),
        ],
    )
    issued_on = UKDateField(
        "Date proceedings were issued",
        name_in_errors="date proceedings were issued",
        description="Leave empty while the family is pre-proceedings. For example, 27 3 2026",
        validators=[Optional(), NotInFuture()],
    )
    entered_on = UKDateField(
        "Date the family entered FDAC",
        name_in_errors="date the family entered FDAC",
        description="For example, 27 3 2026",
        validators=[DateRequired(), NotInFuture()],
    )
    submit = SubmitField("Save case", widget=GovSubmitInput())


class AllocationForm(BaseForm, VersionedForm):
    keyworker_id = SelectField("Keyworker", widget=GovSelect(), validators=[Optional()])
    judge_id = SelectField("Judge", widget=GovSelect(), validators=[Optional()])
    submit = SubmitField("Save allocation", widget=GovSubmitInput())

    def set_people(self, keyworkers, judges) -> None:
        self.keyworker_id.choices = select_choices(
            [(NOBODY, "Not allocated")] + [(u.id, u.name) for u in keyworkers]
        )
        self.judge_id.choices = select_choices(
            [(NOBODY, "Not allocated")] + [(u.id, u.name) for u in judges]
        )


class NewCaseForm(CaseDetailsForm, AllocationForm):
    submit = SubmitField("Create case", widget=GovSubmitInput())


def _name_field(label: str, who: str) -> StringField:
    return StringField(
        label,
        widget=GovTextInput(),
        validators=[
            DataRequired(f"Enter the {who}'s full name"),
            Length(max=120, message=f"The {who}'s name must be 120 characters or fewer"),
        ],
    )


def _date_of_birth_field(example: str) -> UKDateField:
    return UKDateField(
        "Date of birth",
        name_in_errors="date of birth",
        description=f"For example, {example}",
        validators=[DateRequired(), NotInFuture()],
    )


class ParentForm(BaseForm, VersionedForm):
    name = _name_field("Full name", "parent")
    date_of_birth = _date_of_birth_field("27 3 1994")
    relationship_to_children = RadioField(
        "Relationship to the children",
        widget=GovRadioInput(),
        choices=select_choices(Relationship.choices()),
        validators=[DataRequired("Select the relationship to the children")],
    )
    submit = SubmitField("Save parent", widget=GovSubmitInput())


class ChildForm(BaseForm, VersionedForm):
    name = _name_field("Full name", "child")
    date_of_birth = _date_of_birth_field("27 3 2022")
    lives_with = SelectField(
        "Where the child lives now",
        widget=GovSelect(),
        choices=select_choices([("", "Select where the child lives")] + LivesWith.choices()),
        validators=[DataRequired("Select where the child lives now")],
    )
    legal_status = SelectField(
        "Legal status",
        widget=GovSelect(),
        choices=select_choices([("", "Select the order")] + LegalStatus.choices()),
        validators=[DataRequired("Select the child's legal status")],
    )
    submit = SubmitField("Save child", widget=GovSubmitInput())


class PhaseChangeForm(BaseForm, VersionedForm):
    to_phase = RadioField(
        "Move the case to",
        widget=GovRadioInput(),
        validators=[DataRequired("Select the phase to move the case to")],
    )
    changed_on = UKDateField(
        "Date of the change",
        name_in_errors="date of the change",
        validators=[DateRequired(), NotInFuture()],
    )
    outcome = RadioField(
        "Outcome of the proceedings",
        widget=GovRadioInput(),
        description="Only when closing the case",
        choices=select_choices((o.value, o.label) for o in Outcome),
        validators=[Optional()],
    )
    note = TextAreaField(
        "Note",
        widget=GovTextArea(),
        description="Required when moving a case back a phase",
        validators=[Length(max=2000, message="Note must be 2,000 characters or fewer")],
    )
    submit = SubmitField("Move case", widget=GovSubmitInput())
