"""`make hub`'s configuration (deploy/hub/jupyterhub_config.py) as a teacher gets it: shared-password login
that JupyterHub accepts, passwords kept private, loopback only, the student spawner and the idle culler."""
import asyncio
import json
import os
import stat
import sys
from pathlib import Path

import pytest
from traitlets.config.loader import PyFileConfigLoader

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "deploy" / "hub" / "jupyterhub_config.py"


def load(state: Path, monkeypatch, **env):
    for k in [k for k in os.environ if k.startswith("COURSE_HUB_")]:
        monkeypatch.delenv(k)
    monkeypatch.setenv("COURSE_HUB_DIR", str(state))
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    return PyFileConfigLoader(CONFIG.name, path=str(CONFIG.parent)).load_config()


def test_teacher_default_is_a_valid_shared_password_login(tmp_path, monkeypatch, capsys):
    from jupyterhub.authenticators.shared import SharedPasswordAuthenticator

    c = load(tmp_path / "hub", monkeypatch)
    assert c.JupyterHub.authenticator_class == "shared-password"
    auth = SharedPasswordAuthenticator(config=c)      # JupyterHub's own length and clash checks
    saved = json.loads((tmp_path / "hub" / "passwords").read_text())
    assert stat.S_IMODE((tmp_path / "hub" / "passwords").stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "hub").stat().st_mode) == 0o711 and os.umask(0o022) == 0o077  # private files
    assert auth.user_password == saved["class"] and auth.admin_password == saved["teacher"]
    assert c.Authenticator.admin_users == {"teacher"} and c.Authenticator.allow_all
    assert c.JupyterHub.bind_url.startswith("http://127.0.0.1:") and c.JupyterHub.hub_ip == "127.0.0.1"
    assert "class password" in capsys.readouterr().err
    # a second start keeps the same passwords (students need not be told new ones)
    c2 = load(tmp_path / "hub", monkeypatch)
    assert c2.SharedPasswordAuthenticator.user_password == saved["class"]
    assert any(s["name"] == "jupyterhub-idle-culler" for s in c.JupyterHub.services)

    async def right(name, pw):
        return await auth.authenticate(None, {"username": name, "password": pw})
    assert asyncio.run(right("ada", saved["class"])) is not None
    assert asyncio.run(right("ada", "wrong-password")) is None


def test_roster_limits_who_may_log_in(tmp_path, monkeypatch):
    roster = tmp_path / "roster.txt"
    roster.write_text("Ada\n# a comment\n\nbob\n")
    c = load(tmp_path / "hub", monkeypatch, COURSE_HUB_ROSTER=str(roster))
    assert c.Authenticator.allowed_users == {"ada", "bob"}
    assert "allow_all" not in c.Authenticator


def test_short_class_password_is_refused(tmp_path, monkeypatch):
    from jupyterhub.authenticators.shared import SharedPasswordAuthenticator

    c = load(tmp_path / "hub", monkeypatch, COURSE_HUB_PASSWORD="short")
    with pytest.raises(ValueError, match="at least 8"):
        SharedPasswordAuthenticator(config=c)
