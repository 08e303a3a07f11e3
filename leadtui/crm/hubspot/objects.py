"""The few HubSpot objects leadtui reads, as pydantic models (extra fields ignored: HubSpot
adds to its answers)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class _Object(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True)


class Record(_Object):
    """A CRM object as search and create answer: its id and the properties asked for."""

    id: str
    properties: dict[str, str | None] = Field(default_factory=dict)


class NextPage(_Object):
    after: str


class Paging(_Object):
    next: NextPage | None = None


class SearchPage(_Object):
    total: int = 0
    results: list[Record] = Field(default_factory=list)
    paging: Paging | None = None

    @property
    def after(self) -> str | None:
        return self.paging.next.after if self.paging and self.paging.next else None


class Option(_Object):
    """One value a property may take (a lifecycle stage, a lead status)."""

    label: str
    value: str
    display_order: int = Field(default=0, alias="displayOrder")
    hidden: bool = False


class Property(_Object):
    name: str
    label: str = ""
    type: str = "string"
    options: list[Option] = Field(default_factory=list)


class Owner(_Object):
    id: str
    email: str | None = None
    first_name: str | None = Field(default=None, alias="firstName")
    last_name: str | None = Field(default=None, alias="lastName")

    @property
    def name(self) -> str:
        return " ".join(part for part in (self.first_name, self.last_name) if part)


class Owners(_Object):
    results: list[Owner] = Field(default_factory=list)
    paging: Paging | None = None


class Disposition(_Object):
    id: str
    label: str
