"""One exception type for problems a user can fix (bad files, no device...)."""


class UserError(Exception):
    """A problem with the user's input or machine, with a message that says what to do.

    The CLI prints it as one line and exits with code 2; the game shows it on screen.
    """
