"""Sign-in for adding and correcting reports; viewing the dashboard needs none.

Takes the users and their password hashes from Streamlit secrets or the environment:

* ``.streamlit/secrets.toml``::

      [auth.users]
      zhang = "pbkdf2_sha256$600000$<salt>$<hash>"

* ``DISCLOSURE_USERS="zhang:pbkdf2_sha256$…,li:pbkdf2_sha256$…"``;
* ``DISCLOSURE_ADMIN_PASSWORD``: one user called ``admin``, whose value is a hash as above or,
  for a quick local setup, the password itself.

All three are combined; when a name appears in more than one, the secrets entry wins, then
``DISCLOSURE_USERS``. Hashes are PBKDF2-HMAC-SHA256 (``hashlib.pbkdf2_hmac``) written as
``pbkdf2_sha256$<iterations>$<salt>$<base64 hash>`` and compared with ``hmac.compare_digest``;
``python -m app.auth hash`` makes one. Gives ``require_user(lang)`` (the signed-in user, or the
sign-in form / the "not configured" message and ``None``), ``current_user()``, ``sign_in`` and
``sign_out``. The signed-in name lives in the session state under ``SESSION_USER``; a user removed
from the configuration is signed out on the next run.
"""

from __future__ import annotations

import argparse
import base64
import getpass
import hashlib
import hmac
import os
import secrets
import sys
import time
from collections.abc import Mapping
from typing import Any

import streamlit as st

from app.i18n import current_lang

ALGORITHM = "pbkdf2_sha256"
ITERATIONS = 600_000
MIN_ITERATIONS = 1_000
MAX_ITERATIONS = 10_000_000
ADMIN_ENV = "DISCLOSURE_ADMIN_PASSWORD"
USERS_ENV = "DISCLOSURE_USERS"
ADMIN_USER = "admin"
SESSION_USER = "_auth_user"
SESSION_FAILURES = "_auth_failures"
MAX_FAILURES = 5
LOCKOUT_SECONDS = 60

STRINGS: dict[str, dict[str, str]] = {
    "zh": {
        "not_configured": "添加和更正报告需要登录，但尚未配置任何用户，因此这两项功能已关闭。"
                          "管理员可在服务器上设置环境变量 DISCLOSURE_ADMIN_PASSWORD（单个 admin 用户），"
                          "或 DISCLOSURE_USERS（“用户名:哈希,用户名:哈希”），或在 .streamlit/secrets.toml 的 "
                          "[auth.users] 中写入“用户名 = \"哈希\"”；哈希用 `python -m app.auth hash` 生成。"
                          "设置后重启看板。",
        "bad_entries": "有 {n} 条用户配置无法读取（不是 pbkdf2_sha256 哈希），已忽略。",
        "required": "添加和更正报告需要登录；查看数据无需登录。",
        "form": "登录",
        "user": "用户名",
        "password": "密码",
        "submit": "登录",
        "wrong": "用户名或密码错误。",
        "locked": "登录失败次数过多，请 {seconds} 秒后再试。",
        "signed_in": "已登录：{user}",
        "sign_out": "退出登录",
    },
    "en": {
        "not_configured": "Adding and correcting reports need a sign-in, but no user is configured, so both are "
                          "turned off. An administrator sets the environment variable DISCLOSURE_ADMIN_PASSWORD "
                          "(one user, admin) or DISCLOSURE_USERS (\"name:hash,name:hash\") on the server, or adds "
                          "`name = \"hash\"` under [auth.users] in .streamlit/secrets.toml; "
                          "`python -m app.auth hash` makes a hash. Then restart the dashboard.",
        "bad_entries": "{n} user entries could not be read (not a pbkdf2_sha256 hash) and are ignored.",
        "required": "Adding and correcting reports need a sign-in; viewing the data does not.",
        "form": "Sign in",
        "user": "User name",
        "password": "Password",
        "submit": "Sign in",
        "wrong": "Wrong user name or password.",
        "locked": "Too many failed sign-ins: try again in {seconds} seconds.",
        "signed_in": "Signed in as {user}",
        "sign_out": "Sign out",
    },
}


def _t(key: str, lang: str | None = None, **fmt: object) -> str:
    strings = STRINGS.get(lang or current_lang(), STRINGS["zh"])
    text = strings[key]
    return text.format(**fmt) if fmt else text


# --- hashes --------------------------------------------------------------------------------------

