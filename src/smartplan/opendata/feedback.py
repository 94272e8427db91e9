"""The "Nahlásit problém" form of a dataset: the fields, the honeypot and the rate limit.

Three guards against abuse, cheapest first:

* CSRF (Django's middleware): a form posted from another site is refused.
* A honeypot: a text field hidden from people (off screen, out of the tab order, hidden
  from assistive technology, labelled "leave empty"); robots that fill every field fill it
  too. Such a post is answered as if it had succeeded, and nothing is stored.
* A rate limit per client address (``core.login_lockout.client_address``, which knows about
  a reverse proxy): at most ``OPENDATA_FEEDBACK_LIMIT`` posts per
  ``OPENDATA_FEEDBACK_WINDOW`` seconds, counted in Django's cache; beyond it HTTP 429 and a
  Czech message. Every post counts, honeypot or not, valid or not.
"""

from __future__ import annotations

import hashlib

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from smartplan.core.login_lockout import client_address

HONEYPOT = "web"
MESSAGE_MAX = 4000


class FeedbackForm(forms.Form):
    message = forms.CharField(
        label=_("What is wrong"),
        max_length=MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("E.g. a wrong value, a missing row, a file that does not open."),
    )
    name = forms.CharField(label=_("Your name (optional)"), max_length=200, required=False)
    email = forms.EmailField(
        label=_("Your e-mail (optional)"),
        required=False,
        help_text=_("Only if you want an answer. We use it for nothing else."),
    )
    # The honeypot: people never see it (see the module docstring).
    web = forms.CharField(label=_("Leave this field empty"), required=False)

    def is_robot(self) -> bool:
        return bool(self.data.get(HONEYPOT, "").strip())


def _key(request: HttpRequest) -> str:
    # The address is hashed: the cache need not hold it readable.
    address = hashlib.sha256(client_address(request).encode()).hexdigest()[:32]
    return f"opendata-feedback:{address}"


def feedback_rate_exceeded(request: HttpRequest) -> bool:
    """Count this post against the client's address; True when it is over the limit."""
    key = _key(request)
    window = settings.OPENDATA_FEEDBACK_WINDOW
    # add() starts the window only for the first post; incr() keeps its expiry.
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        count = 1
    return count > settings.OPENDATA_FEEDBACK_LIMIT
