"""The store tier's fixtures: the manual's test site and services over a database with it synced."""

from tests.support.manual import fast, indexed, services, trix_site  # noqa: F401 - fixtures
