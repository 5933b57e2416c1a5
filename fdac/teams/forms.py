"""Forms of the team settings: contact targets per phase, graduation criteria.

The ranges live in fdac.teams.services, which the forms ask too, so every problem shows at once.
"""

from govuk_frontend_wtf.wtforms_widgets import GovCheckboxesInput, GovSubmitInput
from wtforms import SelectMultipleField, SubmitField
from wtforms.validators import ValidationError

from fdac.contacts.targets import MAX_TARGET
from fdac.forms import BaseForm, Required, WholeNumberField, select_choices
from fdac.graduations.criteria import MAX_CLEAN_WEEKS
from fdac.teams import services
from fdac.teams.services import TARGET_PHASES
from fdac.versions import VersionedForm

# The two yes-or-no criteria, as the checkboxes name them.
CRITERIA_CHOICES = (
    (
        "final_order_with_family",
        "Final order made with the children living with the parent or family",
    ),
    ("trial_completed", "Trial for change completed"),
)


class _TargetInRange:
    def __init__(self, phase):
        self.phase = phase

    def __call__(self, form, field):
        if field.data is not None:  # empty or not a number: already said
            problem = services.target_problem(self.phase, field.data)
            if problem:
                raise ValidationError(problem)


class ContactTargetsForm(BaseForm, VersionedForm):
    """One whole number per phase: field names are the phases' values."""

    submit = SubmitField("Save contact targets", widget=GovSubmitInput())

    def phase_fields(self):
        return [self[phase.value] for phase in TARGET_PHASES]


for _phase in TARGET_PHASES:
    setattr(
        ContactTargetsForm,
        _phase.value,
        WholeNumberField(
            _phase.label,
            name_in_errors=f"target for {_phase.label.lower()}",
            example=2,
            description=f"From 0 to {MAX_TARGET}",
            validators=[Required(), _TargetInRange(_phase)],
        ),
    )


class GraduationCriteriaForm(BaseForm, VersionedForm):
    required = SelectMultipleField(
        "What a parent must have achieved to graduate",
        widget=GovCheckboxesInput(),
        choices=select_choices(CRITERIA_CHOICES),
        description="Select all that apply",
    )
    clean_weeks = WholeNumberField(
        "Weeks of negative or explained tests before the final hearing",
        name_in_errors="weeks of negative or explained tests",
        example=8,
        description=f"From 0 to {MAX_CLEAN_WEEKS}. Enter 0 if this is not required.",
        validators=[
            Required("Enter the weeks of negative or explained tests, or 0 if not required")
        ],
    )
    submit = SubmitField("Save graduation criteria", widget=GovSubmitInput())

    def validate_clean_weeks(self, field):
        if field.data is not None:
            problem = services.clean_weeks_problem(field.data)
            if problem:
                raise ValidationError(problem)
