"""Notifications: the outbox every domain writes to, and the dispatcher that sends it."""
