"""NCT's own dates, pure: the publisher's update window (NCT-4) and the reminder before a draft
the PPO agreed arrangements for (NCT-17). Every date here counts UK working days where the seed
speaks of them."""

from __future__ import annotations

from datetime import date, timedelta

from governance.calendar import WorkingCalendar
from governance.preset import Preset

WARN_WORKING_DAYS = 5  # NCT-4: the warning before the submission deadline
ARRANGEMENTS_WARN_WORKING_DAYS = 5  # NCT-17: the reminder before the agreed draft is due


def window_opens(preset: Preset, deadline: date) -> date:
    """NCT-4: about six weeks (the preset's `review_weeks`) before the submission deadline."""
    weeks = preset.update_cycle.review_weeks if preset.update_cycle else 6
    return deadline - timedelta(weeks=weeks)


def warn_from(preset: Preset, deadline: date) -> date:
    """NCT-4: the day the RO and RSM of an unapproved case are warned that the window closes."""
    return WorkingCalendar(preset.nation).add_working_days(deadline, -WARN_WORKING_DAYS)


def arrangements_reminder_on(preset: Preset, due: date) -> date:
    """NCT-17: the reminder before the draft the arrangements agreed is due."""
    return WorkingCalendar(preset.nation).add_working_days(due, -ARRANGEMENTS_WARN_WORKING_DAYS)
