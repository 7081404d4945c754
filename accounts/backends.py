"""Login throttling (django-axes): after repeated failures for a user name from one address the
account is locked for a while, with a French message."""

from axes.backends import AxesStandaloneBackend


class LoginThrottleBackend(AxesStandaloneBackend):
    """Axes' checks need the HTTP request; ``authenticate`` calls without one (management commands,
    the test client's ``login``) are not web sign-ins and are left to the next backend."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
