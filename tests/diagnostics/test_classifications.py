"""Each classification's codes in the crosswalk's form, and the industry they reach."""

from __future__ import annotations

import pytest

from policy_engine.diagnostics.classifications import crosswalk_code
from policy_engine.diagnostics.register import crosswalk, industry_of
from policy_engine.method.catalogue import default_catalogue

TABLE = crosswalk(default_catalogue())


@pytest.mark.parametrize(
    ("text", "classification", "code", "industry"),
    [
        ("32.99.8", "okved2", "32.99.8", "folk_crafts"),  # OKVED2's folk-arts sub-class
        ("32.99.1", "okved2", "32.99.1", "non_creative"),  # another sub-class of 32.99 is not
        ("59.11", "okved2", "59.11", "cinema"),
        ("90011", "oked", "90.01", "performing_arts"),  # OKED: five digits, the fifth its own sub-class
        ("32991", "oked", "32.99", "non_creative"),  # OKED's 32.99.x is not OKVED2's 32.99.8
        ("06100", "oked", "06.10", "non_creative"),
        ("6100", "oked", "06.10", "non_creative"),  # the same code once stored as a number
        ("90011.0", "oked", "90.01", "performing_arts"),
        ("J 59.11", "nace2", "59.11", "cinema"),
        ("59.11", "nace2", "59.11", "cinema"),
        ("5911 : Motion picture, video and television programme activities", "sic2007", "59.11", "cinema"),
        ("59111 : Motion picture production activities", "sic2007", "59.11", "cinema"),
        (
            "62011 : Ready-made interactive leisure and entertainment software development",
            "sic2007",
            "62.01",
            "software",
        ),
        ("90 : Creative, arts and entertainment activities", "sic2007", "90", None),
    ],
)
def test_codes_of_each_classification(text, classification, code, industry):
    assert crosswalk_code(text, classification) == code
    if industry is not None:
        assert industry_of(code, TABLE) == industry


@pytest.mark.parametrize(
    ("text", "classification"),
    [("123", "oked"), ("5911x", "oked"), ("59-11", "nace2"), ("Total", "sic2007"), ("5.9", "okved2")],
)
def test_what_is_not_a_code_of_the_classification(text, classification):
    assert crosswalk_code(text, classification) is None
