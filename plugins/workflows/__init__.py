"""Industry workflows: intents, qualification fields, starter knowledge, lead scoring and routing rules.

This package holds what the industries share (reading answers from speech, fields, scoring and
routing rules, ``IndustryWorkflow``); each sub-package is one plugin (``plugins.workflows.mortgage``,
``.dental``, ``.legal``, ``.home_services``) registering its workflow with ``register_workflows``.
"""
