"""Short codes, link tokens and the wrong-code throttle (policy_engine/workshop/codes.py).

The throttle is driven by a fake clock, so every wait is exact; the codes typed are made from the
alphabet by `new_code`, and the look-alikes are the characters a code read across a room is confused
with.
"""

from __future__ import annotations

import re
import secrets

import pytest
from hypothesis import given
from hypothesis import strategies as st

from policy_engine.workshop.codes import (
    CODE_ALPHABET,
    CODE_LENGTH,
    FREE_WRONG_CODES,
    LINK_BYTES,
    PARTICIPANT_BYTES,
    WRONG_CODE_CLIENTS_MAX,
    WRONG_CODE_FORGET_S,
    WRONG_CODE_WAIT_MAX_S,
    WrongCodes,
    join_addresses,
    looks_like_token,
    new_code,
    new_token,
    read_code,
    token_hash,
)

LOOK_ALIKES = "0O1IL2Z5S8B"  # 0/O, 1/I/L, 2/Z, 5/S, 8/B (the module's docstring)
CYRILLIC_LOOK_ALIKES = "АВСЕНКМОРТХУ"  # Cyrillic capitals drawn like Latin ones


class Clock:
    """A monotonic clock the test moves by hand."""

    def __init__(self, now: float = 1_000.0):
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


# --- the short code -----------------------------------------------------------------------------------


def test_the_alphabet_has_no_look_alikes():
    assert not set(LOOK_ALIKES) & set(CODE_ALPHABET)
    assert len(set(CODE_ALPHABET)) == len(CODE_ALPHABET)  # no letter twice
    assert all(c.isascii() and (c.isupper() or c.isdigit()) for c in CODE_ALPHABET)


def test_a_code_is_long_enough_not_to_be_guessed_in_a_room():
    assert CODE_LENGTH >= 6
    assert len(CODE_ALPHABET) ** CODE_LENGTH >= 10**8


def test_new_codes_are_of_the_alphabet_and_differ():
    codes = [new_code() for _ in range(200)]
    assert all(len(c) == CODE_LENGTH and set(c) <= set(CODE_ALPHABET) for c in codes)
    assert len(set(codes)) > 190  # 200 draws from 2.4 × 10⁸ codes: a repeat is rare, many are a broken generator
    assert all(read_code(c) == c for c in codes)


@pytest.mark.parametrize(
    "typed",
    [
        lambda c: c.lower(),
        lambda c: f"{c[:3]}-{c[3:]}",
        lambda c: f"{c[:3]} {c[3:]}".lower(),
        lambda c: f"  {c}\t",
        lambda c: "-".join(c),
        lambda c: f"{c[:3]}\u00a0{c[3:]}",  # a no-break space from a phone's keyboard
    ],
    ids=["lower", "dash", "space lower", "padded", "dash between each", "no-break space"],
)
def test_a_code_reads_whatever_its_case_spaces_and_dashes(typed):
    code = new_code()
    assert read_code(typed(code)) == code


@pytest.mark.parametrize("look_alike", LOOK_ALIKES + LOOK_ALIKES.lower())
def test_a_look_alike_makes_no_code(look_alike):
    code = new_code()
    assert read_code(code[:-1] + look_alike) is None


@pytest.mark.parametrize("cyrillic", CYRILLIC_LOOK_ALIKES + CYRILLIC_LOOK_ALIKES.lower())
def test_a_cyrillic_look_alike_makes_no_code(cyrillic):
    # the first character of the alphabet is A, which a Russian keyboard types as А (U+0410)
    code = new_code()
    assert read_code(cyrillic + code[1:]) is None
    assert read_code(code[:2] + cyrillic + code[3:]) is None


@pytest.mark.parametrize("length", [0, 1, CODE_LENGTH - 1, CODE_LENGTH + 1, 2 * CODE_LENGTH])
def test_a_code_of_the_wrong_length_is_no_code(length):
    typed = "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))
    assert read_code(typed) is None


def test_a_code_drowned_in_spaces_or_dashes_is_no_code():
    code = new_code()
    assert read_code("-" * 100 + code) is None
    assert read_code(" " * 100 + code) is None


@pytest.mark.parametrize("typed", [None, 123456, 12.5, b"ACDEFG", ["ACDEFG"], {"code": "ACDEFG"}])
def test_a_code_that_is_not_text_is_no_code(typed):
    assert read_code(typed) is None


@given(st.text(max_size=40))
def test_read_code_gives_a_canonical_code_or_none(typed):
    code = read_code(typed)
    assert code is None or (len(code) == CODE_LENGTH and set(code) <= set(CODE_ALPHABET))


# --- tokens ---------------------------------------------------------------------------------------------


