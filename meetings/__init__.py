"""The committee's meetings: agendas, minutes and their adjustment, and the calendar feed."""
