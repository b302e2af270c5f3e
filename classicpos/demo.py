"""Demo data for a new shop, contributed by each module without the others knowing it.

Each app registers a seeder from its ``AppConfig.ready()``; ``manage.py seed_demo``
runs them in order (customers first, then the modules that hang on them).
"""

from collections.abc import Callable
from dataclasses import dataclass

from classicpos.registry import Registry


@dataclass(frozen=True)
class DemoSeeder:
    name: str
    seed: Callable[..., str]  # (options, progress) -> a one-line summary
    is_loaded: Callable[[], bool]
    order: int = 100


_seeders: Registry[DemoSeeder] = Registry("demo seeders")


def register_seeder(seeder: DemoSeeder) -> None:
    _seeders.register(seeder)


def seeders() -> list[DemoSeeder]:
    return list(_seeders)
