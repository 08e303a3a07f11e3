"""The failures a user can cause and fix: shown as one line, never as a traceback."""

from __future__ import annotations


def user_errors() -> tuple[type[Exception], ...]:
    """The kinds of failure shown as one line. Looked up once something has failed, so
    opening the app does not import the importer (nor anything else) for its errors."""
    from leadtui.core.agreement import AgreementError
    from leadtui.core.lifecycle import TransitionRefused
    from leadtui.core.moments import MomentOutOfRange
    from leadtui.desk.errors import DeskError
    from leadtui.importing import ImportFailure
    from leadtui.settings import SettingsError
    from leadtui.store import StoreError

    return (
        AgreementError,
        DeskError,
        ImportFailure,
        MomentOutOfRange,
        SettingsError,
        StoreError,
        TransitionRefused,
        OSError,
    )
