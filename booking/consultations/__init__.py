"""Management consultations (経営相談): themes, channels, advisors and bookings."""
