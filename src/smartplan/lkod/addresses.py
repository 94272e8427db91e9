"""Absolute addresses: the instance's public address and the portal pages under it."""

from __future__ import annotations

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import translation


def base_url() -> str:
    """The instance's public address, the stem of every IRI (``SMARTPLAN_BASE_URL``)."""
    return str(settings.BASE_URL).rstrip("/")


def absolute(path: str) -> str:
    """``path`` (``/data/…``) under the instance's public address."""
    return base_url() + path


def portal_url(name: str, **kwargs: str) -> str:
    """The absolute address of a Czech portal page; empty when the page is not routed."""
    try:
        with translation.override("cs"):
            return base_url() + reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return ""
