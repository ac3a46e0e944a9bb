"""A tenant's call analytics: outcomes, busy hours, durations, spam, bookings and the callers' mood."""
