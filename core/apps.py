from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Socle commun"

    def ready(self):
        # checks registers the deployment checks; search the accent folding function on SQLite connections
        from . import checks, search  # noqa: F401
