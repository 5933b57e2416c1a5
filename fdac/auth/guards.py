"""How views ask the one permission check. Nothing here decides: can() does."""

from functools import wraps

from flask import abort
from flask_login import current_user

from fdac.auth.access import Action, can, visible_cases
from fdac.extensions import db


def requires(action: Action):
    """Refuse (403) a view about no particular case unless can(user, action)."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not can(current_user, action):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def case_for(reference: str, action: Action):
    """The case with `reference` if the user may do `action` to it.

    A case outside the user's scope is a 404, so its existence is not revealed;
    a case they can see but not change is a 403.
    """
    from fdac.cases.models import Case

    case = db.session.scalar(visible_cases(current_user).where(Case.reference == reference))
    if case is None:
        abort(404)
    if not can(current_user, action, case):
        abort(403)
    return case
