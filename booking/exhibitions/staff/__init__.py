"""Staff set-up of exhibitions: settings, the list and dashboard, which ones they manage."""
