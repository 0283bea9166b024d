class UserError(Exception):
    """A mistake in what the user asked for or handed in. The command line shows ``str()`` after
    ``error:`` and exits with status 2; nothing was written."""
