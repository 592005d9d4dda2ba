"""Errors whose message is safe and useful to show the person in the conversation.

One hierarchy: `governance.errors.GovernanceError` is the root (the rules' own refusals:
NotAllowed, WrongRole, MissingInformation, PresetError); services add the ones about things that
are not there or not theirs. The conversation layer shows `str(error)` to the person.
"""

from __future__ import annotations

from governance.errors import GovernanceError


class UserFacingError(GovernanceError):
    code = "error"


class NotFound(UserFacingError):
    code = "not_found"


class NotPermitted(UserFacingError):
    code = "not_permitted"


class UnknownPerson(UserFacingError):
    code = "unknown_person"


class BadInput(UserFacingError):
    code = "bad_input"


class TooLarge(BadInput):
    """A file or message over its limit; the message names the file, its size and the limit."""
    code = "too_large"
