"""The failures a user can cause and fix: shown as one line, never as a traceback."""

from __future__ import annotations

from leadtui.core.agreement import AgreementError
from leadtui.core.lifecycle import TransitionRefused
from leadtui.core.moments import MomentOutOfRange
from leadtui.desk import DeskError
from leadtui.importing import ImportFailure
from leadtui.settings import SettingsError
from leadtui.store import StoreError

USER_ERRORS: tuple[type[Exception], ...] = (
    AgreementError,
    DeskError,
    ImportFailure,
    MomentOutOfRange,
    SettingsError,
    StoreError,
    TransitionRefused,
    OSError,
)
