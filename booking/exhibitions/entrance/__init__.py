"""The entrance desk: pass scans, walk-in registration, the day's counts."""
