"""Reading the values people type into spreadsheets: UK day-first dates, names and headings.

Pure text rules shared by the tracker import and the directory load; no I/O.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from datetime import date, datetime, timedelta
from typing import Any

MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4, "may": 5,
    "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8, "sep": 9, "sept": 9, "september": 9,
    "oct": 10, "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
}
BLANK_WORDS = {"", "-", "--", "n/a", "na", "none", "tbc", "tba", "not set", "unknown", "?"}
EXCEL_EPOCH = date(1899, 12, 30)  # Excel's 1900 date system, counting its phantom 29 February 1900
EARLIEST_YEAR, LATEST_YEAR = 1980, 2100


class DateProblem(ValueError):
    """A cell that should hold a date does not hold a real one; the message says why."""


def collapse(text: str) -> str:
    return re.sub(r"\s+", " ", str(text).replace("\u00a0", " ")).strip()


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not collapse(value))


def _check_year(y: int, shown: str) -> int:
    if not EARLIEST_YEAR <= y <= LATEST_YEAR:
        raise DateProblem(f"'{shown}' is not a plausible register date (year {y})")
    return y


def _make(y: int, m: int, d: int | None, shown: str, month_end: bool) -> date:
    if not 1 <= m <= 12:
        raise DateProblem(f"'{shown}' has no month {m} (dates are read day first: day/month/year)")
    _check_year(y, shown)
    last = calendar.monthrange(y, m)[1]
    if d is None:
        return date(y, m, last if month_end else 1)
    if not 1 <= d <= last:
        raise DateProblem(f"'{shown}' is not a real date: {calendar.month_name[m]} {y} has {last} days")
    return date(y, m, d)


def _year(text: str) -> int:
    y = int(text)
    if len(text) == 2:
        y += 2000 if y < 70 else 1900
    return y


def _month(word: str, shown: str) -> int:
    m = MONTHS.get(word.lower().rstrip("."))
    if m is None:
        raise DateProblem(f"'{shown}' is not a date I can read (use day/month/year, e.g. 14/03/2025)")
    return m


def excel_serial(value: float, shown: str | None = None) -> date:
    shown = shown or str(value)
    if value != value or value < 1:  # NaN or nothing
        raise DateProblem(f"'{shown}' is not a date I can read (use day/month/year, e.g. 14/03/2025)")
    d = EXCEL_EPOCH + timedelta(days=int(value))
    _check_year(d.year, shown)
    return d


def parse_uk_date(value: Any, *, month_end: bool = False) -> date | None:
    """A date as people type it in a UK spreadsheet; None for an empty cell or "TBC".

    Day first always (14/03/2025, 14-3-25, 14.03.2025), words (14 March 2025, 14th Mar 25,
    March 14, 2025), ISO (2025-03-14), Excel date cells and Excel serial numbers. A month alone
    (Mar 2025, 03/2025) is the first of the month, or its last day when `month_end` (a review
    "to be completed by March 2025" is due by its end). Impossible dates raise DateProblem.
    """
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        raise DateProblem(f"'{value}' is not a date")
    if isinstance(value, (int, float)):
        return excel_serial(float(value))
    shown = collapse(value)
    text = shown.lower()
    if text in BLANK_WORDS:
        return None
    if re.fullmatch(r"\d{5}(\.\d+)?", text):
        return excel_serial(float(text), shown)
    m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ t]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?", text)
    if m:
        return _make(int(m[1]), int(m[2]), int(m[3]), shown, month_end)
    m = re.fullmatch(r"(\d{1,2})\s*([/.\-])\s*(\d{1,2})\s*\2\s*(\d{4}|\d{2})(?: \d{1,2}:\d{2}(?::\d{2})?)?", text)
    if m:
        return _make(_year(m[4]), int(m[3]), int(m[1]), shown, month_end)
    m = re.fullmatch(r"(?:[a-z]+day,? )?(\d{1,2})(?:st|nd|rd|th)?[ \-/]*(?:of )?([a-z]+\.?)[ ,\-/]*(\d{4}|\d{2})", text)
    if m:
        return _make(_year(m[3]), _month(m[2], shown), int(m[1]), shown, month_end)
    m = re.fullmatch(r"([a-z]+\.?) (\d{1,2})(?:st|nd|rd|th)?,? (\d{4})", text)
    if m:
        return _make(int(m[3]), _month(m[1], shown), int(m[2]), shown, month_end)
    m = re.fullmatch(r"([a-z]+\.?)[ ,\-/']*(\d{4}|\d{2})", text)
    if m:
        return _make(_year(m[2]), _month(m[1], shown), None, shown, month_end)
    m = re.fullmatch(r"(\d{1,2})\s*/\s*(\d{4})", text)
    if m:
        return _make(int(m[2]), int(m[1]), None, shown, month_end)
    raise DateProblem(f"'{shown}' is not a date I can read (use day/month/year, e.g. 14/03/2025)")


def uk(d: date | None) -> str:
    return d.strftime("%d/%m/%Y") if d else ""


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
