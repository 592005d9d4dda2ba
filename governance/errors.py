"""Business errors. Their messages are written for the person who tried the action."""

from __future__ import annotations


class GovernanceError(Exception):
    code = "governance"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotAllowed(GovernanceError):
    """The action is not valid for the document in its current state."""

    code = "not_allowed"


class WrongRole(GovernanceError):
    """The person does not hold the role the action needs."""

    code = "wrong_role"


class MissingInformation(GovernanceError):
    """Something the rules require was not given (a reason, conditions, a trigger...)."""

    code = "missing_information"


class PresetError(GovernanceError):
    """A preset file is not valid. str() names the file, the line and the fault."""

    code = "preset"

    def __init__(self, file: str, line: int | None, fault: str) -> None:
        self.file = file
        self.line = line
        self.fault = fault
        where = f"{file}, line {line}" if line else file
        super().__init__(f"{where}: {fault}")
