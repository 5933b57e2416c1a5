"""The error every domain rule and service raises for bad input a person can fix."""


class FieldError(ValueError):
    """A message a person understands, and the form field it belongs to (None: the whole form)."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class FieldErrors(ValueError):
    """Several FieldErrors at once, so a form or an import shows every problem together."""

    def __init__(self, errors: list[FieldError]):
        super().__init__("; ".join(e.message for e in errors))
        self.errors = errors
