"""A workflow's starter knowledge answers callers beside the tenant's own; theirs wins on a tie."""

from __future__ import annotations

from tests.plugins.workflows.workflow_phone import workflow_line

PLUGINS = {"mortgage": {}, "routing": {}, "calendar": {}}
RATE_LOCK = (
    "A rate lock holds your interest rate for a set time, usually 30 to 60 days, while your loan is "
    "processed, so a market move does not change it."
)


async def test_a_question_mid_intake_is_answered_from_starter_knowledge_then_the_intake_resumes(
    make_settings,
) -> None:
    async with workflow_line(make_settings, PLUGINS) as line:
        call = line.call()
        await call.start()
        await call.say("I'd like to refinance")
        answer = await call.say("Quick question, what is a rate lock?")
        assert answer.says == [f"{RATE_LOCK} About how much would you like to borrow?"]
        assert (await call.say("about 300")).says == [
            "And roughly what is the property worth, or what's the purchase price?"
        ]


async def test_the_tenants_own_answer_to_the_same_question_wins(make_settings) -> None:
    async with workflow_line(make_settings, PLUGINS) as line:
        entry = {
            "question": "What is a rate lock?",
            "answer": "We lock your rate for 45 days at no cost.",
            "tags": ["rates"],
        }
        assert (await line.client.post("/api/v1/tenants/acme/knowledge", json=entry)).status_code == 201
        call = line.call()
        await call.start()
        answer = await call.say("What is a rate lock?")
        assert answer.says == [
            "We lock your rate for 45 days at no cost. Is there anything else I can help you with?"
        ]
        # The starter entries are not copied into the tenant's knowledge base.
        stored = (await line.client.get("/api/v1/tenants/acme/knowledge")).json()["items"]
        assert [item["question"] for item in stored] == ["What is a rate lock?"]


async def test_without_the_workflow_installed_there_is_no_starter_knowledge(make_settings) -> None:
    async with workflow_line(make_settings, {"routing": {}, "calendar": {}}) as line:
        call = line.call()
        await call.start()
        answer = await call.say("What is a rate lock?")
        assert answer.says[0].startswith("I'm sorry, I don't have an answer to that.")
