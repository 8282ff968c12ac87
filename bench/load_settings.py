"""The production settings with one change, for bench/load.py only: the URL configuration
adds the one-row-write baseline (bench/load_urls.py). Never used outside the bench."""

from __future__ import annotations

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.load_urls"
