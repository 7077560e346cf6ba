"""Incidents (policy_engine/incidents.py): an unplanned failure goes to the server log in full under a
short reference, and only the reference goes back to the user."""

from __future__ import annotations

import logging
import re

from policy_engine.incidents import new_reference, record


def test_a_reference_is_eight_hex_digits_easy_to_read_out():
    refs = {new_reference() for _ in range(2000)}
    assert all(re.fullmatch(r"[0-9A-F]{8}", r) for r in refs)
    assert len(refs) == 2000  # random: 2000 draws of 32 bits do not collide in practice


def _fail():
    raise ValueError("INSERT INTO projects VALUES ('secret\x00')")


def test_record_logs_everything_under_the_reference_and_returns_only_the_reference(caplog):
    try:
        _fail()
    except ValueError as exc:
        with caplog.at_level(logging.ERROR, logger="genius_loci"):
            reference = record(exc, "saving project perm-krai")
    assert re.fullmatch(r"[0-9A-F]{8}", reference)
    assert "INSERT" not in reference
    [entry] = [r for r in caplog.records if r.name == "genius_loci"]
    assert entry.levelno == logging.ERROR
    assert entry.getMessage() == (
        f"incident {reference}: saving project perm-krai: ValueError: INSERT INTO projects VALUES ('secret\x00')"
    )
    assert entry.exc_info[0] is ValueError
    assert "in _fail" in caplog.text and "Traceback" in caplog.text  # the traceback is in the log, in full


def test_each_incident_gets_its_own_reference(caplog):
    with caplog.at_level(logging.ERROR, logger="genius_loci"):
        first, second = record(RuntimeError("a"), "x"), record(RuntimeError("a"), "x")
    assert first != second
    assert [r.getMessage().split(":")[0] for r in caplog.records] == [f"incident {first}", f"incident {second}"]


def test_an_exception_that_was_never_raised_is_logged_too(caplog):
    with caplog.at_level(logging.ERROR, logger="genius_loci"):
        reference = record(KeyError("k"), "reading a page")
    assert f"incident {reference}: reading a page: KeyError: 'k'" in caplog.text
