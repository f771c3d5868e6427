"""Accounts: member companies, people, roles, sign-in and API tokens."""
