from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demonstration network and accounts (``manage.py seed_demo``): nothing else depends on it."""

    name = "demo"
    verbose_name = "Démonstration"
