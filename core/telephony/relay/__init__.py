"""ConversationRelay streaming mode: ``<Connect><ConversationRelay>``, its websocket, and its end.

A tenant (or one of its numbers) turns it on with the ``conversation_relay`` plugin; see
docs/conversation-relay.md.
"""
