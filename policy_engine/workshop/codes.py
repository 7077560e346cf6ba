"""How people get into a workshop: a short code to type, a long link to scan, a cookie to come back.

- The **short code** is what the facilitator's screen shows in large type: CODE_LENGTH characters of an
  alphabet without look-alikes (no 0/O, 1/I/L, 2/Z, 5/S, 8/B), so a code read across a room is typed
  right. 25⁶ ≈ 2.4 × 10⁸ codes; wrong guesses are slowed per client (`WrongCodes`), and a code works
  only while its workshop is open.
- The **link** (and the QR code that carries it) holds a LINK_BYTES-byte random token (128 bits), which
  nobody guesses; the database keeps only its SHA-256.
- A **participant token** is issued on joining and kept by the phone in an HttpOnly cookie; the
  database keeps its SHA-256 too, so a copy of the database lets nobody vote as somebody else.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
from urllib.parse import urlsplit

CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
CODE_LENGTH = 6
LINK_BYTES = 16  # 128 bits (the issue asks for at least 64)
PARTICIPANT_BYTES = 24

FREE_WRONG_CODES = 5  # wrong codes a client may type before it must wait
WRONG_CODE_WAIT_MAX_S = 300.0
WRONG_CODE_FORGET_S = 900.0
WRONG_CODE_CLIENTS_MAX = 10_000


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def read_code(typed: str) -> str | None:
    """The code as typed, in the canonical form; None when it cannot be a code at all.

    Case, spaces and dashes do not matter ("acd-efg" is "ACDEFG"); a character outside the alphabet
    (a 0, an O, a Cyrillic look-alike) makes it no code, rather than a guess at what was meant."""
    if not isinstance(typed, str) or len(typed) > 4 * CODE_LENGTH:
        return None
    code = "".join(typed.split()).replace("-", "").upper()
    if len(code) != CODE_LENGTH or any(c not in CODE_ALPHABET for c in code):
        return None
    return code


def new_token(size: int = LINK_BYTES) -> str:
    return secrets.token_urlsafe(size)


def token_hash(token: str) -> str:
    """What the database keeps of a link or participant token."""
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def looks_like_token(token: object, size: int = LINK_BYTES) -> bool:
    """A token of the right length and alphabet (base64url); anything else is refused before a lookup."""
    if not isinstance(token, str):
        return False
    expected = len(secrets.token_urlsafe(size))
    return len(token) == expected and all(c.isascii() and (c.isalnum() or c in "-_") for c in token)


class WrongCodes:
    """Wrong codes per client: after FREE_WRONG_CODES in a row, each further try waits a doubling
    delay (up to WRONG_CODE_WAIT_MAX_S), a right code included; a right code resets the count. Counts
    are kept per server process and forgotten after WRONG_CODE_FORGET_S of quiet."""

    def __init__(self, clock=time.monotonic):
        self._clock = clock
        self._lock = threading.Lock()
        self._wrong: dict[str, tuple[int, float]] = {}

    def wait(self, client: str) -> float:
        """Seconds `client` must still wait before its next try (0: it may try now)."""
        now = self._clock()
        with self._lock:
            count, last = self._wrong.get(client, (0, 0.0))
        if count < FREE_WRONG_CODES or now - last > WRONG_CODE_FORGET_S:
            return 0.0
        doublings = min(count - FREE_WRONG_CODES, 30)  # 2**30 s is far past the ceiling; no overflow
        return max(0.0, min(WRONG_CODE_WAIT_MAX_S, 2.0**doublings) - (now - last))

    def failed(self, client: str) -> None:
        now = self._clock()
        with self._lock:
            if len(self._wrong) >= WRONG_CODE_CLIENTS_MAX:  # forget the quiet, then the longest-quiet half
                for key, (_, last) in list(self._wrong.items()):
                    if now - last > WRONG_CODE_FORGET_S:
                        del self._wrong[key]
                if len(self._wrong) >= WRONG_CODE_CLIENTS_MAX:
                    oldest = sorted(self._wrong, key=lambda k: self._wrong[k][1])[: WRONG_CODE_CLIENTS_MAX // 2]
                    for key in oldest:
                        del self._wrong[key]
            count, last = self._wrong.get(client, (0, 0.0))
            self._wrong[client] = ((0 if now - last > WRONG_CODE_FORGET_S else count) + 1, now)

    def succeeded(self, client: str) -> None:
        with self._lock:
            self._wrong.pop(client, None)


def join_addresses(page_url: str, link: str, lang: str | None = None) -> tuple[str, str]:
    """(the address to type the code at, the link the QR code carries), on the server the facilitator's
    browser reached: phones in the same room reach it at the same host. With `lang`, the phones open in
    the facilitator's language (each can switch)."""
    parts = urlsplit(page_url or "")
    base = f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""
    return f"{base}/ws", f"{base}/ws/{link}" + (f"?lang={lang}" if lang else "")


def is_local(url: str) -> bool:
    """True when the address is this computer's own (localhost, 127.x, ::1): a phone cannot reach it."""
    host = (urlsplit(url).hostname or "").lower()
    return host in ("localhost", "::1", "0.0.0.0") or host.startswith("127.")
