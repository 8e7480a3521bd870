"""Staffing plans: desks needed per hour from queueing theory (Erlang C) and the office's history."""
