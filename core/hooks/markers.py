"""The pluggy markers of the ``frontdesk`` project: ``hookspec`` for the host, ``hookimpl`` for plugins."""

from __future__ import annotations

import pluggy

# Also the setuptools entry-point group third-party plugins are published under.
PROJECT_NAME = "frontdesk"

hookspec = pluggy.HookspecMarker(PROJECT_NAME)
hookimpl = pluggy.HookimplMarker(PROJECT_NAME)
