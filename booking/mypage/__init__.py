"""My Page (マイページ): a person's bookings, passes, calendar feed and profile."""
