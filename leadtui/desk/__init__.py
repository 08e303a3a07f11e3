"""Acting on a lead, for the app and the command line alike: one behaviour, two faces."""

from leadtui.desk.desk import Desk
from leadtui.desk.detail import Detail, Undone
from leadtui.desk.errors import DeskError, NoRep, NothingWaiting, TakenFirst, UnknownRep

__all__ = [
    "Desk",
    "DeskError",
    "Detail",
    "NoRep",
    "NothingWaiting",
    "TakenFirst",
    "Undone",
    "UnknownRep",
]
