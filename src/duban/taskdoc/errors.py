class DocumentError(Exception):
    """A document that cannot be read at all: missing, empty, binary, unknown format, no tasks.

    ``str()`` gives a message for the user that names the file and what is wrong with it.
    """

    def __init__(self, source: str, problem: str) -> None:
        super().__init__(f"{source}: {problem}")
        self.source = source
        self.problem = problem
