"""Alerts: rules per office evaluated by a job, each raised once and cleared when it ends; the air-raid feed."""
