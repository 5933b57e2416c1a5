"""docs/api.md's laboratory's day, run as written against a real server with curl and jq.

Every `sh` block of the document runs, in order, in one bash with `set -euo pipefail`, so a
command that fails (curl --fail-with-body on a 4xx) fails the test. Only the values of the
document's `export` lines are replaced: the server's address and the ids on the request form
(this database's). A `text` block straight after an `sh` block is that block's exact output.
"""

import os
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

from sqlalchemy import select

from fdac.extensions import db
from testing_results.models import TestResult
from tests import factories
from tests.api.conftest import make_lab

DOC = Path(__file__).parents[2] / "docs" / "api.md"
_FENCE = re.compile(r"^```(\w*)\n(.*?)^```$", re.S | re.M)
_EXPORT = re.compile(r"^export (.+)$", re.M)
MARK = "@@ block {} @@"


def _blocks() -> list[tuple[str, str]]:
    return [(m.group(1), m.group(2)) for m in _FENCE.finditer(DOC.read_text())]


def _with_values(block: str, values: dict[str, str]) -> str:
    def replace(match):
        names = [pair.split("=", 1)[0] for pair in match.group(1).split()]
        assert set(names) <= set(values), f"the test does not know {names}"
        return "export " + " ".join(f"{name}={values[name]}" for name in names)

    return _EXPORT.sub(replace, block)


def _world(team, api_as):
    """The request form's case and parent, the lab serving the team, and a screen to confirm."""
    case = factories.make_case(team, reference="FDAC-2026-0004", entered_on=date(2026, 8, 3))
    parent = factories.add_parent(case, "Kelly Ashworth")
    lab = make_lab(team)
    lab.email = "lab@northgate.example"
    db.session.commit()
    screen = api_as("practitioner").post(
        f"/api/v1/cases/{case.reference}/test-results",
        json={
            "parent_id": parent.id,
            "kind": "urine",
            "collected_at": "2026-11-17T10:05:00Z",
            "status": "result",
            "observed": True,
            "substances": [{"substance": "cocaine", "positive": True}],
        },
    )
    assert screen.status_code == 201, screen.get_json()
    return case, parent, screen.get_json()["id"]


def test_a_laboratorys_day_runs_as_documented(app, live_server, team, api_as, tmp_path):
    case, parent, screen_id = _world(team, api_as)
    values = {
        "FDAC": live_server,
        "CASE": case.reference,
        "PARENT": str(parent.id),
        "SCREEN": str(screen_id),
    }
    blocks = _blocks()
    commands = [body for kind, body in blocks if kind == "sh"]
    assert len(commands) >= 6
    script = ["set -euo pipefail"]
    for n, body in enumerate(commands):
        script += [f"echo '{MARK.format(n)}'", _with_values(body, values)]
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}",
        "FLASK_APP": "fdac",
        "DATABASE_URL": db.engine.url.render_as_string(hide_password=False),
        "SECRET_KEY": app.config["SECRET_KEY"],
    }
    db.session.commit()
    run = subprocess.run(  # noqa: S603 - our own document, run on purpose
        ["/bin/bash", "-c", "\n".join(script)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=90,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    outputs = _outputs(run.stdout, len(commands))

    # A text block after a command block is its output, exactly.
    n = -1
    for kind, body in blocks:
        if kind == "sh":
            n += 1
        elif kind == "text" and n >= 0:
            assert outputs[n] == body, f"block {n} printed:\n{outputs[n]}"

    db.session.expire_all()
    stored = db.session.scalars(
        select(TestResult).where(TestResult.parent_id == parent.id).order_by(TestResult.id)
    ).all()
    originals = [r for r in stored if r.amends_id is None]
    by_reference = {r.lab_reference: r for r in originals if r.lab_reference}
    # The batch once (sent again: stored once), the confirmation, and the amendment.
    assert sorted(by_reference) == ["NT-26-5501", "NT-26-5502", "NT-26-5503", "NT-26-5504"]
    assert by_reference["NT-26-5504"].confirms_id == screen_id
    amendments = [r for r in stored if r.amends_id is not None]
    assert len(originals) == 5  # the screen, three from the batch and the confirmation
    assert len(amendments) == 1 and amendments[0].amends_id == by_reference["NT-26-5501"].id
    assert "analyser printed 52" in amendments[0].amendment_reason
    assert by_reference["NT-26-5501"].value == 25  # the original stays
    # What the prose says the answers show.
    batch = outputs[3]
    assert '"kind":"peth","overall":"positive","band":"significant_drinking"' in batch
    assert '"kind":"oral_fluid","overall":"negative"' in batch
    assert outputs[4].split() == ["200"]
    assert f'"confirms":{screen_id}' in outputs[5]


def _outputs(stdout: str, count: int) -> list[str]:
    parts = re.split(r"^@@ block (\d+) @@\n", stdout, flags=re.M)
    found = {int(parts[i]): parts[i + 1] for i in range(1, len(parts), 2)}
    assert sorted(found) == list(range(count))
    return [found[i] for i in range(count)]
