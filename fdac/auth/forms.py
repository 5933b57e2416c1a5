from govuk_frontend_wtf.wtforms_widgets import GovPasswordInput, GovSubmitInput, GovTextInput
from wtforms import EmailField, PasswordField, SubmitField
from wtforms.validators import DataRequired, EqualTo

from fdac.auth.passwords import MIN_PASSWORD_LENGTH, NewPassword
from fdac.forms import BaseForm

__all__ = ["MIN_PASSWORD_LENGTH", "ChangePasswordForm", "SignInForm", "new_password_field"]


def new_password_field(label: str = "New password") -> PasswordField:
    return PasswordField(
        label,
        widget=GovPasswordInput(),
        description=(
            f"At least {MIN_PASSWORD_LENGTH} characters and not a common password."
            " A few unrelated words make a good one."
        ),
        validators=[DataRequired("Enter a new password"), NewPassword()],
    )


class SignInForm(BaseForm):
    email = EmailField(
        "Email address",
        widget=GovTextInput(),
        filters=[lambda v: v.lower() if isinstance(v, str) else v],
        validators=[DataRequired("Enter your email address")],
    )
    password = PasswordField(
        "Password", widget=GovPasswordInput(), validators=[DataRequired("Enter your password")]
    )
    submit = SubmitField("Sign in", widget=GovSubmitInput())


class ChangePasswordForm(BaseForm):
    current_password = PasswordField(
        "Current password",
        widget=GovPasswordInput(),
        validators=[DataRequired("Enter your current password")],
    )
    new_password = new_password_field()
    confirm_password = PasswordField(
        "Confirm new password",
        widget=GovPasswordInput(),
        validators=[
            DataRequired("Confirm your new password"),
            EqualTo("new_password", message="Passwords must match"),
        ],
    )
    submit = SubmitField("Change password", widget=GovSubmitInput())
