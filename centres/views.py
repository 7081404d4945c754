"""Registry pages. (Skeleton: the registry issue fills in lists, details and the quota table.)"""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def index(request):
    return render(request, "centres/index.html", {"title": "Registre"})


@login_required
def quotas(request):
    return render(request, "centres/index.html", {"title": "Quotas CRC SEP"})
