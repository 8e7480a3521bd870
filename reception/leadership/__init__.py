"""Leadership reception: schedules, booking, kiosk check-in and the reception record (decision 007).

Pure modules (``rules``, ``deadlines``, ``codes``, ``indexes``) import nothing from Flask or the
database; the others are short transactional commands over ``reception.platform.orm.Base`` tables.
"""
