"""Zones and booths: laying them out and assigning them to accepted exhibitors."""
