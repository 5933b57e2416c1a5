from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import (
    EmailField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
)
from wtforms.validators import DataRequired, Email, Length, Optional

from fdac.auth.forms import new_password_field
from fdac.auth.roles import Role
from fdac.forms import BaseForm, ConfirmForm, select_choices
from fdac.versions import VersionedForm


class ProfileVersion(VersionedForm):
    """The hidden version of a user's profile the form was opened at (fdac.users.services:
    `profile_version`, not a row version: signing in writes the row and moves none)."""

    # The change shown names the team and the served teams as the trail does.
    version_aliases = {"team": "team_id", "served_teams": "served_team_ids"}

    def open_at(self, user) -> None:
        self.version.data = str(user.profile_version)


class UserForm(BaseForm):
    name = StringField(
        "Full name",
        widget=GovTextInput(),
        validators=[
            DataRequired("Enter the person's full name"),
            Length(max=120, message="Name must be 120 characters or fewer"),
        ],
    )
    email = EmailField(
        "Email address",
        widget=GovTextInput(),
        filters=[lambda v: v.lower() if isinstance(v, str) else v],
        validators=[
            DataRequired("Enter the email address"),
            Email(
                message="Enter an email address in the correct format, like name@example.org",
                check_deliverability=False,
            ),
        ],
    )
    role = RadioField(
        "Role",
        widget=GovRadioInput(),
        choices=select_choices((r.value, r.label) for r in Role),
        validators=[DataRequired("Select the role")],
    )
    team_id = SelectField(
        "Team",
        widget=GovSelect(),
        description="Everyone but an administrator or a laboratory works for one team",
        validators=[Optional()],
    )
    served_team_ids = SelectMultipleField(
        "Teams served (a laboratory only)",
        widget=GovCheckboxesInput(),
        description="The teams whose cases the laboratory sends test results for",
    )
    submit = SubmitField("Save user", widget=GovSubmitInput())

    def set_teams(self, teams) -> None:
        self.team_id.choices = select_choices([("", "No team")] + [(t.id, t.name) for t in teams])
        self.served_team_ids.choices = select_choices((t.id, t.name) for t in teams)


class EditUserForm(ProfileVersion, UserForm):
    """A user's profile as an administrator changes it."""


class ActiveForm(ProfileVersion, ConfirmForm):
    """Yes, deactivate (or reactivate): a change of the profile, so it carries its version."""


class NewUserForm(UserForm):
    password = new_password_field("Temporary password")
    submit = SubmitField("Create user", widget=GovSubmitInput())
