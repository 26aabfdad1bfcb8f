"""The one exception family whose messages are meant for the user (in French).

Kept free of heavy imports: the CLI imports it at start-up.
"""

from __future__ import annotations

EXIT_USER_ERROR = 2
EXIT_INTERRUPTED = 130


class DeployerError(Exception):
    """An error the user caused and can fix; ``message`` and ``hint`` are French."""

    def __init__(self, message: str, hint: str = "", problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.problems = problems or []

    def render(self) -> str:
        """The whole French text shown to the user, with French typography."""
        from deployer.french import fix_typography, visible

        lines = [f"Erreur : {self.message}"]
        lines += [f"  - {p}" for p in self.problems]
        if self.hint:
            lines.append(self.hint)
        return fix_typography(visible("\n".join(lines)))  # no control character reaches the terminal


class ContentError(DeployerError):
    """The shipped or user-supplied content/ folder is invalid."""


class AnswersError(DeployerError):
    """An answers file is missing, unreadable or does not match the content."""


class UnreadableFile(DeployerError):
    """A user file refused before it is parsed (missing, a folder, not a regular file, too big).

    ``message`` is the French reason without the path: each reader names the file its own way.
    """

    def __init__(self, message: str, missing: bool = False) -> None:
        super().__init__(message)
        self.missing = missing


class WalkInterrupted(Exception):
    """Ctrl-C or a closed terminal during the walk; the answers are already saved."""

    def __init__(self, path: str) -> None:
        super().__init__(path)
        self.path = path
