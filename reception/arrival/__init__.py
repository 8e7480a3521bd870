"""The kiosk's orchestration above the queue and leadership: the menu, a walk-in ticket, a booked visitor's check-in."""
