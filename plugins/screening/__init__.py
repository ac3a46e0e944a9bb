"""Screens calls: blocklist and allowlist, known contacts, withheld numbers, STIR/SHAKEN, call velocity."""

from __future__ import annotations

from typing import Literal

import msgspec

from core import CallContext, CallerProfile, ConfigFieldError, ScreeningDecision, hookimpl
from core.phones import normalise_number, require_number

NAME = "screening"
DEFAULT_INSTALLED = True

Action = Literal["allow", "challenge", "voicemail", "reject"]
UnverifiedAction = Literal["allow", "challenge"]
FailedAction = Literal["voicemail", "reject"]
VelocityAction = Literal["challenge", "voicemail", "reject"]


# What Twilio sends as From when the caller withholds their number: words from some carriers,
# and the keypad spellings ANONYMOUS, RESTRICTED, UNKNOWN, UNAVAILABLE from others.
_WITHHELD = frozenset(
    {"", "anonymous", "restricted", "unknown", "private", "unavailable",
     "+266696687", "+7378742833", "+8656696", "+86282452253"}
)  # fmt: skip

# When several rules fire, the strictest action wins.
_SEVERITY: dict[Action, int] = {"allow": 0, "challenge": 1, "voicemail": 2, "reject": 3}

_FAILED = frozenset(
    {"TN-Validation-Failed-A", "TN-Validation-Failed-B", "TN-Validation-Failed-C", "TN-Validation-Failed"}
)


def is_withheld(caller: str) -> bool:
    """Whether ``caller`` (Twilio's ``From``) is a withheld or anonymous number."""
    return caller.strip().lower() in _WITHHELD


class StirShakenPolicy(msgspec.Struct, kw_only=True, frozen=True, forbid_unknown_fields=True):
    """What to do with each STIR/SHAKEN verification result (Twilio's ``StirVerstat``).

    ``TN-Validation-Passed-A`` always passes, and a call without a result (unsigned) is allowed.
    """

    # The carrier knows its customer but not that they may use this number (PBXs, call centres).
    attestation_b: UnverifiedAction = "allow"
    # The carrier only saw the call enter its network (gateways, often international robocalls).
    attestation_c: UnverifiedAction = "challenge"
    # Signed, but no verification could be carried out (e.g. a malformed calling number).
    no_validation: UnverifiedAction = "challenge"
    # The signature did not verify: the number is likely spoofed. Voicemail by default, so a
    # legitimate caller whose signature broke on the way still leaves word.
    failed: FailedAction = "voicemail"

    def action_for(self, verstat: str | None) -> Action:
        """The action for one ``StirVerstat`` value; unknown or missing values are allowed."""
        match verstat:
            case "TN-Validation-Passed-B":
                return self.attestation_b
            case "TN-Validation-Passed-C":
                return self.attestation_c
            case "No-TN-Validation":
                return self.no_validation
            case _ if verstat in _FAILED:
                return self.failed
        return "allow"


class Config(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    blocklist: list[str] = []
    allowlist: list[str] = []
    # None: follow the deprecated ``block_anonymous`` ("reject" when true, else "allow").
    anonymous: Action | None = None
    block_anonymous: bool = False  # deprecated: use anonymous = "reject"
    stir_shaken: StirShakenPolicy = StirShakenPolicy()
    # More calls than this from one number within an hour (this one included) trip the rule; 0 = off.
    max_calls_per_hour: int = 0
    velocity_action: VelocityAction = "challenge"

    def __post_init__(self) -> None:
        # Stored normalised, so "+1 (555) 123-0001" in the admin form matches Twilio's "+15551230001".
        self.blocklist = [require_number(f"blocklist[{i}]", n) for i, n in enumerate(self.blocklist)]
        self.allowlist = [require_number(f"allowlist[{i}]", n) for i, n in enumerate(self.allowlist)]
        if self.max_calls_per_hour < 0:
            raise ConfigFieldError("max_calls_per_hour", "must be 0 (off) or more")

    @property
    def anonymous_action(self) -> Action:
        """The withheld-number policy, with ``anonymous`` winning over ``block_anonymous``."""
        if self.anonymous is not None:
            return self.anonymous
        return "reject" if self.block_anonymous else "allow"


def screen(
    caller: str,
    config: Config,
    *,
    stir_verstat: str | None = None,
    profile: CallerProfile | None = None,
) -> ScreeningDecision | None:
    """The decision for ``caller``; None when no rule fired, leaving it to other screening plugins."""
    number = normalise_number(caller)
    # The blocklist beats everything: blocking is the most deliberate act of all.
    if number is not None and number in config.blocklist:
        return ScreeningDecision(action="reject", reasons=["blocklist"])
    if number is not None and number in config.allowlist:
        return ScreeningDecision(action="allow", reasons=["allowlist"])
    profile = profile or CallerProfile()
    if profile.known:
        return ScreeningDecision(action="allow", reasons=["known_contact"])

    fired: list[tuple[Action, str]] = []
    if is_withheld(caller) and config.anonymous_action != "allow":
        fired.append((config.anonymous_action, "anonymous"))
    stir_action = config.stir_shaken.action_for(stir_verstat)
    if stir_action != "allow":
        fired.append((stir_action, f"stir_shaken:{stir_verstat}"))
    limit = config.max_calls_per_hour
    this_hour = profile.calls_last_hour + 1  # the profile counts earlier calls; this one is next
    if limit and this_hour > limit:
        fired.append((config.velocity_action, f"velocity:{this_hour}/h>{limit}"))

    if not fired:
        return None
    action = max((action for action, _ in fired), key=_SEVERITY.__getitem__)
    return ScreeningDecision(action=action, reasons=[reason for _, reason in fired])


@hookimpl(tryfirst=True)
def screen_call(call: CallContext) -> ScreeningDecision | None:
    # tryfirst: the tenant's own lists and policies are explicit and outrank heuristics (spam scores).
    config = call.plugin_config(NAME, Config)
    return screen(call.caller, config, stir_verstat=call.stir_verstat, profile=call.caller_profile)
