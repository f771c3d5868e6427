"""Business meetings (商談): hours, free slots, booking, cancelling, mails, feeds, leads."""
