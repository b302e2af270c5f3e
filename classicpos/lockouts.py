"""The staff page where a Manager sees who is locked out of logging in, and unlocks them.

django-axes keeps the counts (``AccessAttempt``, one row per user name and
address); its admin pages need the admin, which is refused to a Manager who is
not a superuser. This page reads the same rows and lifts a lockout through
axes' own reset, so the next login of that user from that address is counted
afresh.
"""

import logging
from dataclasses import dataclass
from datetime import datetime

from axes.models import AccessAttempt
from axes.utils import reset
from django import forms
from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect
from django.utils import timezone
from django.views.generic import TemplateView

from classicpos.permissions import UNLOCK_LOGIN
from classicpos.views import StaffPageMixin

security_log = logging.getLogger("classicpos.security")


@dataclass(frozen=True)
class LockedLogin:
    username: str
    ip_address: str
    failures: int
    last_attempt_at: datetime
    locked_until: datetime


def lockouts_current() -> list[LockedLogin]:
    """Return the user and address pairs locked out now, the latest attempt first."""
    now = timezone.now()
    attempts = AccessAttempt.objects.filter(
        failures_since_start__gte=settings.AXES_FAILURE_LIMIT,
        attempt_time__gte=now - settings.AXES_COOLOFF_TIME,
    ).order_by("-attempt_time")
    return [
        LockedLogin(
            username=attempt.username or "",
            ip_address=attempt.ip_address or "",
            failures=attempt.failures_since_start,
            last_attempt_at=attempt.attempt_time,
            locked_until=attempt.attempt_time + settings.AXES_COOLOFF_TIME,
        )
        for attempt in attempts
    ]


@transaction.atomic
def login_unlock(*, username: str, ip_address: str, actor) -> int:
    """Lift the lockout of ``username`` at ``ip_address``; return how many counts went."""
    removed = reset(username=username, ip=ip_address or None)
    security_log.warning(
        "Login unlocked by %s: user %r at address %s", actor.get_username(), username, ip_address
    )
    return removed


class UnlockForm(forms.Form):
    username = forms.CharField(max_length=255)
    ip_address = forms.GenericIPAddressField(required=False)


class LockoutListView(StaffPageMixin, TemplateView):
    """``/accounts/lockouts/``: the locked logins, each with an Unlock button (Managers)."""

    permission_required = UNLOCK_LOGIN
    template_name = "registration/lockout_list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            lockouts=lockouts_current(), failure_limit=settings.AXES_FAILURE_LIMIT, **kwargs
        )

    def post(self, request, *args, **kwargs):
        form = UnlockForm(request.POST)
        if not form.is_valid():
            messages.error(request, "That lockout could not be read; reload the page and retry.")
            return redirect("lockouts")
        username = form.cleaned_data["username"]
        login_unlock(
            username=username, ip_address=form.cleaned_data["ip_address"], actor=request.user
        )
        messages.success(request, f"Unlocked {username}: they can log in again from there.")
        return redirect("lockouts")
