"""Contact details a person left for a reply, taken from the comment before redaction.

Uses the very patterns :mod:`etl.redact` replaces, so what is captured here is exactly what
the comment loses to placeholders. Only rows that ask for a reply are looked at: anyone
else's phone number is just redacted and forgotten.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from etl.normalise.redact import _EMAIL_RE, _PHONE_RE, _phone_ok

CONTACT_COLUMNS = ["_idx", "phone", "email"]


def find_contacts(text: str | None) -> tuple[str | None, str | None]:
    """(phone numbers, e-mail addresses) in ``text``, each joined with ', ' or None."""
    if not isinstance(text, str) or not text:
        return None, None
    emails = _EMAIL_RE.findall(text) if "@" in text else []
    rest = _EMAIL_RE.sub(" ", text) if emails else text
    phones = [m.group(0).strip() for m in _PHONE_RE.finditer(rest) if _phone_ok(m.group(0))]
    return (", ".join(dict.fromkeys(phones)) or None, ", ".join(dict.fromkeys(emails)) or None)


def extract_contacts(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per frame position (``_idx``) that wants a reply and left a phone or e-mail."""
    if frame.empty or "comment" not in frame or "wants_reply" not in frame:
        return pd.DataFrame(columns=CONTACT_COLUMNS)
    wants = np.flatnonzero(frame["wants_reply"].fillna(False).astype(bool).to_numpy())
    rows = []
    comments = frame["comment"]
    for pos, text in zip(wants.tolist(), comments.iloc[wants].tolist()):
        if isinstance(text, str) and ("@" in text or any(ch.isdigit() for ch in text)):
            phone, email = find_contacts(text)
            if phone or email:
                rows.append((pos, phone, email))
    return pd.DataFrame(rows, columns=CONTACT_COLUMNS)
