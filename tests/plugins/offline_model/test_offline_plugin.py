"""The offline model as a plugin: registered by default, configured through its Config only."""

from __future__ import annotations

import pytest
from offline_calls import make_call

from core import Message, TextDelta, ToolCall
from core.conversation.tools import tool_specs
from core.plugins.catalog import PluginCatalog
from core.plugins.config import PluginConfigError, validate_config
from core.plugins.manager import build_plugin_manager
from core.plugins.registries import collect_providers
from plugins import BUILTIN_PLUGINS
from plugins.offline_model import NAME, Config, OfflineLLM


@pytest.fixture(scope="module")
def manager():
    return build_plugin_manager()


def test_it_is_a_builtin_plugin_installed_for_new_tenants(manager):
    assert "plugins.offline_model" in BUILTIN_PLUGINS
    catalog = PluginCatalog.from_manager(manager)
    info = catalog.get(NAME)
    assert info.config_type is Config
    assert NAME in catalog.default_installed_names()


def test_it_registers_the_offline_llm_provider(manager):
    registration = collect_providers(manager).get("llm_provider", "offline")
    assert isinstance(registration.provider, OfflineLLM)
    assert (registration.plugin, registration.metadata) == (NAME, {"languages": ["en", "es"]})


def test_an_empty_config_is_valid_and_bad_values_name_their_field(manager):
    info = PluginCatalog.from_manager(manager).get(NAME)
    assert validate_config(info, [{}], environ={}) == Config()
    assert validate_config(info, [{"max_turns": "12", "departments": ["billing"]}], environ={}) == Config(
        max_turns=12, departments=["billing"]
    )
    for field, value in [
        ("confident", 1.5),
        ("max_turns", 2),
        ("slots_to_offer", 9),
        ("min_confidence", 0.9),
    ]:
        with pytest.raises(PluginConfigError) as raised:
            validate_config(info, [{field: value}], environ={})
        assert raised.value.field == f"config.{field}"


async def test_answers_without_its_config_and_with_no_tool_list():
    # A tenant that never stored a config, and a host that did not restrict the tools.
    call = make_call(plugin_configs={})
    history = [
        Message(role="assistant", content="Hello"),
        Message(role="user", content="Where are you located?"),
    ]
    items = [item async for item in OfflineLLM().respond(call, history, [])]
    assert items == [
        TextDelta(text="We're located at 12 Elm Street, Springfield. "),
        TextDelta(text="Would you like me to text you the address?"),
    ]


async def test_tools_the_host_does_not_offer_are_not_asked_for():
    history = [
        Message(role="assistant", content="Hello"),
        Message(role="user", content="Can I book a cleaning?"),
    ]
    only_messages = tool_specs(["take_message", "end_call"])
    items = [item async for item in OfflineLLM().respond(make_call(), history, only_messages)]
    assert not any(isinstance(item, ToolCall) for item in items)
    assert "".join(item.text for item in items if isinstance(item, TextDelta)).startswith(
        "I'm not able to book appointments over the phone"
    )


async def test_an_unexpected_tool_result_does_not_break_the_call():
    history = [
        Message(role="assistant", content="Hello"),
        Message(role="user", content="Do you take insurance?"),
        Message(
            role="assistant",
            content="",
            tool_calls=[
                ToolCall(id="answer_question-2-0", name="answer_question", arguments={"question": "x"})
            ],
        ),
        Message(
            role="tool", tool_call_id="answer_question-2-0", content='{"error": "knowledge base offline"}'
        ),
    ]
    items = [item async for item in OfflineLLM().respond(make_call(), history, tool_specs())]
    spoken = "".join(item.text for item in items if isinstance(item, TextDelta))
    assert spoken == (
        "I'm sorry, I don't have an answer to that. "
        "Would you like me to take a message so someone can get back to you?"
    )
