"""What every form in the app shares: whitespace stripped, GOV.UK date fields and messages."""

from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovDateInput, GovTextArea, GovTextInput
from wtforms import DateField, DecimalField, PasswordField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, StopValidation, ValidationError

from fdac.dates import london_today


def sentence(text: str) -> str:
    """Capitalise the first letter only ('date the family entered FDAC' keeps its FDAC)."""
    return text[:1].upper() + text[1:]


def select_choices(pairs) -> list[SelectChoice]:
    """(value, label) pairs as the SelectChoice objects WTForms 3.3+ asks for."""
    return [SelectChoice(str(value), label) for value, label in pairs]


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class BaseForm(FlaskForm):
    """Strips surrounding whitespace from every field but passwords (spaces may be meant)."""

    class Meta:
        def bind_field(self, form, unbound_field, options):
            filters = list(unbound_field.kwargs.get("filters", []))
            if unbound_field.field_class is not PasswordField:
                filters.append(_strip)
            return unbound_field.bind(form=form, filters=filters, **options)


class UKDateField(DateField):
    """A GOV.UK date input (day, month, year boxes) with the design system's messages.

    `name_in_errors` is how messages name the field: "Enter the date of birth".
    """

    widget = GovDateInput()

    def __init__(self, label=None, validators=None, *, name_in_errors: str, **kwargs):
        super().__init__(label, validators, format="%d %m %Y", **kwargs)
        self.name_in_errors = name_in_errors

    def process_formdata(self, valuelist):
        # Exactly three boxes, whatever arrived: the widget re-renders day, month and year.
        self.raw_data = (list(valuelist) + ["", "", ""])[:3]
        parts = [p.strip() for p in self.raw_data]
        if not any(parts):
            self.data = None
            return
        if not all(parts):
            missing = [n for n, p in zip(("day", "month", "year"), parts, strict=False) if not p]
            self.data = None
            raise ValueError(f"{sentence(self.name_in_errors)} must include a {missing[0]}")
        if len(parts[2]) != 4:
            self.data = None
            raise ValueError(f"Year in {self.name_in_errors} must include 4 numbers")
        try:
            # A calendar date, not an instant: no time zone applies.
            self.data = datetime.strptime(" ".join(parts), self.format[0]).date()  # noqa: DTZ007
        except ValueError:
            self.data = None
            raise ValueError(f"{sentence(self.name_in_errors)} must be a real date") from None


class UKDecimalField(DecimalField):
    """A number typed as people type it ('1,250', ' 23.5 '); messages name the field."""

    widget = GovTextInput()

    def __init__(self, label=None, validators=None, *, name_in_errors: str, **kwargs):
        kwargs.setdefault("render_kw", {"inputmode": "decimal", "spellcheck": "false"})
        super().__init__(label, validators, **kwargs)
        self.name_in_errors = name_in_errors

    def process_formdata(self, valuelist):
        text = (valuelist[0] if valuelist else "").strip().replace(",", "")
        if not text:
            self.data = None
            return
        try:
            value = Decimal(text)
        except InvalidOperation:
            value = None
        if value is None or not value.is_finite():
            self.data = None
            raise ValueError(f"{sentence(self.name_in_errors)} must be a number, like 23.5")
        self.data = value

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else format(self.data.normalize(), "f")


class DateRequired:
    """Like DataRequired, for UKDateField: 'Enter the date of birth'."""

    field_flags = {"required": True}

    def __call__(self, form, field):
        if field.data is None and not field.errors:
            raise StopValidation(f"Enter the {field.name_in_errors}")


class NotInFuture:
    def __call__(self, form, field):
        if isinstance(field.data, date) and field.data > london_today():
            raise ValidationError(f"{sentence(field.name_in_errors)} must be today or in the past")


def show_field_error(form, error) -> None:
    """Put a domain FieldError on its form field (or the whole form) for the error summary."""
    field = getattr(form, error.field, None) if error.field else None
    (field.errors if field is not None else form.form_errors).append(error.message)


def note_field(label: str = "Note", **kwargs) -> TextAreaField:
    """A free-text note of up to 2,000 characters."""
    return TextAreaField(
        label,
        widget=GovTextArea(),
        validators=[Length(max=2000, message=f"{label} must be 2,000 characters or fewer")],
        **kwargs,
    )
