class UserError(Exception):
    """A mistake in what the user asked for or handed in. The command line shows ``str()`` after
    ``error:`` and exits with status 2; nothing was written."""


class ImportRefused(UserError):
    """An import refused as a whole: ``problems`` lists every bad row (file, row, column, value, reason)."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems
