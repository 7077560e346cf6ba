"""Activity codes of each classification a register may use, put in the crosswalk's form.

The crosswalk (seeds/industries.yaml) is written in NACE Rev. 2 classes with dots ("59.11"), plus the
Russian OKVED2's own sub-classes where the method needs them ("32.99.8", folk arts and crafts). The four
classifications officials' registers use share NACE Rev. 2's first four digits:

- **OKVED2** (Russia), with dots: "59.11", "32.99.8", "90.01.1" — used as written; the longest code of the
  crosswalk it starts with decides (register.industry_of).
- **OKED** (Kazakhstan, ГК РК 03-2019), five digits without dots: "62011", "06100" — the first four are the
  NACE class (62.01); the fifth is OKED's own sub-class (0 where the class is not split). It is not
  OKVED2's: no published OKED sub-class was found that matches OKVED2's 32.99.8 (folk arts), and the same
  five digits mean other things elsewhere (UK SIC 62011 is games software), so the fifth digit is dropped
  and the class decides. Four digits are a code that lost its leading zero in a number cell (6100 ->
  06100).
- **NACE Rev. 2**, with dots and perhaps a section letter: "59.11", "J 59.11", "J59.1.1" is not a form NACE uses.
- **UK SIC 2007**, four or five digits, as NOMIS writes them with a name: "5911 : Motion picture, video
  and television programme activities", "59111 : Motion picture production activities". The four-digit
  class is NACE's; UK sub-classes (the fifth digit) are the UK's own, so they are dropped too.
"""

from __future__ import annotations

import re

CLASSIFICATIONS = ("okved2", "oked", "nace2", "sic2007")

_DOTTED = re.compile(r"^\d{2}(\.\d{1,2}){0,3}$", re.ASCII)
_DIGITS = re.compile(r"^(\d{2})(\d{2})?(\d)?$", re.ASCII)
_NACE = re.compile(r"^(?:[A-U]\s*)?(\d{2}(?:\.\d{1,2})?)$", re.ASCII)
_SIC = re.compile(r"^(\d{2,5})\s*(?::.*)?$", re.ASCII | re.DOTALL)


def dotless(digits: str) -> str | None:
    """Four or five digits as a NACE class ("62011" -> "62.01", "5911" -> "59.11"), two as a division;
    the fifth digit (a national sub-class) is dropped."""
    m = _DIGITS.match(digits)
    if not m:
        return None
    return m.group(1) if m.group(2) is None else f"{m.group(1)}.{m.group(2)}"


def crosswalk_code(text: str, classification: str) -> str | None:
    """`text` as a code of `classification`, in the crosswalk's form; None when it is not such a code."""
    text = text.strip()
    if classification == "okved2":
        return text if _DOTTED.match(text) else None
    if classification == "oked":
        if _DOTTED.match(text):  # "62.01.1": OKED written with dots; its sub-class is dropped as well
            return ".".join(text.split(".")[:2])
        if text.endswith(".0") and text[:-2].isdigit():  # a number cell of a re-saved workbook: 6100.0
            text = text[:-2]
        if text.isdigit() and len(text) == 4:  # 06100 stored as a number lost its leading zero
            text = text.zfill(5)
        return dotless(text) if len(text) in (2, 5) else None
    if classification == "nace2":
        m = _NACE.match(text)
        return m.group(1) if m else None
    if classification == "sic2007":
        m = _SIC.match(text)
        if m:
            return dotless(m.group(1)) if len(m.group(1)) in (2, 4, 5) else None
        if _DOTTED.match(text):
            return ".".join(text.split(".")[:2])
        return None
    raise ValueError(f"unknown classification {classification!r}")
