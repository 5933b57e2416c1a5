"""What every form in the app shares: whitespace stripped, GOV.UK date, time and number fields
and their messages, and the confirmation form of destructive actions."""

import re
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovDateInput,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import DateField, DecimalField, PasswordField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, StopValidation, ValidationError

from fdac.dates import london_today, uk_time


def sentence(text: str) -> str:
    """Capitalise the first letter only ('date the family entered FDAC' keeps its FDAC)."""
    return text[:1].upper() + text[1:]


def select_choices(pairs) -> list[SelectChoice]:
    """(value, label) pairs as the SelectChoice objects WTForms 3.3+ asks for."""
    return [SelectChoice(str(value), label) for value, label in pairs]


def _strip(value):
    return value.strip() if isinstance(value, str) else value


# Control characters other than tab, line feed and carriage return: nobody types them, and
# PostgreSQL cannot store a NUL in text (it would be a 500, not a message).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _control_character_message(field) -> str | None:
    data = field.data if isinstance(field, StringField) else None
    if isinstance(data, str) and _CONTROL.search(data):
        name = getattr(field, "name_in_errors", None) or field.label.text
        return f"{sentence(name)} must not contain control characters"
    return None


class BaseForm(FlaskForm):
    """Strips surrounding whitespace from every field but passwords (spaces may be meant), and
    refuses control characters in every text field."""

    class Meta:
        def bind_field(self, form, unbound_field, options):
            filters = list(unbound_field.kwargs.get("filters", []))
            if unbound_field.field_class is not PasswordField:
                filters.append(_strip)
            return unbound_field.bind(form=form, filters=filters, **options)

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        for field in self:
            message = _control_character_message(field)
            if message and message not in field.errors:
                field.errors = [*field.errors, message]  # errors may be a tuple before validate
                valid = False
        return valid


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


# "10:00", "9:30", "14:30", "10am", "10.30am", "2:30 pm" ("noon" and "midday" apart).
_TIME = re.compile(r"(?P<hour>[0-9]{1,2})(?:[:.](?P<minute>[0-9]{2}))?(?P<half>am|pm)?")


def parse_time(text: str) -> time | None:
    """A wall-clock time typed as people type it, or None when it is not one.

    A bare hour ("10": morning or evening?), "24:00", "10:75" and "13pm" are not times.
    """
    text = "".join(text.lower().replace("a.m.", "am").replace("p.m.", "pm").split())
    if text in ("noon", "midday", "12noon"):
        return time(12)
    match = _TIME.fullmatch(text)
    if not match or (match["minute"] is None and match["half"] is None):
        return None
    hour, minute, half = int(match["hour"]), int(match["minute"] or 0), match["half"]
    if half is not None:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half == "pm" else 0)
    return time(hour, minute) if hour <= 23 and minute <= 59 else None


class _NamedTextField(StringField):
    """A text box whose text is read into a value; `name_in_errors` names it in messages.

    `render_kw` adds to the attributes every such box has (no spellcheck, say).
    """

    widget = GovTextInput()
    attributes = {"spellcheck": "false"}

    def __init__(self, label=None, validators=None, *, name_in_errors: str, **kwargs):
        kwargs["render_kw"] = {**self.attributes, **(kwargs.get("render_kw") or {})}
        super().__init__(label, validators, **kwargs)
        self.name_in_errors = name_in_errors

    def read(self, text: str):
        """The value of `text`, or None when it has none."""
        raise NotImplementedError

    def unreadable(self) -> str:
        raise NotImplementedError

    def show(self, value) -> str:
        return str(value)

    def process_formdata(self, valuelist):
        self.raw_data = list(valuelist)
        text = (valuelist[0] if valuelist else "").strip()
        self.data = self.read(text) if text else None
        if text and self.data is None:
            raise ValueError(self.unreadable())

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else self.show(self.data)


class TimeOfDayField(_NamedTextField):
    """A London wall-clock time typed as people write it: 10:30am, 2pm, 14:00, noon."""

    def read(self, text: str):
        return parse_time(text)

    def unreadable(self) -> str:
        return f"Enter the {self.name_in_errors} as a time, like 10:30am or 2pm"

    def show(self, value) -> str:
        return uk_time(value)


class WholeNumberField(_NamedTextField):
    """A whole number in a text box (GOV.UK asks for text inputs with inputmode=numeric).

    A minus sign is read, so that the range check can say what is wanted; `example` is the
    number the message offers: 'Number of slots must be a whole number, like 6'.
    """

    attributes = {"inputmode": "numeric", "spellcheck": "false"}

    def __init__(self, label=None, validators=None, *, example: int = 30, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.example = example

    def read(self, text: str):
        return int(text) if re.fullmatch(r"-?[0-9]{1,6}", text) else None

    def unreadable(self) -> str:
        return f"{sentence(self.name_in_errors)} must be a whole number, like {self.example}"


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


class Required:
    """Like DataRequired, for the fields here that name themselves in errors.

    'Enter the date of birth', or `message`. Says nothing when what was typed (a date, a time,
    a whole number) could not be read: the field has said why already.
    """

    field_flags = {"required": True}

    def __init__(self, message: str | None = None):
        self.message = message

    def __call__(self, form, field):
        if field.data is None and not field.errors:
            raise StopValidation(self.message or f"Enter the {field.name_in_errors}")


DateRequired = Required  # the name the date fields have always used


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


class ConfirmForm(BaseForm):
    """An empty form: a CSRF-protected 'yes, do it' for destructive actions."""

    submit = SubmitField("Confirm", widget=GovSubmitInput())
