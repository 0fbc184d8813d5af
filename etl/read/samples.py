"""A cell as a nurse sees it in the mapping editor and the column question: redacted (it may
hold a phone number or an identity code), dates the Finnish way, one line, short."""
from __future__ import annotations

import datetime as dt

from etl.normalise.redact import redact_text


def sample_text(value) -> str:
    """A cell as the mapping editor shows it: redacted, dates the Finnish way, short."""
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        value = value.date()
    if isinstance(value, dt.datetime):
        text = f"{value.day}.{value.month}.{value.year} {value:%H:%M}"
    elif isinstance(value, dt.date):
        text = f"{value.day}.{value.month}.{value.year}"
    elif isinstance(value, float) and value.is_integer():
        text = str(int(value))
    else:
        text = str(value)
    return redact_text(" ".join(text.split()))[0][:60]
