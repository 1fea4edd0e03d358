"""timeline: a store of dated events published as calendars and feeds."""
