"""Whether a request comes from a robot (crawler, harvester, link checker, script), by its
User-Agent. Downloads by robots are not counted: the counts say how often people (and their
programs acting for them) took the data, not how often a crawler walked past.

A short maintained list of substrings, lower case, rather than a library: the usual
crawlers all say "bot", "crawl", "spider" or "slurp" somewhere; the rest are named.
An empty User-Agent is a script, hence a robot.
"""

from __future__ import annotations

import re

BOT_PATTERNS: tuple[str, ...] = (
    "bot",  # Googlebot, bingbot, SeznamBot, YandexBot, AhrefsBot, facebookexternalhit's bot…
    "crawl",
    "spider",
    "slurp",  # Yahoo
    "facebookexternalhit",
    "mediapartners-google",
    "adsbot",
    "feedfetcher",
    "preview",  # link previews (Slack, Teams, WhatsApp)
    "headlesschrome",
    "python-requests",
    "python-urllib",
    "curl/",
    "wget/",
    "go-http-client",
    "java/",
    "libwww-perl",
    "httpclient",
    "okhttp",
    "scrapy",
    "check_http",
    "monitor",  # uptime monitors
    "linkchecker",
    "archiver",  # ia_archiver
    "lkod",  # catalogue harvesters (NKOD and others)
    "harvest",
)
_BOT = re.compile("|".join(re.escape(pattern) for pattern in BOT_PATTERNS))


def is_bot(user_agent: str | None) -> bool:
    """Whether this User-Agent is a robot's (empty counts as a robot)."""
    if not user_agent or not user_agent.strip():
        return True
    return _BOT.search(user_agent.lower()) is not None
