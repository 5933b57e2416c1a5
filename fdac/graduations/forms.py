"""Forms for graduations, ceremonies and the graduates' group. They check the shape of what was
typed; the rules (a final order, one graduation per parent, dates) are the services'."""

from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovRadioInput,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    HiddenField,
    RadioField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional

from fdac.dates import uk_date
from fdac.forms import (
    BaseForm,
    DateRequired,
    TimeOfDayField,
    UKDateField,
    note_field,
    select_choices,
)
from fdac.graduations.models import SupportKind


class ConfirmGraduationForm(BaseForm):
    graduated_on = UKDateField(
        "Graduation date",
        name_in_errors="graduation date",
        description="The day the team decided the parent graduates, usually after the final "
        "order. For example, 3 3 2027",
        validators=[DateRequired()],
    )
    note = note_field(
        "Note",
        description="Required when not every criterion is met: say why the parent graduates",
    )
    # Set by the check page: the manager has seen what will be recorded and confirms it.
    confirmed = HiddenField()
    submit = SubmitField("Continue", widget=GovSubmitInput())


class CeremonyForm(BaseForm):
    day = UKDateField(
        "Date",
        name_in_errors="date of the ceremony",
        description="For example, 18 6 2027",
        validators=[DateRequired()],
    )
    starts_at = TimeOfDayField(
        "Start time (optional)",
        name_in_errors="start time",
        description="For example, 2pm or 10:30am",
        validators=[Optional()],
        render_kw={"class": "govuk-input--width-5"},
    )
    place = StringField(
        "Place",
        widget=GovTextInput(),
        description="For example, Court 3, Riverside Family Court",
        validators=[
            DataRequired("Enter the place of the ceremony"),
            Length(max=200, message="Place must be 200 characters or fewer"),
        ],
    )
    attending = TextAreaField(
        "Who attends (optional)",
        widget=GovTextArea(),
        description="For example, HHJ Marsh, the team, families",
        validators=[Length(max=2000, message="Who attends must be 2,000 characters or fewer")],
    )
    submit = SubmitField("Save ceremony", widget=GovSubmitInput())


class AddGraduatesForm(BaseForm):
    graduation_ids = SelectMultipleField(
        "Graduates without a ceremony",
        widget=GovCheckboxesInput(),
        validators=[DataRequired("Select the graduates to add")],
    )
    submit = SubmitField("Add to the ceremony", widget=GovSubmitInput())

    def set_graduates(self, graduations) -> None:
        self.graduation_ids.choices = select_choices(
            (g.id, f"{g.parent.name} ({g.case.reference}), graduated {uk_date(g.graduated_on)}")
            for g in graduations
        )


class SupportForm(BaseForm):
    day = UKDateField(
        "Date",
        name_in_errors="date of the support",
        description="For example, 3 3 2027",
        validators=[DateRequired()],
    )
    kind = RadioField(
        "Kind of support",
        widget=GovRadioInput(),
        choices=select_choices((k.value, k.label) for k in SupportKind),
        validators=[DataRequired("Select the kind of support")],
    )
    note = note_field("Note")
    submit = SubmitField("Record support", widget=GovSubmitInput())


class MentorForm(BaseForm):
    since = UKDateField(
        "Mentor since",
        name_in_errors="mentor since",
        description="The day they started supporting parents now in FDAC. For example, 3 3 2027",
        validators=[DateRequired()],
    )
    note = note_field("Note", description="For example, the parents they support")
    submit = SubmitField("Record as a parent mentor", widget=GovSubmitInput())
