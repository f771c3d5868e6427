"""Who may see and change accounts from the staff pages (/staff/accounts).

The rules, in one place (pages and templates ask these functions):

- Staff and admins see every account and company (members book at any branch, so the
  front desk of every branch must find them). Anyone else: the pages answer 404.
- Role and unit (branch, section…) are changed by admins only; admins assign staff to
  units. A staff member who is not an admin gets 403 on those forms (they know the page).
- Deactivating (and reactivating) an account and sending its invitation or confirmation mail
  again: any staff member, for members and guests; staff, advisor and admin accounts only
  by an admin. Nobody deactivates their own account.
- Merging a guest account into a member one: HQ staff and admins (branch and section staff
  change nothing beyond deactivation and mail).
"""

from __future__ import annotations

from booking.accounts.models import User
from booking.org.policy import sees_all_units

# Accounts of the chamber's own people: only admins touch them.
STAFF_SIDE_ROLES = ("staff", "advisor", "admin")


def may_see_accounts(user: User) -> bool:
    """The account search and the person's and company's pages."""
    return bool(user.is_authenticated and user.is_staff)


def is_hq_staff(user: User) -> bool:
    """Admins, and staff of the head office (`org.policy.sees_all_units`: the one rule)."""
    return sees_all_units(user)


def may_change_role_and_unit(actor: User) -> bool:
    """Role and unit of any account (and so which unit a staff member works for)."""
    return actor.is_admin


def may_deactivate(actor: User, person: User) -> bool:
    """Deactivate or reactivate `person`."""
    if not actor.is_staff or actor.id == person.id:
        return False
    return actor.is_admin or person.role not in STAFF_SIDE_ROLES


def may_resend_mail(actor: User, person: User) -> bool:
    """Send the invitation or confirmation mail again (same rule as deactivating)."""
    return actor.is_staff and (actor.is_admin or person.role not in STAFF_SIDE_ROLES)


def may_merge(actor: User) -> bool:
    """Merge a guest account into a member one."""
    return is_hq_staff(actor)


def may_book_for(actor: User, person: User) -> bool:
    """The front desk books a consultation for an active member (consultations are for members)."""
    return actor.is_staff and person.active and person.role == "member"
