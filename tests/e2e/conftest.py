"""The end-to-end tier's fixtures: the manual's test site on loopback."""

from tests.support.manual import fast, trix_site  # noqa: F401 - fixtures