def _derive(password: str, salt: str, iterations: int) -> str:
    key = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt.encode("utf-8"), iterations)
    return base64.b64encode(key).decode("ascii")


def hash_password(password: str, *, iterations: int = ITERATIONS, salt: str | None = None) -> str:
    """``pbkdf2_sha256$<iterations>$<salt>$<hash>`` for ``password`` (a random salt unless given)."""
    if not password:
        raise ValueError("the password is empty")
    if not MIN_ITERATIONS <= iterations <= MAX_ITERATIONS:
        raise ValueError(f"iterations must be between {MIN_ITERATIONS} and {MAX_ITERATIONS}")
    salt = salt or secrets.token_hex(16)
    if "$" in salt:
        raise ValueError("the salt must not contain '$'")
    return f"{ALGORITHM}${iterations}${salt}${_derive(password, salt, iterations)}"


def parse_hash(encoded: str) -> tuple[int, str, str] | None:
    """(iterations, salt, hash) of a well-formed hash string, else None."""
    parts = encoded.strip().split("$")
    if len(parts) != 4 or parts[0] != ALGORITHM or not parts[1].isdigit() or not parts[2] or not parts[3]:
        return None
    iterations = int(parts[1])
    if not MIN_ITERATIONS <= iterations <= MAX_ITERATIONS:
        return None
    return iterations, parts[2], parts[3]


def is_hash(value: str) -> bool:
    return parse_hash(value) is not None


def verify_password(password: str, encoded: str) -> bool:
    """Whether ``password`` matches ``encoded`` (a hash string); a malformed hash matches nothing."""
    parsed = parse_hash(encoded)
    if parsed is None or not password:
        return False
    iterations, salt, expected = parsed
    return hmac.compare_digest(_derive(password, salt, iterations).encode("ascii"), expected.encode("ascii"))


def _check(password: str, stored: str) -> bool:
    """A stored hash, or (``DISCLOSURE_ADMIN_PASSWORD`` only) the password itself, compared in constant time."""
    if stored.startswith(ALGORITHM + "$"):
        return verify_password(password, stored)
    return bool(password) and hmac.compare_digest(hashlib.sha256(password.encode("utf-8")).digest(),
                                                  hashlib.sha256(stored.encode("utf-8")).digest())


# --- configuration -------------------------------------------------------------------------------

def _secret_users(secrets_source: Mapping[str, Any] | None) -> dict[str, str]:
    try:
        source = st.secrets if secrets_source is None else secrets_source
        section = source.get("auth") if hasattr(source, "get") else None
        users = section.get("users") if section is not None and hasattr(section, "get") else None
        if users is None or not hasattr(users, "items"):
            return {}
        return {str(name).strip(): str(value).strip() for name, value in users.items()}
    except Exception:  # no secrets.toml, or one Streamlit cannot parse
        return {}


def _env_users(environ: Mapping[str, str]) -> dict[str, str]:
    users: dict[str, str] = {}
    for item in (environ.get(USERS_ENV) or "").split(","):
        name, sep, value = item.partition(":")
        if sep and name.strip():
            users.setdefault(name.strip(), value.strip())
    return users


