"""Reading the values people type into spreadsheets: names and headings (dates: governance.dates).

Pure text rules shared by the tracker import and the directory load; no I/O.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from governance.dates import collapse


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())  # str.strip() knows every space


# ------------------------------------------------------------------ headings

def norm_heading(text: Any) -> str:
    """Case, spacing and punctuation do not matter in a heading: 'Next Review - To be completed by:'."""
    s = collapse(str(text or "")).lower().replace("&", " and ").replace("e-mail", "email")
    s = s.replace(".", "")  # R.S.M. is RSM, Ref. is Ref
    s = re.sub(r"[^a-z0-9]+", " ", s)
    return " ".join(s.split())


# ------------------------------------------------------------------ names

TITLES = {"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "cllr", "sir", "dame"}


def norm_name(text: str) -> str:
    """'Smith, Jane', 'jane  SMITH', 'Dr Jane Smith (interim)' and 'Jane Smith' are one name."""
    s = unicodedata.normalize("NFKD", collapse(text)).encode("ascii", "ignore").decode().lower()
    s = re.sub(r"\([^)]*\)", " ", s)
    if s.count(",") == 1:
        last, first = s.split(",")
        s = f"{first} {last}"
    s = s.replace("'", "").replace("\u2019", "")
    s = re.sub(r"[^a-z0-9]+", " ", s)
    return " ".join(t for t in s.split() if t not in TITLES)


def looks_like_email(text: str) -> bool:
    return bool(re.fullmatch(r"[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+", text))
