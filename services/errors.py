"""Errors whose message is safe and useful to show the person in the conversation.

`governance.errors.GovernanceError` is the rules' own kind; services add the ones about
things that are not there or not theirs. The bot layer shows `str(error)` to the person.
"""

from __future__ import annotations


class UserFacingError(Exception):
    code = "error"


class NotFound(UserFacingError):
    code = "not_found"


class NotPermitted(UserFacingError):
    code = "not_permitted"


class UnknownPerson(UserFacingError):
    code = "unknown_person"


class BadInput(UserFacingError):
    code = "bad_input"