def test_tokens_carry_at_least_64_bits():
    assert LINK_BYTES * 8 >= 64
    assert PARTICIPANT_BYTES * 8 >= 64


@pytest.mark.parametrize("size", [LINK_BYTES, PARTICIPANT_BYTES])
def test_new_tokens_look_like_tokens_of_their_size_only(size):
    tokens = {new_token(size) for _ in range(100)}
    assert len(tokens) == 100
    for token in tokens:
        assert re.fullmatch(r"[A-Za-z0-9_-]+", token)
        assert looks_like_token(token, size)
    other = PARTICIPANT_BYTES if size == LINK_BYTES else LINK_BYTES
    assert not looks_like_token(new_token(other), size)


def test_a_link_token_by_default():
    assert looks_like_token(new_token())
    assert looks_like_token(new_token(LINK_BYTES))


def swap(token: str, position: int, character: str) -> str:
    return token[:position] + character + token[position + 1 :]


@pytest.mark.parametrize(
    "spoil",
    [
        lambda t: t[:-1],
        lambda t: t + "A",
        lambda t: "",
        lambda t: swap(t, 3, "+"),  # standard base64, not base64url
        lambda t: swap(t, 3, "/"),
        lambda t: swap(t, 3, "="),
        lambda t: swap(t, 3, "А"),  # Cyrillic A
        lambda t: swap(t, 3, "٣"),  # an Arabic-Indic digit: isalnum, not ASCII
        lambda t: swap(t, 3, " "),
        lambda t: swap(t, 3, "\x00"),
    ],
    ids=["short", "long", "empty", "plus", "slash", "padding", "cyrillic", "arabic digit", "space", "nul"],
)
def test_a_spoilt_token_is_refused_before_a_lookup(spoil):
    token = new_token()
    assert not looks_like_token(spoil(token))


@pytest.mark.parametrize("value", [None, 0, b"x" * 22, ["x" * 22]])
def test_a_token_that_is_not_text_is_refused(value):
    assert not looks_like_token(value)


def test_the_database_keeps_a_hash_not_the_token():
    token, other = new_token(), new_token()
    kept = token_hash(token)
    assert re.fullmatch(r"[0-9a-f]{64}", kept)
    assert token not in kept
    assert token_hash(token) == kept  # the same token finds the same row
    assert token_hash(other) != kept
    assert re.fullmatch(r"[0-9a-f]{64}", token_hash("\ud800 broken surrogate"))  # never raises


# --- wrong codes -------------------------------------------------------------------------------------


def test_the_first_wrong_codes_are_free():
    clock = Clock()
    wrong = WrongCodes(clock)
    for _ in range(FREE_WRONG_CODES - 1):
        wrong.failed("10.0.0.1")
        assert wrong.wait("10.0.0.1") == 0
    wrong.failed("10.0.0.1")
    assert wrong.wait("10.0.0.1") > 0


def test_each_further_wrong_code_doubles_the_wait_up_to_the_maximum():
    clock = Clock()
    wrong = WrongCodes(clock)
    for _ in range(FREE_WRONG_CODES):
        wrong.failed("10.0.0.1")
    waits = []
    for _ in range(20):
        wait = wrong.wait("10.0.0.1")
        waits.append(wait)
        clock.advance(wait)  # the client waits as told, then types another wrong code
        assert wrong.wait("10.0.0.1") == 0
        wrong.failed("10.0.0.1")
    assert waits[0] > 0
    capped = waits.index(WRONG_CODE_WAIT_MAX_S)
    assert capped > 2
    assert all(b == 2 * a for a, b in zip(waits[: capped - 1], waits[1:capped]))
    assert waits[capped - 1] < WRONG_CODE_WAIT_MAX_S <= 2 * waits[capped - 1]
    assert set(waits[capped:]) == {WRONG_CODE_WAIT_MAX_S}


def test_the_wait_runs_down_with_the_clock():
    clock = Clock()
    wrong = WrongCodes(clock)
    for _ in range(FREE_WRONG_CODES + 2):
        wrong.failed("10.0.0.1")
    full = wrong.wait("10.0.0.1")
    clock.advance(full / 4)
    assert wrong.wait("10.0.0.1") == pytest.approx(full * 3 / 4)
    clock.advance(full)
    assert wrong.wait("10.0.0.1") == 0


def test_a_right_code_resets_the_count():
    clock = Clock()
    wrong = WrongCodes(clock)
    for _ in range(FREE_WRONG_CODES + 3):
        wrong.failed("10.0.0.1")
    clock.advance(wrong.wait("10.0.0.1"))
    wrong.succeeded("10.0.0.1")
    assert wrong.wait("10.0.0.1") == 0
    for _ in range(FREE_WRONG_CODES - 1):  # the free tries are free again
        wrong.failed("10.0.0.1")
        assert wrong.wait("10.0.0.1") == 0
    wrong.succeeded("10.0.0.9")  # a client that never failed: nothing to reset, no error


