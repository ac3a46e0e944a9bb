"""The calendar's Config: defaults, and refusals that name the field at fault."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.plugins.config import PluginConfigError, validate_config


def validate(catalog, layer):
    return validate_config(catalog.get("calendar"), [layer], environ={})


def test_defaults(builtin_catalog):
    config = validate(builtin_catalog, {})
    assert (config.slot_minutes, config.buffer_minutes, config.grid_minutes) == (30, 0, 15)
    assert (config.lead_time_minutes, config.horizon_days) == (60, 30)
    assert config.resources == ["default"]
    assert config.closures == [] and config.services == {}


def test_the_calendar_is_installed_for_new_tenants(builtin_catalog):
    assert "calendar" in builtin_catalog.default_installed_names()


def test_closures_are_kept_sorted_and_once(builtin_catalog):
    config = validate(builtin_catalog, {"closures": ["2026-12-25", "2026-01-01", "2026-12-25"]})
    assert config.closures == ["2026-01-01", "2026-12-25"]


def test_services_are_matched_without_regard_to_case(builtin_catalog):
    config = validate(builtin_catalog, {"services": {"Deep Clean": 90}})
    assert config.service_name(" deep clean ") == "Deep Clean"
    assert config.service_name("Whitening") == "Whitening"
    assert config.service_name("  ") is None
    assert config.duration("DEEP CLEAN") == timedelta(minutes=90)


@pytest.mark.parametrize(
    ("layer", "field"),
    [
        ({"grid_minutes": 7}, "config.grid_minutes"),
        ({"slot_minutes": 25}, "config.slot_minutes"),
        ({"buffer_minutes": 10}, "config.buffer_minutes"),
        ({"grid_minutes": 30, "slot_minutes": 60, "buffer_minutes": 15}, "config.buffer_minutes"),
        ({"services": {"Deep clean": 50}}, "config.services.Deep clean"),
        ({"services": {"Cleaning": 0}}, "config.services.Cleaning"),
        ({"closures": ["2026-12-25", "Christmas"]}, "config.closures[1]"),
        ({"closures": ["2026-02-30"]}, "config.closures[0]"),
        ({"closures": ["20261225"]}, "config.closures[0]"),
        ({"resources": ["chair", "chair"]}, "config.resources"),
        ({"resources": []}, "config.resources"),
        ({"horizon_days": 0}, "config.horizon_days"),
        ({"lead_time_minutes": -5}, "config.lead_time_minutes"),
        ({"slot_length": 30}, "config.slot_length"),
    ],
)
def test_bad_config_names_the_field(builtin_catalog, layer, field):
    with pytest.raises(PluginConfigError) as caught:
        validate(builtin_catalog, layer)
    assert caught.value.field == field


def test_a_multiple_of_a_coarser_grid_is_accepted(builtin_catalog):
    config = validate(builtin_catalog, {"grid_minutes": 20, "slot_minutes": 40, "buffer_minutes": 20})
    assert config.grid == timedelta(minutes=20) and config.buffer == timedelta(minutes=20)
