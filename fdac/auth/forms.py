from govuk_frontend_wtf.wtforms_widgets import GovPasswordInput, GovSubmitInput, GovTextInput
from wtforms import EmailField, PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length

from fdac.auth.passwords import MIN_PASSWORD_LENGTH, NewPassword
from fdac.forms import BaseForm

__all__ = [
    "MIN_PASSWORD_LENGTH",
    "ChangePasswordForm",
    "CodeForm",
    "NewRecoveryCodesForm",
    "SetUpTwoFactorForm",
    "SignInForm",
    "new_password_field",
]


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


def _code_field(label: str, hint: str) -> StringField:
    return StringField(
        label,
        widget=GovTextInput(),
        description=hint,
        # A recovery code is 14 characters with its hyphens; anything far longer is not a code.
        validators=[DataRequired("Enter the code"), Length(max=40, message="Enter the code")],
    )


class CodeForm(BaseForm):
    code = _code_field(
        "Code from your authenticator app",
        "The 6-digit code the app shows now. If you have lost your phone, enter one of your"
        " recovery codes instead.",
    )
    submit = SubmitField("Continue", widget=GovSubmitInput())


class SetUpTwoFactorForm(BaseForm):
    code = _code_field("Code from your authenticator app", "The 6-digit code the app shows now.")
    submit = SubmitField("Turn on two-factor sign-in", widget=GovSubmitInput())


class NewRecoveryCodesForm(BaseForm):
    password = PasswordField(
        "Your password", widget=GovPasswordInput(), validators=[DataRequired("Enter your password")]
    )
    submit = SubmitField("Make new recovery codes", widget=GovSubmitInput())
