"""Rows as `st.data_editor` hands them back to a page: the page builds a DataFrame with every column
(pages/shared.table) and its date columns as datetimes, the user adds rows, and the page passes
`to_dict("records")` to the engine (pages/shared.editor_rows). So a cell left empty arrives as NaN
or NaT, a date as a pandas Timestamp and a number as a float — not as the tidy dicts a test types."""

from __future__ import annotations

from typing import Any

import pandas as pd


def grid(
    rows: list[dict[str, Any]], columns: list[str], dates: tuple[str, ...] = (), added: tuple[dict, ...] = ()
) -> list[dict[str, Any]]:
    """`rows` shown in the grid, then `added` (rows the user added, with only the cells typed)."""
    frame = pd.DataFrame([*rows, *added], columns=columns)
    for column in dates:
        frame[column] = pd.to_datetime(frame[column])
    return frame.to_dict("records")
