"""Configuration: defaults in code, then the TOML file named by TIMELINE_CONFIG, then
TIMELINE_* environment variables, then a test's overrides."""

from __future__ import annotations

import os
import tomllib
import zoneinfo
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from flask import Config, Flask

from timeline.store.languages import LanguageTagError, canonical_tag

#: Every setting with its default. ``config/example.toml`` documents each key (a test
#: keeps the two in sync).
DEFAULTS: dict[str, Any] = {
    "DATABASE_URL": "",
    "BASE_URL": "",
    "ID_DOMAIN": "timeline.example.org",
    "ID_DATE": "2025",
    "CALENDAR_NAME": {"en": "AI timeline", "zh": "人工智能时间线"},
    "CALENDAR_DESCRIPTION": {
        "en": "Dated events of AI models, investment and regulation.",
        "zh": "人工智能模型、投资与监管的大事记。",
    },
    "LANGUAGE": "en",
    "LANGUAGES": ["en", "zh"],
    "REFRESH_INTERVAL": 3600,
    "CACHE_MAX_AGE": 300,
    "FEED_MAX_ITEMS": 50,
    "PAGE_MAX_EVENTS": 50,
    "CALENDAR_MAX_BYTES": 1_000_000,
    "API_PAGE_SIZE": 50,
    "API_MAX_PAGE_SIZE": 200,
    # A description of 8,000 emoji escaped as JSON's \ud83d\ude42 pairs is 96,000 bytes.
    "MAX_CONTENT_LENGTH": 128 * 1024,
    # timeline import holds a file's events in memory, about 40 times the file's size.
    "IMPORT_MAX_BYTES": 32 * 1024 * 1024,
    "IMPORT_TIMEZONE": "UTC",
    "TOMBSTONE_DAYS": 30,
    "RENDER_CACHE_BYTES": 64 * 1024 * 1024,
    "ASSEMBLY_BYTES": 256 * 1024 * 1024,
    "SPOOL_DIR": "",
    "SPOOL_BYTES": 1024 * 1024 * 1024,
    "SEED_ON_START": True,
    "SEED_FILES": [],
    "KNOWN_DATES": [],
    "SQLITE_BUSY_TIMEOUT": 30,
    "DB_POOL_SIZE": 5,
    # The editor's desk (timeline.web.desk).
    "SECRET_KEY": "",
    "SECURE_COOKIES": "auto",
    "DESK_SESSION_SECONDS": 12 * 3600,
    "SIGN_IN_MAX_FAILURES": 5,
    "SIGN_IN_LOCK_SECONDS": 15 * 60,
}


#: The base URL of commands other than ``timeline serve`` when BASE_URL is not set.
LOCAL_BASE_URL = "http://127.0.0.1:8000"


def read_layers(test_config: dict[str, Any] | None = None) -> Config:
    """Return the settings of the layers, in order: defaults, ``TIMELINE_CONFIG`` (a TOML
    file of UPPER_CASE keys), ``TIMELINE_*`` environment variables (values parsed as JSON
    where they can be, e.g. ``TIMELINE_FEED_MAX_ITEMS=20``), then ``test_config``;
    nothing filled in yet (an unset BASE_URL or DATABASE_URL is ``""``). Raises OSError
    if ``TIMELINE_CONFIG`` names a file that cannot be read, tomllib.TOMLDecodeError if it
    is not valid TOML."""
    config = Config(os.getcwd())
    config.from_mapping(DEFAULTS)
    path = os.environ.get("TIMELINE_CONFIG")
    if path:
        config.from_file(os.path.abspath(path), load=tomllib.load, text=False)
    config.from_prefixed_env("TIMELINE")
    if test_config:
        config.from_mapping(test_config)
    return config


def load_config(app: Flask, test_config: dict[str, Any] | None = None) -> None:
    """Fill ``app.config`` from :func:`read_layers` and check it.

    An empty ``DATABASE_URL`` means the SQLite file ``timeline.db`` in the instance folder;
    an empty ``BASE_URL`` means :data:`LOCAL_BASE_URL` (``timeline serve`` sets the address
    it listens on instead). Raises what :func:`read_layers` raises, and ConfigError for a
    value of the wrong kind.
    """
    app.config.update(read_layers(test_config))
    check_config(app.config)
    if not app.config["DATABASE_URL"]:
        db_path = os.path.join(app.instance_path, "timeline.db")
        app.config["DATABASE_URL"] = f"sqlite:///{db_path}"
    app.config["BASE_URL"] = str(app.config["BASE_URL"] or LOCAL_BASE_URL).rstrip("/")


def _texts_by_language(value: Any) -> bool:
    """Whether ``value`` is a non-empty table of text by BCP 47 language tag."""
    if not isinstance(value, dict) or not value:
        return False
    for tag, text in value.items():
        try:
            canonical_tag(tag)
        except LanguageTagError:
            return False
        if not isinstance(text, str):
            return False
    return True


class ConfigError(ValueError):
    """A setting whose value is not of the kind its default is; the message names it."""


def check_config(config: Mapping[str, Any]) -> None:
    """Check that each setting of :data:`DEFAULTS` has a value of its default's kind (a
    whole number of at least 1 for numbers, true or false, text, a list; the calendar's
    name and description text or a table of text by language), so that a typo
    stops the service at start rather than failing every request. Raises ConfigError."""
    for key, default in DEFAULTS.items():
        value = config.get(key)
        if isinstance(default, bool):
            ok = isinstance(value, bool)
            kind = "true or false"
        elif isinstance(default, int):
            ok = isinstance(value, int) and not isinstance(value, bool) and value >= 1
            kind = "a whole number of at least 1"
        elif isinstance(default, list):
            ok = isinstance(value, list) and all(isinstance(v, str) for v in value)
            kind = "a list of text"
        elif isinstance(default, dict):
            ok = isinstance(value, str) or _texts_by_language(value)
            kind = "text, or a table of text by language tag ({en = ..., zh = ...})"
        else:
            ok = isinstance(value, str)
            kind = "text"
        if not ok:
            raise ConfigError(f"setting {key} must be {kind}, not {value!r}")
    for tag in (config["LANGUAGE"], *config["LANGUAGES"]):
        try:
            canonical_tag(tag)
        except LanguageTagError as error:
            raise ConfigError(f"settings LANGUAGE and LANGUAGES: {error}") from None
    try:
        zoneinfo.ZoneInfo(config["IMPORT_TIMEZONE"])
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        raise ConfigError(
            f"setting IMPORT_TIMEZONE must be an IANA zone such as Europe/Berlin, "
            f"not {config['IMPORT_TIMEZONE']!r}"
        ) from None
    secure = config["SECURE_COOKIES"]
    if secure not in ("auto", "always", "never"):
        raise ConfigError(f"setting SECURE_COOKIES must be auto, always or never, not {secure!r}")
    base = urlsplit(config["BASE_URL"])
    if config["BASE_URL"] and (base.scheme not in ("http", "https") or not base.hostname):
        raise ConfigError(
            f"setting BASE_URL must be an absolute http or https URL such as "
            f"https://events.example.org, not {config['BASE_URL']!r}"
        )
