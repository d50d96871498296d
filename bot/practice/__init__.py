"""Daily practice: a technique for two minutes a day at the person's local time, streaks, the monthly review,
and suggestions from colleagues."""
