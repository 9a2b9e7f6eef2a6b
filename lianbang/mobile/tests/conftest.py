from lianbang.api.tests.conftest import household, official

__all__ = ["household", "official"]
