from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovSubmitInput, GovTextInput
from wtforms import SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, Optional

from fdac.forms import BaseForm, DateRequired, UKDateField, note_field, select_choices
from testing_results.panels import Substance

# What a prescription can explain: the substance a test would find.
EXPLAINABLE = (
    Substance.METHADONE,
    Substance.BUPRENORPHINE,
    Substance.BENZODIAZEPINES,
    Substance.OPIATES,
    Substance.AMPHETAMINE,
    Substance.CANNABIS,
)


class PrescriptionForm(BaseForm):
    medication = StringField(
        "Medication",
        widget=GovTextInput(),
        description="For example, methadone oral solution or diazepam",
        validators=[
            DataRequired("Enter the medication"),
            Length(max=120, message="Medication must be 120 characters or fewer"),
        ],
    )
    substance = SelectField(
        "What a test would find",
        widget=GovSelect(),
        description="A positive for this is shown as consistent with the prescription",
        choices=select_choices(
            [("", "Select the substance")] + [(s.value, s.label) for s in EXPLAINABLE]
        ),
        validators=[DataRequired("Select what a test would find")],
    )
    dose = StringField(
        "Dose",
        widget=GovTextInput(),
        validators=[Length(max=120, message="Dose must be 120 characters or fewer")],
    )
    prescriber = StringField(
        "Prescriber",
        widget=GovTextInput(),
        description="For example, the GP surgery or the drug and alcohol service",
        validators=[Length(max=120, message="Prescriber must be 120 characters or fewer")],
    )
    starts_on = UKDateField("Start date", name_in_errors="start date", validators=[DateRequired()])
    ends_on = UKDateField(
        "End date",
        name_in_errors="end date",
        description="Leave empty while it is still prescribed",
        validators=[Optional()],
    )
    note = note_field()
    submit = SubmitField("Save prescription", widget=GovSubmitInput())

    def values(self) -> dict:
        return {
            "medication": self.medication.data,
            "substance": Substance(self.substance.data),
            "dose": self.dose.data or "",
            "prescriber": self.prescriber.data or "",
            "starts_on": self.starts_on.data,
            "ends_on": self.ends_on.data,
            "note": self.note.data or "",
        }
