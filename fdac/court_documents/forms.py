"""Forms for court documents. They check the shape of what was typed; the rules (required
sections, the period, the workflow) are the services' and come back as FieldErrors."""

from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput, GovTextArea
from wtforms import SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length

from fdac.court_documents.kinds import DocumentKind
from fdac.court_documents.services import MAX_WORDS
from fdac.forms import BaseForm, DateRequired, UKDateField
from fdac.versions import VersionedForm


class _DocumentForm(BaseForm, VersionedForm):
    period_from = UKDateField(
        "From",
        name_in_errors="start of the period",
        description="The first day the progress summary covers. For example, 2 3 2027",
        validators=[DateRequired()],
    )
    period_to = UKDateField(
        "To",
        name_in_errors="end of the period",
        description="The last day it covers, no later than the day of the hearing",
        validators=[DateRequired()],
    )
    submit = SubmitField("Save draft", widget=GovSubmitInput())

    @property
    def word_fields(self):
        return [getattr(self, w.field) for w in self.kind.info.words]

    def words(self) -> dict[str, str]:
        return {w.field: getattr(self, w.field).data or "" for w in self.kind.info.words}


def document_form(kind: DocumentKind, **kwargs) -> _DocumentForm:
    """The form of a document of `kind`: its period and the author's sections."""

    class DocumentForm(_DocumentForm):
        pass

    for w in kind.info.words:
        too_long = f"{w.label} must be {MAX_WORDS:,} characters or fewer"
        validators = [Length(max=MAX_WORDS, message=too_long)]
        if w.required:
            lowered = w.label[0].lower() + w.label[1:]
            validators.insert(0, DataRequired(f"Enter {lowered}"))
        setattr(
            DocumentForm,
            w.field,
            TextAreaField(
                w.label if w.required else f"{w.label} (optional)",
                widget=GovTextArea(),
                description=w.hint,
                validators=validators,
                render_kw={"rows": 6},
            ),
        )
    form = DocumentForm(**kwargs)
    form.kind = kind
    return form


def _reason(label: str, message: str) -> TextAreaField:
    return TextAreaField(
        label,
        widget=GovTextArea(),
        validators=[
            DataRequired(message),
            Length(max=2000, message=f"{label} must be 2,000 characters or fewer"),
        ],
    )


class SendBackForm(BaseForm):
    reason = _reason("Why are you sending it back?", "Enter why you are sending it back")
    submit = SubmitField("Send back to the author", widget=GovSubmitInput())


class ReviseForm(BaseForm):
    reason = _reason("Reason for the revision", "Enter the reason for the revision")
    submit = SubmitField("Start a new version", widget=GovSubmitInput())


class IssueForm(BaseForm):
    submit = SubmitField("Approve and issue", widget=GovSubmitInput())


class SubmitForm(BaseForm):
    submit = SubmitField("Submit for approval", widget=GovSubmitInput())
