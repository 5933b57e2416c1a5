"""Forms for entering test results. Their substance fields are built from panels.py, so a new
substance appears in every form by adding one row there.

Each form turns itself into services.Draft objects and knows which of its fields a
FieldError from the checks belongs to (`field_for`).
"""

from decimal import Decimal

from govuk_frontend_wtf.wtforms_widgets import (
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import RadioField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from fdac.forms import (
    BaseForm,
    DateRequired,
    UKDateField,
    UKDecimalField,
    note_field,
    select_choices,
)
from testing_results.interpret import Reading, Sample, Segment, Status
from testing_results.interpret import SubstanceReading as Read
from testing_results.models import Method, TestResult
from testing_results.panels import (
    HAIR_ETG_UNIT,
    MATRICES,
    POINT_OF_CARE_MATRICES,
    Matrix,
    Substance,
    default_cutoff,
)
from testing_results.services import Draft

NOT_TAKEN = ""
MAX_HAIR_SEGMENTS = 6
SCREEN_CHOICES = [
    (Reading.NOT_TESTED.value, "Not tested"),
    (Reading.NEGATIVE.value, "Negative"),
    (Reading.POSITIVE.value, "Positive"),
]
_OBSERVED = [("yes", "Yes"), ("no", "No")]


def slug(substance: Substance) -> str:
    """A field-name-safe key for a substance ('6-mam' -> 'six_mam')."""
    return substance.name.lower()


def _observed(value: str | None) -> bool | None:
    return {"yes": True, "no": False}.get(value or "")


def _status_field(label: str, *, optional: bool) -> RadioField:
    choices = [(s.value, s.label) for s in Status]
    if optional:
        choices = [(NOT_TAKEN, "Not taken at this contact"), *choices]
    return RadioField(
        label,
        widget=GovRadioInput(),
        choices=select_choices(choices),
        default=NOT_TAKEN if optional else Status.RESULT.value,
        validators=[Optional()] if optional else [DataRequired("Select whether the test happened")],
    )


def _reason_field(label: str = "Reason the test did not happen") -> StringField:
    return StringField(
        label,
        widget=GovTextInput(),
        validators=[Length(max=500, message="Reason must be 500 characters or fewer")],
    )


def _number(label: str, name_in_errors: str, unit: str = "", **kwargs) -> UKDecimalField:
    return UKDecimalField(
        f"{label} ({unit})" if unit else label,
        name_in_errors=name_in_errors,
        validators=[Optional()],
        **kwargs,
    )


class ResultFormBase(BaseForm):
    """What every result form shares: when, observed, a note; and the amendment's reason."""

    collected_on = UKDateField(
        "Date collected",
        name_in_errors="date collected",
        validators=[DateRequired()],
    )
    observed = RadioField(
        "Was the collection observed?",
        widget=GovRadioInput(),
        choices=select_choices(_OBSERVED),
        validators=[Optional()],
    )
    note = note_field()
    amendment_reason = TextAreaField(
        "Reason for the amendment",
        widget=GovTextArea(),
        description="The original stays on record, marked as amended.",
        validators=[Length(max=2000, message="Reason must be 2,000 characters or fewer")],
    )
    submit = SubmitField("Save results", widget=GovSubmitInput())

    amending = False
    # FieldError.field -> this form's field name; filled per draft by drafts().
    _error_fields: list[dict]

    def field_for(self, draft_index: int, error_field: str | None) -> str | None:
        mapping = self._error_fields[draft_index] if self._error_fields else {}
        if error_field is None:
            return None
        if error_field in mapping:
            return mapping[error_field]
        # readings.<i>.value -> the field of reading i; anything else: the field's own name.
        parts = error_field.split(".")
        if parts[0] == "readings" and len(parts) > 1 and ("readings", int(parts[1])) in mapping:
            return mapping[("readings", int(parts[1]))]
        return error_field if hasattr(self, error_field) else None


# -------------------------------------------------------------- point-of-care set


def _point_of_care_fields() -> dict:
    fields = {}
    for matrix in POINT_OF_CARE_MATRICES:
        label = MATRICES[matrix].label
        fields[f"{matrix}_status"] = _status_field(label, optional=True)
        fields[f"{matrix}_status_reason"] = _reason_field()
        if matrix is Matrix.BREATH:
            fields[f"{matrix}_value"] = _number("Reading", "breath reading", MATRICES[matrix].unit)
            continue
        for substance in MATRICES[matrix].substances:
            fields[f"{matrix}_{slug(substance)}"] = SelectField(
                substance.label,
                widget=GovSelect(),
                choices=select_choices(SCREEN_CHOICES),
                default=Reading.NOT_TESTED.value,
            )
        if matrix is Matrix.URINE:
            fields[f"{matrix}_creatinine_mg_dl"] = _number(
                "Creatinine, if the device shows it", "creatinine", "mg/dL"
            )
    return fields


class PointOfCareForm(ResultFormBase):
    """The screens taken at one contact: breath, oral fluid and urine, in one form."""

    def drafts(self) -> list[Draft]:
        drafts, self._error_fields = [], []
        for matrix in POINT_OF_CARE_MATRICES:
            status = self[f"{matrix}_status"].data
            if not status:
                continue
            readings, read_fields = [], []
            if matrix is not Matrix.BREATH and status == Status.RESULT:
                for substance in MATRICES[matrix].substances:
                    name = f"{matrix}_{slug(substance)}"
                    answer = Reading(self[name].data or Reading.NOT_TESTED)
                    if answer is not Reading.NOT_TESTED:
                        readings.append(Read(substance, screen=answer))
                        read_fields.append(name)
            sample = Sample(
                matrix=matrix,
                collected_on=self.collected_on.data,
                status=Status(status),
                value=self[f"{matrix}_value"].data if matrix is Matrix.BREATH else None,
                creatinine_mg_dl=(
                    self[f"{matrix}_creatinine_mg_dl"].data if matrix is Matrix.URINE else None
                ),
                readings=tuple(readings),
            )
            mapping = {
                "value": f"{matrix}_value",
                "creatinine_mg_dl": f"{matrix}_creatinine_mg_dl",
                "status_reason": f"{matrix}_status_reason",
                "readings": f"{matrix}_status",
                "collected_on": "collected_on",
            }
            mapping.update({("readings", i): f for i, f in enumerate(read_fields)})
            self._error_fields.append(mapping)
            drafts.append(
                Draft(
                    sample,
                    Method.POINT_OF_CARE,
                    observed=_observed(self.observed.data),
                    status_reason=self[f"{matrix}_status_reason"].data or "",
                    note=self.note.data or "",
                )
            )
        return drafts

    def fill_from(self, result: TestResult) -> None:
        self.collected_on.data = result.collected_on
        self.observed.data = {True: "yes", False: "no"}.get(result.observed)
        self.note.data = result.note
        m = result.matrix
        self[f"{m}_status"].data = result.status.value
        self[f"{m}_status_reason"].data = result.status_reason
        if m is Matrix.BREATH:
            self[f"{m}_value"].data = result.value
        for reading in result.readings:
            self[f"{m}_{slug(reading.substance)}"].data = reading.screen.value
        if m is Matrix.URINE:
            self[f"{m}_creatinine_mg_dl"].data = result.creatinine_mg_dl


for _name, _field in _point_of_care_fields().items():
    setattr(PointOfCareForm, _name, _field)


# ---------------------------------------------------------------- laboratory results


class LabFormBase(ResultFormBase):
    status = _status_field("Did the test happen?", optional=False)
    status_reason = _reason_field()
    lab_name = StringField(
        "Laboratory",
        widget=GovTextInput(),
        validators=[Length(max=120, message="Laboratory must be 120 characters or fewer")],
    )
    lab_reference = StringField(
        "Lab reference",
        widget=GovTextInput(),
        validators=[Length(max=80, message="Lab reference must be 80 characters or fewer")],
    )
    reported_on = UKDateField("Date reported", name_in_errors="date reported")

    def _draft(self, sample: Sample, mapping: dict, **extra) -> Draft:
        self._error_fields = [{"collected_on": "collected_on", **mapping}]
        return Draft(
            sample,
            Method.LABORATORY,
            observed=_observed(self.observed.data),
            status_reason=self.status_reason.data or "",
            note=self.note.data or "",
            lab_name=self.lab_name.data or "",
            lab_reference=self.lab_reference.data or "",
            reported_on=self.reported_on.data,
            **extra,
        )

    def _fill_common(self, result: TestResult) -> None:
        for name in ("collected_on", "note", "lab_name", "lab_reference", "reported_on"):
            self[name].data = getattr(result, name)
        self.observed.data = {True: "yes", False: "no"}.get(result.observed)
        self.status.data = result.status.value
        self.status_reason.data = result.status_reason


class PEthForm(LabFormBase):
    value = _number("PEth", "PEth reading", MATRICES[Matrix.PETH].unit)

    def drafts(self) -> list[Draft]:
        sample = Sample(
            Matrix.PETH,
            self.collected_on.data,
            Status(self.status.data),
            value=self.value.data if self.status.data == Status.RESULT else None,
        )
        return [self._draft(sample, {"value": "value"})]

    def fill_from(self, result: TestResult) -> None:
        self._fill_common(result)
        self.value.data = result.value


def _lab_panel_fields(matrix: Matrix) -> dict:
    fields = {}
    unit = MATRICES[matrix].unit
    for substance in MATRICES[matrix].substances:
        fields[f"value_{slug(substance)}"] = _number(
            substance.label, f"{substance.label} concentration", unit
        )
        fields[f"cutoff_{slug(substance)}"] = _number(
            f"{substance.label} cut-off", f"{substance.label} cut-off", unit
        )
    return fields


class LabPanelForm(LabFormBase):
    """A laboratory oral fluid or urine result; it may confirm or overturn a screen."""

    matrix: Matrix
    confirms = SelectField("Screen this result confirms", widget=GovSelect())

    def set_screens(self, screens) -> None:
        from fdac.dates import uk_date

        self.confirms.choices = select_choices(
            [("", "None: a laboratory test on its own")]
            + [(s.id, f"{uk_date(s.collected_on)} screen") for s in screens]
        )

    def prefill_cutoffs(self) -> None:
        for substance in MATRICES[self.matrix].substances:
            field = self[f"cutoff_{slug(substance)}"]
            if field.data is None:
                field.data = default_cutoff(self.matrix, substance)

    def drafts(self, screens_by_id: dict) -> list[Draft]:
        readings, mapping = [], {}
        for substance in MATRICES[self.matrix].substances:
            value = self[f"value_{slug(substance)}"].data
            if value is None:
                continue
            mapping[("readings", len(readings))] = f"value_{slug(substance)}"
            cutoff = self[f"cutoff_{slug(substance)}"].data
            readings.append(Read(substance, value=value, cutoff=cutoff))
        for i, reading in enumerate(readings):
            mapping[f"readings.{i}.cutoff"] = f"cutoff_{slug(reading.substance)}"
        mapping["readings"] = f"value_{slug(MATRICES[self.matrix].substances[0])}"
        mapping["creatinine_mg_dl"] = "creatinine_mg_dl"
        result = self.status.data == Status.RESULT
        sample = Sample(
            self.matrix,
            self.collected_on.data,
            Status(self.status.data),
            creatinine_mg_dl=getattr(self, "creatinine_mg_dl", None) and self.creatinine_mg_dl.data,
            readings=tuple(readings) if result else (),
        )
        confirms = screens_by_id.get(int(self.confirms.data)) if self.confirms.data else None
        return [self._draft(sample, mapping, confirms=confirms)]

    def fill_from(self, result: TestResult) -> None:
        self._fill_common(result)
        self.confirms.data = str(result.confirms_id or "")
        for reading in result.readings:
            self[f"value_{slug(reading.substance)}"].data = reading.value
            self[f"cutoff_{slug(reading.substance)}"].data = reading.cutoff
        if self.matrix is Matrix.URINE:
            self.creatinine_mg_dl.data = result.creatinine_mg_dl


class OralFluidLabForm(LabPanelForm):
    matrix = Matrix.ORAL_FLUID


class UrineLabForm(LabPanelForm):
    matrix = Matrix.URINE
    creatinine_mg_dl = _number("Creatinine", "creatinine", "mg/dL")


for _form, _matrix in ((OralFluidLabForm, Matrix.ORAL_FLUID), (UrineLabForm, Matrix.URINE)):
    for _name, _field in _lab_panel_fields(_matrix).items():
        setattr(_form, _name, _field)

LAB_PANEL_FORMS = {Matrix.ORAL_FLUID: OralFluidLabForm, Matrix.URINE: UrineLabForm}


# ------------------------------------------------------------------------- hair


HAIR_SUBSTANCES = MATRICES[Matrix.HAIR].substances


class HairForm(LabFormBase):
    """A hair strand result: its segments, and each substance's concentration per segment."""

    sample_length_cm = _number("Length of the sample", "sample length", "cm")

    def segment_rows(self):
        return [
            (
                i,
                self[f"seg{i}_from"],
                self[f"seg{i}_to"],
                [self[f"seg{i}_{slug(s)}"] for s in HAIR_SUBSTANCES],
            )
            for i in range(MAX_HAIR_SEGMENTS)
        ]

    def cutoff_fields(self):
        return [self[f"cutoff_{slug(s)}"] for s in HAIR_SUBSTANCES if s is not Substance.ALCOHOL]

    def prefill_cutoffs(self) -> None:
        for substance in HAIR_SUBSTANCES:
            if substance is Substance.ALCOHOL:
                continue
            field = self[f"cutoff_{slug(substance)}"]
            if field.data is None:
                field.data = default_cutoff(Matrix.HAIR, substance)

    def drafts(self) -> list[Draft]:
        segments, readings, mapping = [], [], {}
        for i in range(MAX_HAIR_SEGMENTS):
            start, end = self[f"seg{i}_from"].data, self[f"seg{i}_to"].data
            values = {s: self[f"seg{i}_{slug(s)}"].data for s in HAIR_SUBSTANCES}
            if start is None and end is None and all(v is None for v in values.values()):
                continue  # an empty row
            position = len(segments)
            mapping[f"segments.{position}"] = f"seg{i}_from"
            segments.append(Segment(start if start is not None else Decimal(-1), end or Decimal(0)))
            for substance, value in values.items():
                if value is None:
                    continue
                cutoff = (
                    None
                    if substance is Substance.ALCOHOL
                    else self[f"cutoff_{slug(substance)}"].data
                )
                mapping[("readings", len(readings))] = f"seg{i}_{slug(substance)}"
                mapping[f"readings.{len(readings)}.cutoff"] = f"cutoff_{slug(substance)}"
                readings.append(Read(substance, value=value, cutoff=cutoff, segment=position))
        mapping["segments"] = "seg0_from"
        mapping["readings"] = "seg0_from"
        result = self.status.data == Status.RESULT
        sample = Sample(
            Matrix.HAIR,
            self.collected_on.data,
            Status(self.status.data),
            readings=tuple(readings) if result else (),
            segments=tuple(segments) if result else (),
        )
        return [self._draft(sample, mapping, sample_length_cm=self.sample_length_cm.data)]

    def fill_from(self, result: TestResult) -> None:
        self._fill_common(result)
        self.sample_length_cm.data = result.sample_length_cm
        for segment in result.segments:
            self[f"seg{segment.position}_from"].data = segment.from_cm
            self[f"seg{segment.position}_to"].data = segment.to_cm
        for reading in result.readings:
            if reading.segment is None:
                continue
            self[f"seg{reading.segment.position}_{slug(reading.substance)}"].data = reading.value
            if reading.substance is not Substance.ALCOHOL:
                self[f"cutoff_{slug(reading.substance)}"].data = reading.cutoff


for _i in range(MAX_HAIR_SEGMENTS):
    setattr(
        HairForm,
        f"seg{_i}_from",
        _number(f"Segment {_i + 1} from", f"segment {_i + 1} start", "cm"),
    )
    setattr(HairForm, f"seg{_i}_to", _number(f"Segment {_i + 1} to", f"segment {_i + 1} end", "cm"))
    for _s in HAIR_SUBSTANCES:
        _unit = HAIR_ETG_UNIT if _s is Substance.ALCOHOL else MATRICES[Matrix.HAIR].unit
        _label = "EtG (alcohol)" if _s is Substance.ALCOHOL else _s.label
        setattr(
            HairForm,
            f"seg{_i}_{slug(_s)}",
            _number(f"{_label}, segment {_i + 1}", f"{_label} in segment {_i + 1}", _unit),
        )
for _s in HAIR_SUBSTANCES:
    if _s is not Substance.ALCOHOL:
        setattr(
            HairForm,
            f"cutoff_{slug(_s)}",
            _number(f"{_s.label} cut-off", f"{_s.label} cut-off", MATRICES[Matrix.HAIR].unit),
        )


def form_for(result: TestResult):
    """The form that enters (and so amends) a result of this kind."""
    if result.method is Method.POINT_OF_CARE:
        return PointOfCareForm
    if result.matrix is Matrix.PETH:
        return PEthForm
    if result.matrix is Matrix.HAIR:
        return HairForm
    return LAB_PANEL_FORMS[result.matrix]
