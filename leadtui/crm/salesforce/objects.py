"""The few Salesforce objects leadtui reads, as pydantic models (extra fields ignored:
Salesforce adds to its answers)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class _Object(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True)


class Token(_Object):
    """The OAuth token endpoint's answer: the session, and the org's API address."""

    access_token: str
    instance_url: str


class QueryPage(_Object):
    """One batch of a SOQL query's records; `next_records_url` while there are more."""

    total_size: int = Field(default=0, alias="totalSize")
    done: bool = True
    next_records_url: str | None = Field(default=None, alias="nextRecordsUrl")
    records: list[dict[str, Any]] = Field(default_factory=list)


class Problem(_Object):
    """One error as Salesforce words it (`errorCode` in REST answers, `statusCode` in
    a collection's results)."""

    message: str = ""
    error_code: str = Field(default="", alias="errorCode")
    status_code: str = Field(default="", alias="statusCode")
    fields: list[str] = Field(default_factory=list)

    @property
    def code(self) -> str:
        return self.error_code or self.status_code


class Saved(_Object):
    """What Salesforce answers for one record saved (an upsert, alone or in a batch)."""

    id: str | None = None
    success: bool = True
    created: bool | None = None
    errors: list[Problem] = Field(default_factory=list)


class FieldDescription(_Object):
    name: str
    type: str = "string"
    external_id: bool = Field(default=False, alias="externalId")
    unique: bool = False


class Described(_Object):
    name: str
    fields: list[FieldDescription] = Field(default_factory=list)
