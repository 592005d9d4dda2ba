"""Meetings of decision bodies: calendars, agendas, papers, outcomes, attendance and minutes."""
