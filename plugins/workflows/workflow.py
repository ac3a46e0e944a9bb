"""``IndustryWorkflow``: a ``core.Workflow`` made of intents, fields, scoring and routing rules, knowledge.

``read`` weighs each intent's patterns and reads every field (leniently the one just asked);
``assess`` cleans the fields, finds an emergency, scores the lead, lists what is still to ask,
and once the lead is ready (an emergency with its urgent fields, a hot lead, or nothing left to
ask) returns the industry's routes for it. Both are pure: the same words or fields, the same answer.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

import msgspec

from core import (
    CallContext,
    KnowledgeItem,
    LeadAssessment,
    LeadRoute,
    Workflow,
    WorkflowIntent,
    WorkflowReading,
)
from plugins.workflows import extract
from plugins.workflows.config import WorkflowConfig
from plugins.workflows.fields import NOT_SAID, Field
from plugins.workflows.routing import LeadFacts
from plugins.workflows.scoring import Rule, score
from plugins.workflows.words import normalise

Router = Callable[[LeadFacts, Any], list[LeadRoute]]
EmergencyFinder = Callable[[str | None, Mapping[str, Any]], str | None]
Adjuster = Callable[[dict[str, Any]], dict[str, Any]]


class Intent(msgspec.Struct, kw_only=True, frozen=True):
    """A workflow intent with the weighted patterns (on normalised text) that say it."""

    name: str
    description: str
    acknowledgement: str = ""
    patterns: tuple[tuple[str, float], ...] = ()

    def describe(self) -> WorkflowIntent:
        return WorkflowIntent(
            name=self.name, description=self.description, acknowledgement=self.acknowledgement
        )

    def evidence(self, normalised: str) -> float:
        return sum(weight for pattern, weight in self.patterns if re.search(pattern, normalised))


class IndustryWorkflow(Workflow):
    def __init__(
        self,
        *,
        name: str,
        description: str,
        intents: Sequence[Intent],
        fields: Sequence[Field],
        scoring: Sequence[Rule],
        router: Router,
        config_type: type[WorkflowConfig],
        knowledge: Sequence[KnowledgeItem] = (),
        emergency: EmergencyFinder | None = None,
        instructions: Mapping[str, str] | None = None,
        adjust: Adjuster | None = None,
    ) -> None:
        super().__init__(
            name=name,
            description=description,
            intents=[intent.describe() for intent in intents],
            fields=[field.describe() for field in fields],
            knowledge=knowledge,
        )
        self._intents = tuple(intents)
        self._fields = {field.name: field for field in fields}
        self._scoring = tuple(scoring)
        self._router = router
        self._config_type = config_type
        self._emergency = emergency
        self._instructions = dict(instructions or {})
        self._adjust = adjust

    # --- understanding -------------------------------------------------------------------

    def read(self, text: str, expecting: str | None = None) -> WorkflowReading:
        normalised = normalise(text)
        ranked = sorted(
            ((intent.evidence(normalised), intent.name) for intent in self._intents), reverse=True
        )
        evidence, intent = ranked[0] if ranked and ranked[0][0] > 0 else (0.0, None)
        fields: dict[str, Any] = {}
        for field in self._fields.values():
            value = field.read(normalised, text, lenient=field.name == expecting)
            if value is not NOT_SAID:
                fields[field.name] = value
        if expecting in self._fields and expecting not in fields and extract.unsure(normalised):
            fields[expecting] = None  # asked, and the caller does not know
        return WorkflowReading(intent=intent, evidence=evidence, fields=fields)

    # --- judging -------------------------------------------------------------------------

    def assess(self, call: CallContext, intent: str | None, fields: Mapping[str, Any]) -> LeadAssessment:
        config = self.config(call)
        values = {
            name: self._fields[name].clean(value) if name in self._fields else value
            for name, value in fields.items()
        }
        if self._adjust is not None:
            values = self._adjust(values)
        emergency = self._emergency(intent, values) if self._emergency is not None else None
        facts = LeadFacts(
            intent=intent,
            fields=values,
            emergency=emergency,
            open_now=call.tenant.is_open(call.now or datetime.now(UTC)),
        )
        points = score(self._scoring, facts)
        facts = msgspec.structs.replace(facts, score=points, hot=points >= config.hot_score)
        missing = self.missing(intent, values)
        urgent_missing = [name for name in missing if self._fields[name].urgent]
        ours = emergency is not None or any(known.name == intent for known in self._intents)
        ready = not urgent_missing if emergency else (facts.hot or not missing)
        return LeadAssessment(
            fields=values,
            score=points,
            hot=facts.hot,
            emergency=emergency,
            missing=urgent_missing if emergency else missing,
            routes=self._router(facts, config) if ours and ready else [],
            instructions=self._instructions.get(emergency) if emergency else None,
            summary=self.summary(intent, values),
        )

    def config(self, call: CallContext) -> Any:
        """This tenant's config of the workflow's plugin (the defaults when it has none)."""
        config = call.plugin_configs.get(self.name)
        return config if isinstance(config, self._config_type) else self._config_type()

    def missing(self, intent: str | None, values: Mapping[str, Any]) -> list[str]:
        """The fields to ask about ``intent`` that have no answer yet, in the order to ask them."""
        return [
            name
            for name, field in self._fields.items()
            if field.question and (not field.intents or intent in field.intents) and name not in values
        ]

    def summary(self, intent: str | None, values: Mapping[str, Any]) -> str:
        """One line for people: the intent, then each known field ("loan amount $400,000")."""
        parts = [intent.replace("_", " ")] if intent else []
        for name, field in self._fields.items():
            value = values.get(name)
            if value is not None and value != "":
                parts.append(f"{name.replace('_', ' ')} {field.spoken(value)}")
        return "; ".join(parts)
