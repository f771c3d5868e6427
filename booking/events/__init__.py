"""Events: seminars, exchange meetings, exhibitions and their participation frames."""
