"""One exception tree for Setu.

Every error a user can cause says *what* was wrong, *where* (file:line:field, or the
unknown name and the closest valid ones) and, where possible, *what to do*.
Shells map the tree to exit codes (CLI: 2 for usage and input errors) and HTTP
statuses (API: 4xx for input errors).

    SetuError
    ├── InputError                  bad data or bad arguments supplied by the user  (exit 2 / 422)
    │   ├── DataFormatError         a file does not parse: names file, line, field
    │   │   └── MeasuresFileError   every problem of a measures register at once
    │   ├── UnknownNameError        an unknown material/country/...: lists close matches (exit 2 / 404)
    │   ├── ValidationError         a well-formed value that breaks a rule (share > 1, cycle ...)
    │   └── UnsolvableInputError    the user's model (an edited scenario) gives an LP the solver cannot solve
    ├── NotFoundError               a record or dataset that should exist does not (404)
    │   └── DataPackMissingError    an optional data pack is not installed: says how to add it (exit 2)
    ├── ConflictError               a concurrent edit lost the race (412)
    ├── PreconditionRequired        a write without If-Match: say which version is edited (428)
    ├── PermissionDeniedError       the caller may not see or change the record (403)
    │   └── AuthenticationError     no valid credentials (401)
    │       └── LoginRequired       a web page needs a signed-in user: redirect to the login page
    ├── SolverError                 the LP solver failed on a model Setu built (500)
    └── CatalogError                the catalog is missing, corrupt or being rebuilt
        └── EngineError             a query engine (Spark cluster, Spark Connect) unreachable, without
                                    executors, or unable to read the catalog's files (503)

Every exception class Setu defines is in this tree (``tests/test_errors.py`` walks the package); the
classes raised by one subsystem only are defined here too, so a shell maps them without importing it.
"""

from __future__ import annotations

from collections.abc import Iterable


class SetuError(Exception):
    """Base class of every error Setu raises on purpose."""


class InputError(SetuError):
    """The user supplied bad data or bad arguments."""


class DataFormatError(InputError):
    """A file could not be parsed. Carries the file, the 1-based line and the field."""

    def __init__(self, message: str, *, file: str, line: int | None = None, field: str | None = None):
        self.file = file
        self.line = line
        self.field = field
        self.reason = message
        where = file
        if line is not None:
            where += f":{line}"
        if field is not None:
            where += f": field {field!r}"
        super().__init__(f"{where}: {message}")


class UnknownNameError(InputError):
    """A name (material, country, group, node...) that Setu does not know."""

    def __init__(self, kind: str, name: str, suggestions: Iterable[str] = ()):
        self.kind = kind
        self.name = name
        self.suggestions = list(suggestions)
        message = f"unknown {kind} {name!r}"
        if self.suggestions:
            message += "; did you mean: " + ", ".join(self.suggestions) + "?"
        super().__init__(message)


class ValidationError(InputError):
    """A value is well-formed but breaks a rule of the domain."""


class UnsolvableInputError(InputError):
    """The model built from the user's input cannot be solved (the LP is infeasible, unbounded, or its
    coefficients are beyond the solver's range, e.g. a baseline of 1e-300 units). Carries the solver's
    reason; it is the input that must change, so shells answer exit 2 / HTTP 422."""


class SolverError(SetuError):
    """The LP could not be solved (infeasible, unbounded, or the solver failed)."""


class PreconditionRequired(SetuError):
    """A write without If-Match (HTTP 428): the client must say which version it edits."""


class MeasuresFileError(DataFormatError):
    """One or more problems in measures files; ``problems`` lists each as a DataFormatError."""

    def __init__(self, problems: Iterable[DataFormatError]):
        self.problems = list(problems)
        first = self.problems[0]
        super().__init__(first.reason, file=first.file, line=first.line, field=first.field)
        if len(self.problems) > 1:
            self.args = ("\n".join(str(problem) for problem in self.problems),)


class NotFoundError(SetuError):
    """A record or dataset that should exist does not."""


class DataPackMissingError(NotFoundError):
    """An optional data pack (separately licensed data) is not in the data directory."""

    def __init__(self, pack_id: str, purpose: str = ""):
        self.pack_id = pack_id
        what = f" ({purpose})" if purpose else ""
        super().__init__(
            f"the {pack_id!r} data pack{what} is not installed: add it with `setu data add {pack_id}` "
            "(copies the repository's datapacks/ folder into your data directory; no network needed)"
        )


class ConflictError(SetuError):
    """An edit was based on a stale version of the record."""


class PermissionDeniedError(SetuError):
    """The caller may not see or change the record."""


class AuthenticationError(PermissionDeniedError):
    """No valid credentials: a wrong password, or a missing, unknown or expired token (HTTP 401)."""


class LoginRequired(AuthenticationError):
    """Raised by a web page that needs a signed-in user; the site answers with a redirect to the login page."""

    def __init__(self, next_path: str):
        self.next_path = next_path
        super().__init__(f"sign in to see {next_path}")


class CatalogError(SetuError):
    """The catalog is missing, corrupt, or could not be (re)built."""


class EngineError(CatalogError):
    """A query engine could not answer: its address is unreachable, it has no executor to run on, or its
    executors cannot read the catalog's files. Names the address or the file, and what to check."""
