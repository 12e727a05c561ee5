"""The project's error taxonomy: errors a person can act on, and everything else (bugs)."""

from __future__ import annotations

from collections.abc import Mapping


class JcimError(Exception):
    """Base of every error this application raises on purpose."""


class UserError(JcimError):
    """Something a person can act on; ``message`` is Japanese and shown as is."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ValidationError(UserError):
    """Input that cannot be stored. ``errors`` maps a field name to a Japanese message.

    Raised before anything is written: a service that raises it leaves the database unchanged.
    """

    def __init__(self, errors: Mapping[str, str], message: str | None = None) -> None:
        self.errors: dict[str, str] = dict(errors)
        if message is None:
            lines = list(self.errors.values())
            message = "入力内容に誤りがあります。\n" + "\n".join(lines)
        super().__init__(message)


class PermissionDenied(UserError):
    """This installation may not write a record of that owner."""


class NotFound(UserError):
    """A record asked for by id does not exist (or is deleted)."""


class DatabaseError(UserError):
    """The local database cannot be opened, upgraded or is damaged."""
