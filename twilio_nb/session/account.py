"""Whose account a connection acts as: the sandbox's public account, a stored credential, the
one given, the environment's or the twilio-cli's (:mod:`.credentials` finds them).

Imports the credentials, the sandbox seam and the settings; never the connection, a front end
or the sandbox.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..errors import ConfigurationError
from .credentials import CredentialStore, ResolvedCredentials, UserCredentials, resolve
from .sandbox_seam import SANDBOX_CREDENTIAL, sandbox_source
from .settings import ConnectionSettings

__all__ = ["account_of"]


def _is_sandbox_name(credential: str | UserCredentials | None) -> bool:
    return isinstance(credential, str) and credential.strip().lower() == SANDBOX_CREDENTIAL


def account_of(credential: str | UserCredentials | None, s: ConnectionSettings,
               environ: Mapping[str, str] | None,
               store: CredentialStore | None) -> ResolvedCredentials:
    """Whose credential: the sandbox's public account, a stored one, the one given, the
    environment's or the twilio-cli's; none: a ConfigurationError saying where to put one."""
    if _is_sandbox_name(credential):
        sandbox_account = sandbox_source().account(s.auth_type or "api_key")
        resolved = resolve(sandbox_account, auth_type=s.auth_type, source=SANDBOX_CREDENTIAL)
    else:
        resolved = resolve(credential, auth_type=s.auth_type, account_sid=s.account_sid,
                           environ=environ, store=store)
    if resolved is None:
        raise ConfigurationError(
            "No credential found: give credential='NAME' (a stored credential) or "
            "tw.UserCredentials(user, password), set TWILIO_ACCOUNT_SID with "
            "TWILIO_API_KEY/TWILIO_API_SECRET or TWILIO_AUTH_TOKEN, or use the offline "
            "sandbox: tw.connect(sandbox=True)", field="Credential Name")
    return resolved
