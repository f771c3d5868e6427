"""How many due messages a dispatcher's next claim takes (the rule; the dispatcher counts)."""

from __future__ import annotations

# The least a claim takes near the end (see `claim_size`): each batch costs a count, a claim
# and a pause of the sender while the batch's first mail is rendered, ~2 ms in all.
MIN_CLAIM = 10


def claim_size(still_due: int, limit: int) -> int:
    """How many rows the next claim takes: a quarter of what is still due, between
    `MIN_CLAIM` and `limit` (guided self-scheduling).

    While much is due, full batches; as the backlog drains, smaller ones, so that when one
    dispatcher finds nothing left, the others hold a few messages each rather than a whole
    batch (with fixed batches of 100, the second of two dispatchers went on alone for up to
    a third of a second, a tenth of a 1,500-mail run).
    """
    return min(limit, max(MIN_CLAIM, -(-still_due // 4)))
