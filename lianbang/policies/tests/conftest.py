from lianbang.accounts.tests.cast import cast, fast_passwords

__all__ = ["cast", "fast_passwords"]
