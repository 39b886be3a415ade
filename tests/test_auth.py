"""Sign-in: password hashes, users from secrets and the environment, the form, sign-out and the CLI."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from app import auth

REPO_ROOT = Path(__file__).resolve().parent.parent
FAST = auth.MIN_ITERATIONS
ZHANG = auth.hash_password("正确的密码 1", iterations=FAST)
LI = auth.hash_password("li-secret", iterations=FAST)


@pytest.fixture(autouse=True)
def _no_env_users(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv(auth.ADMIN_ENV, raising=False)
    monkeypatch.delenv(auth.USERS_ENV, raising=False)
    yield


# --- hashes --------------------------------------------------------------------------------------

def test_hash_has_the_documented_format_and_verifies() -> None:
    encoded = auth.hash_password("s3cret", iterations=FAST, salt="abc123")
    algorithm, iterations, salt, digest = encoded.split("$")
    assert (algorithm, iterations, salt) == ("pbkdf2_sha256", str(FAST), "abc123")
    assert len(digest) == 44  # base64 of 32 bytes
    assert auth.verify_password("s3cret", encoded)
    assert not auth.verify_password("s3cret ", encoded)
    assert not auth.verify_password("", encoded)


def test_default_hash_uses_a_random_salt_and_many_iterations() -> None:
    a, b = auth.hash_password("same"), auth.hash_password("same")
    assert a != b
    assert auth.parse_hash(a)[0] == auth.ITERATIONS >= 600_000
    assert auth.verify_password("same", a) and auth.verify_password("same", b)


@pytest.mark.parametrize("bad", [
    "", "plain-password", "pbkdf2_sha256$1000$salt", "md5$1000$salt$abc", "pbkdf2_sha256$x$salt$abc",
    "pbkdf2_sha256$10$salt$abc", "pbkdf2_sha256$99999999999$salt$abc", "pbkdf2_sha256$1000$$abc",
])
def test_malformed_hashes_match_nothing(bad: str) -> None:
    assert auth.parse_hash(bad) is None
    assert not auth.verify_password("plain-password", bad)


def test_hash_refuses_empty_passwords_and_silly_iterations() -> None:
    with pytest.raises(ValueError):
        auth.hash_password("")
    with pytest.raises(ValueError):
        auth.hash_password("x", iterations=10)


# --- configuration -------------------------------------------------------------------------------

def test_no_configuration_means_no_users() -> None:
    assert auth.configured_users({}, {}) == {}


def test_users_from_secrets() -> None:
    secrets = {"auth": {"users": {"zhang": ZHANG, "li": LI}}}
    users = auth.configured_users(secrets, {})
    assert users == {"zhang": ZHANG, "li": LI}
    assert auth.authenticate("zhang", "正确的密码 1", users)
    assert not auth.authenticate("zhang", "wrong", users)
    assert not auth.authenticate("li", "正确的密码 1", users)
    assert not auth.authenticate("nobody", "li-secret", users)


def test_users_from_the_environment() -> None:
    env = {auth.USERS_ENV: f" zhang:{ZHANG} , li:{LI},broken:notahash,:{LI}"}
    users = auth.configured_users({}, env)
    assert users == {"zhang": ZHANG, "li": LI}
    assert auth.unusable_entries({}, env) == 1
    assert auth.authenticate(" li ", "li-secret", users)


def test_admin_password_from_the_environment_plain_or_hashed() -> None:
    users = auth.configured_users({}, {auth.ADMIN_ENV: "open sesame"})
    assert list(users) == ["admin"]
    assert auth.authenticate("admin", "open sesame", users)
    assert not auth.authenticate("admin", "open sesame!", users)
    assert not auth.authenticate("admin", "", users)
    hashed = auth.configured_users({}, {auth.ADMIN_ENV: ZHANG})
    assert auth.authenticate("admin", "正确的密码 1", hashed)
    assert not auth.authenticate("admin", ZHANG, hashed)


def test_plain_passwords_are_refused_outside_the_admin_variable() -> None:
    assert auth.configured_users({"auth": {"users": {"zhang": "letmein"}}}, {}) == {}
    assert auth.configured_users({}, {auth.USERS_ENV: "zhang:letmein"}) == {}


def test_sources_combine_and_secrets_win() -> None:
    secrets = {"auth": {"users": {"zhang": ZHANG}}}
    env = {auth.USERS_ENV: f"zhang:{LI},li:{LI}", auth.ADMIN_ENV: "pw"}
    users = auth.configured_users(secrets, env)
    assert users == {"admin": "pw", "zhang": ZHANG, "li": LI}


def test_secrets_without_an_auth_section_are_ignored() -> None:
    assert auth.configured_users({"other": {"x": 1}}, {}) == {}
    assert auth.configured_users({"auth": {"redirect_uri": "http://x"}}, {}) == {}


# --- command line --------------------------------------------------------------------------------

def test_the_hash_command_reads_the_password_from_stdin() -> None:
    run = subprocess.run([sys.executable, "-m", "app.auth", "hash", "--iterations", str(FAST)], cwd=REPO_ROOT,
                         input="命令行密码\n", capture_output=True, text=True, timeout=120,
                         env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    assert run.returncode == 0, run.stderr
    encoded = run.stdout.strip()
    assert encoded.startswith(f"pbkdf2_sha256${FAST}$")
    assert auth.verify_password("命令行密码", encoded)


def test_the_hash_command_refuses_an_empty_password() -> None:
    run = subprocess.run([sys.executable, "-m", "app.auth", "hash"], cwd=REPO_ROOT, input="\n",
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 1 and "empty" in run.stderr


# --- the form in a Streamlit session -------------------------------------------------------------

def signing_app() -> None:
    import streamlit as st

    from app import auth

    user = auth.require_user("en", key="t")
    st.text(f"user={user}")


def app_test(users: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_function(signing_app, default_timeout=30)
    if users is not None:
        at.secrets["auth"] = {"users": users}
    return at.run()


def shown_user(at: AppTest) -> str:
    return at.text[-1].value


def submit(at: AppTest, name: str, password: str) -> AppTest:
    at.text_input(key="t_form_user").input(name)
    at.text_input(key="t_form_password").input(password)
    return at.button[0].click().run()


def test_without_users_the_form_says_how_to_configure() -> None:
    at = app_test()
    assert not at.exception
    message = at.warning[0].value
    assert "DISCLOSURE_ADMIN_PASSWORD" in message and "python -m app.auth hash" in message
    assert "[auth.users]" in message
    assert not at.text_input
    assert shown_user(at) == "user=None"


def test_sign_in_with_secrets_then_sign_out() -> None:
    at = app_test({"zhang": ZHANG})
    assert "need a sign-in" in at.info[0].value
    at = submit(at, "zhang", "wrong")
    assert at.error[0].value == "Wrong user name or password."
    assert shown_user(at) == "user=None"
    at = submit(at, "zhang", "正确的密码 1")
    assert not at.exception
    assert shown_user(at) == "user=zhang"
    assert at.session_state[auth.SESSION_USER] == "zhang"
    assert "Signed in as zhang" in at.caption[0].value
    at.button(key="t_sign_out").click().run()
    assert shown_user(at) == "user=None"
    assert at.text_input(key="t_form_password").value == ""


def test_sign_in_with_the_admin_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(auth.ADMIN_ENV, "admin-pass")
    at = submit(app_test(), "admin", "admin-pass")
    assert shown_user(at) == "user=admin"


def test_a_user_removed_from_the_configuration_is_signed_out() -> None:
    at = AppTest.from_function(signing_app, default_timeout=30)
    at.session_state[auth.SESSION_USER] = "ghost"
    at.secrets["auth"] = {"users": {"zhang": ZHANG}}
    at.run()
    assert shown_user(at) == "user=None"


def test_too_many_failures_lock_the_form(monkeypatch: pytest.MonkeyPatch) -> None:
    at = app_test({"zhang": ZHANG})
    for _ in range(auth.MAX_FAILURES):
        at = submit(at, "zhang", "guess")
    at = submit(at, "zhang", "正确的密码 1")
    assert "Too many failed sign-ins" in at.error[0].value
    assert shown_user(at) == "user=None"
