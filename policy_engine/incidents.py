"""Incidents: a failure nobody planned for is written to the server log in full, under a short random
reference, and the user is shown only that reference.

A NUL character that reached PostgreSQL once made a page show the INSERT statement with part of the
document. Whatever an exception says — SQL, parameters, file paths, a traceback — is for whoever runs
the server; the user gets a sentence in their language and the reference, which they can pass on and
which finds the full record in the log (`grep INCIDENT-REF`).
"""

from __future__ import annotations

import logging
import secrets

log = logging.getLogger("genius_loci")


def new_reference() -> str:
    """A short random reference, easy to read out and to find in the log: 8 hex digits."""
    return secrets.token_hex(4).upper()


def record(exc: BaseException, what: str) -> str:
    """Log `exc` with its traceback under a new reference, and return the reference."""
    reference = new_reference()
    log.error(
        "incident %s: %s: %s: %s",
        reference,
        what,
        type(exc).__name__,
        exc,
        exc_info=(type(exc), exc, exc.__traceback__),
    )
    return reference