def test_wrong_codes_are_counted_per_client():
    clock = Clock()
    wrong = WrongCodes(clock)
    for _ in range(FREE_WRONG_CODES + 3):
        wrong.failed("10.0.0.1")
    assert wrong.wait("10.0.0.1") > 0
    assert wrong.wait("10.0.0.2") == 0
    wrong.succeeded("10.0.0.2")
    assert wrong.wait("10.0.0.1") > 0


@pytest.mark.parametrize("quiet, remembered", [(WRONG_CODE_FORGET_S - 1, True), (WRONG_CODE_FORGET_S + 1, False)])
def test_wrong_codes_are_forgotten_after_a_quiet_spell(quiet, remembered):
    clock = Clock()
    wrong = WrongCodes(clock)
    for _ in range(FREE_WRONG_CODES + 8):
        wrong.failed("10.0.0.1")
    clock.advance(quiet)
    assert wrong.wait("10.0.0.1") == 0  # the last wait has run out either way
    wrong.failed("10.0.0.1")
    if remembered:  # one more of the old count: a wait at once
        assert wrong.wait("10.0.0.1") > 0
    else:  # the first of a new count: the free tries are free again
        for _ in range(FREE_WRONG_CODES - 2):
            assert wrong.wait("10.0.0.1") == 0
            wrong.failed("10.0.0.1")
        assert wrong.wait("10.0.0.1") == 0
        wrong.failed("10.0.0.1")
        assert 0 < wrong.wait("10.0.0.1") < WRONG_CODE_WAIT_MAX_S


def test_forgotten_clients_are_dropped_when_many_have_failed():
    clock = Clock()
    wrong = WrongCodes(clock)
    for n in range(WRONG_CODE_CLIENTS_MAX + 1):
        wrong.failed(f"old-{n}")
    clock.advance(WRONG_CODE_FORGET_S + 1)
    for n in range(WRONG_CODE_CLIENTS_MAX // 2 + 1):  # enough new ones to reach the ceiling again
        wrong.failed(f"new-{n}")
    assert len(wrong._wrong) <= WRONG_CODE_CLIENTS_MAX
    assert not any(key.startswith("old-") for key in wrong._wrong)  # the stale clients went first
    assert "new-0" in wrong._wrong and wrong.wait("new-0") == 0


def test_the_table_stays_bounded_while_many_clients_fail_at_once():
    clock = Clock()
    wrong = WrongCodes(clock)
    for n in range(WRONG_CODE_CLIENTS_MAX + 100):
        wrong.failed(f"2001:db8::{n:x}")
        clock.advance(0.01)  # 100 s in all, well inside one quiet spell
    assert len(wrong._wrong) <= WRONG_CODE_CLIENTS_MAX + 1


def test_a_patient_guesser_is_told_the_maximum_wait_not_an_error():
    clock = Clock()
    wrong = WrongCodes(clock)
    for _ in range(1100):
        clock.advance(wrong.wait("10.0.0.1"))
        wrong.failed("10.0.0.1")
    assert wrong.wait("10.0.0.1") == WRONG_CODE_WAIT_MAX_S


@pytest.mark.parametrize(
    "page_url, base",
    [
        ("http://192.168.1.20:8501/workshop?project=tverskaya-oblast", "http://192.168.1.20:8501"),
        ("https://genius-loci.example.kz/workshop", "https://genius-loci.example.kz"),
        ("", ""),
    ],
)
def test_the_join_addresses_are_on_the_server_the_facilitator_reached(page_url, base):
    link = new_token()
    typed, scanned = join_addresses(page_url, link)
    assert typed == f"{base}/ws" and scanned == f"{base}/ws/{link}"
    assert "project" not in scanned  # the project's id never travels to the phones
    assert join_addresses(page_url, link, "kk")[1] == f"{base}/ws/{link}?lang=kk"  # the phones open in kk


@pytest.mark.parametrize(
    "url, local",
    [
        ("http://localhost:8501/ws/x", True),
        ("http://127.0.0.1:8501/ws/x", True),
        ("http://[::1]:8501/ws/x", True),
        ("http://192.168.1.20:8501/ws/x", False),
        ("https://genius-loci.example.kz/ws/x", False),
    ],
)
def test_a_link_to_this_computer_is_known_as_one_phones_cannot_reach(url, local):
    from policy_engine.workshop.codes import is_local

    assert is_local(url) is local