def configured_entries(secrets_source: Mapping[str, Any] | None = None,
                       environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """Every configured name → stored value (hash, or the admin password), valid or not."""
    environ = os.environ if environ is None else environ
    entries: dict[str, str] = {}
    admin = (environ.get(ADMIN_ENV) or "").strip()
    if admin:
        entries[ADMIN_USER] = admin
    entries.update(_env_users(environ))
    entries.update(_secret_users(secrets_source))
    return entries


def _usable(name: str, stored: str, environ: Mapping[str, str]) -> bool:
    if is_hash(stored):
        return True
    admin = (environ.get(ADMIN_ENV) or "").strip()
    return name == ADMIN_USER and bool(stored) and stored == admin and not stored.startswith(ALGORITHM + "$")


def configured_users(secrets_source: Mapping[str, Any] | None = None,
                     environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """The users that can sign in: name → hash (or the plain admin password)."""
    environ = os.environ if environ is None else environ
    entries = configured_entries(secrets_source, environ)
    return {name: stored for name, stored in entries.items() if _usable(name, stored, environ)}


def unusable_entries(secrets_source: Mapping[str, Any] | None = None,
                     environ: Mapping[str, str] | None = None) -> int:
    """How many configured entries are ignored because their value is not a valid hash."""
    environ = os.environ if environ is None else environ
    return len(configured_entries(secrets_source, environ)) - len(configured_users(secrets_source, environ))


def is_configured() -> bool:
    return bool(configured_users())


def authenticate(name: str, password: str, users: Mapping[str, str] | None = None) -> bool:
    """Whether ``name`` is a configured user and ``password`` is theirs."""
    users = configured_users() if users is None else users
    stored = users.get((name or "").strip())
    if stored is None:
        _derive(password or "x", "unknown-user", ITERATIONS)  # as slow as a known user
        return False
    return _check(password or "", stored)


# --- session -------------------------------------------------------------------------------------

def current_user() -> str | None:
    """The signed-in user of this session, if that user is still configured."""
    user = st.session_state.get(SESSION_USER)
    if user is None:
        return None
    if user not in configured_users():
        st.session_state.pop(SESSION_USER, None)
        return None
    return str(user)


def _locked_for() -> int:
    """Seconds this session must still wait after too many failed sign-ins (0: may try)."""
    now = time.monotonic()
    failures = [t for t in st.session_state.get(SESSION_FAILURES, []) if now - t < LOCKOUT_SECONDS]
    st.session_state[SESSION_FAILURES] = failures
    if len(failures) < MAX_FAILURES:
        return 0
    return max(1, int(LOCKOUT_SECONDS - (now - failures[-MAX_FAILURES])))


def sign_in(name: str, password: str) -> bool:
    """Check the password and, when right, store the user in the session; counts failures."""
    if _locked_for():
        return False
    name = (name or "").strip()
    if authenticate(name, password):
        st.session_state[SESSION_USER] = name
        st.session_state[SESSION_FAILURES] = []
        return True
    st.session_state.setdefault(SESSION_FAILURES, []).append(time.monotonic())
    return False


def sign_out() -> None:
    st.session_state.pop(SESSION_USER, None)


def sign_in_form(lang: str | None = None, key: str = "auth_form") -> str | None:
    """The sign-in form (or the "not configured" message); the user once signed in, else None."""
    user = current_user()
    if user is not None:
        return user
    if not is_configured():
        st.warning(_t("not_configured", lang), icon=":material/lock:")
        return None
    bad = unusable_entries()
    if bad:
        st.caption(_t("bad_entries", lang, n=bad))
    st.info(_t("required", lang), icon=":material/lock:")
    with st.form(key, clear_on_submit=True):
        st.markdown(f"**{_t('form', lang)}**")
        name = st.text_input(_t("user", lang), key=f"{key}_user", autocomplete="username")
        password = st.text_input(_t("password", lang), type="password", key=f"{key}_password",
                                 autocomplete="current-password")
        submitted = st.form_submit_button(_t("submit", lang), type="primary")
    if submitted:
        wait = _locked_for()
        if wait:
            st.error(_t("locked", lang, seconds=wait))
        elif sign_in(name, password):
            st.rerun()
        else:
            st.error(_t("wrong", lang))
    return None


def signed_in_bar(user: str, lang: str | None = None, key: str = "auth_sign_out") -> None:
    """Who is signed in, and a sign-out button."""
    left, right = st.columns([4, 1], vertical_alignment="center")
    left.caption(_t("signed_in", lang, user=user))
    if right.button(_t("sign_out", lang), key=key, icon=":material/logout:"):
        sign_out()
        st.rerun()


def require_user(lang: str | None = None, key: str = "auth") -> str | None:
    """The signed-in user with a sign-out button, or the sign-in form (or why there is none) and None."""
    user = sign_in_form(lang, key=f"{key}_form")
    if user is not None:
        signed_in_bar(user, lang, key=f"{key}_sign_out")
    return user


# --- command line --------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m app.auth",
                                     description="Make a password hash for the dashboard's users.")
    sub = parser.add_subparsers(dest="command", required=True)
    make = sub.add_parser("hash", help="print a pbkdf2_sha256 hash of a password (asked twice, or read from stdin)")
    make.add_argument("--iterations", type=int, default=ITERATIONS)
    args = parser.parse_args(argv)
    if sys.stdin.isatty():
        password = getpass.getpass("Password: ")
        if getpass.getpass("Again: ") != password:
            print("The passwords differ.", file=sys.stderr)
            return 1
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    try:
        print(hash_password(password, iterations=args.iterations))
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
