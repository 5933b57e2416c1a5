"""Settings, read from environment variables with safe defaults for one team on one machine."""

import os
import secrets
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
INSTANCE_PATH = Path(os.environ.get("FDAC_INSTANCE_PATH", PROJECT_ROOT / "instance"))


def _secret_key(instance_path: Path) -> str:
    """SECRET_KEY from the environment, or one generated once and kept in instance/.

    Generating it once (not per start) keeps people signed in across restarts.
    """
    if key := os.environ.get("SECRET_KEY"):
        return key
    key_file = instance_path / "secret_key"
    if not key_file.exists():
        instance_path.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def _database_url(instance_path: Path) -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        return f"sqlite:///{instance_path / 'fdac.sqlite3'}"
    # Hosting platforms hand out postgres:// URLs; SQLAlchemy wants the psycopg 3 driver named.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _two_factor() -> bool:
    """Two-factor sign-in is on unless FDAC_TWO_FACTOR says plainly "off" (or 0, false, no):
    a typo keeps it on. Off is for a demonstration only, and shows it (fdac.security)."""
    value = os.environ.get("FDAC_TWO_FACTOR", "on").strip().lower()
    return value not in {"off", "0", "false", "no"}


def from_environment(instance_path: Path = INSTANCE_PATH) -> dict:
    """The configuration mapping create_app() uses when it is given none."""
    return {
        "SECRET_KEY": _secret_key(instance_path),
        "SQLALCHEMY_DATABASE_URI": _database_url(instance_path),
        # Cookies only over https, and HSTS sent (fdac.security), unless switched off for plain
        # http to a browser that refuses Secure cookies from it (`FDAC_SECURE_COOKIES=0`);
        # Chromium accepts them from http://127.0.0.1, so `make run` needs nothing.
        "SESSION_COOKIE_SECURE": _flag("FDAC_SECURE_COOKIES", True),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        # Nobody is remembered (login_user without remember=True); if ever, the same flags.
        "REMEMBER_COOKIE_SECURE": _flag("FDAC_SECURE_COOKIES", True),
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        # Sessions (fdac.auth.sessions): signed out after this long without a request, and
        # after this long whatever happens.
        "FDAC_IDLE_MINUTES": int(os.environ.get("FDAC_IDLE_MINUTES", "30")),
        "FDAC_SESSION_HOURS": int(os.environ.get("FDAC_SESSION_HOURS", "12")),
        # Brute force (fdac.auth.services, fdac.auth.views): this many wrong passwords in a row
        # lock an account for this long; the same number per email typed, and more per
        # address, are refused by the rate limiter whether the account exists or not.
        "FDAC_SIGN_IN_MAX_FAILURES": int(os.environ.get("FDAC_SIGN_IN_MAX_FAILURES", "5")),
        "FDAC_SIGN_IN_LOCK_MINUTES": int(os.environ.get("FDAC_SIGN_IN_LOCK_MINUTES", "15")),
        "FDAC_SIGN_IN_FAILURES_PER_ADDRESS": int(
            os.environ.get("FDAC_SIGN_IN_FAILURES_PER_ADDRESS", "30")
        ),
        # Two-factor sign-in for every role (fdac.auth.two_factor). Off only for a demo
        # (`FDAC_TWO_FACTOR=off`): every admin then sees a warning on every page, the sign-in
        # page says so, and the log warns at start.
        "FDAC_TWO_FACTOR": _two_factor(),
        # Minutes between a correct password and the code before the password is asked again.
        "FDAC_SECOND_STEP_MINUTES": int(os.environ.get("FDAC_SECOND_STEP_MINUTES", "5")),
        "WTF_CSRF_TIME_LIMIT": None,  # the token lives as long as the session
        # A 100,000-row lab file is about 10 MB; anything far larger is not a lab file.
        "MAX_CONTENT_LENGTH": 32 * 1024 * 1024,
        "FDAC_CASES_PER_PAGE": int(os.environ.get("FDAC_CASES_PER_PAGE", "25")),
        # Years a closed case is kept whole before it is anonymised (fdac.retention, 0035).
        "FDAC_RETENTION_YEARS": int(os.environ.get("FDAC_RETENTION_YEARS", "6")),
    }
