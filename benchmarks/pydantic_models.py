"""Pydantic v2 models with the same fields as the SDK's Batch, BatchPhase and BatchStats.

This is the peer stack a code generator would emit: one ``BaseModel`` per schema,
aliases for the underscore URL keys, timestamps as ``datetime`` (pydantic reads
epoch seconds as aware UTC datetimes, as the SDK does) and *open* enums (a known
value becomes the member, an unknown one stays ``str``) via a left-to-right union,
so both stacks do the same work per item.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from packagex_async.models import (
    BatchAction,
    BatchMode,
    BatchResource,
    BatchStatus,
    BatchVia,
    DuplicateHandling,
)

_OPEN = Field(default=None, union_mode="left_to_right")
_CONFIG = ConfigDict(frozen=True, populate_by_name=True, extra="ignore")

# Open enums: tried left to right, so a known value becomes the member, not the str.
OpenResource = Annotated[BatchResource | str | None, _OPEN]
OpenMode = Annotated[BatchMode | str | None, _OPEN]
OpenVia = Annotated[BatchVia | str | None, _OPEN]
OpenAction = Annotated[BatchAction | str | None, _OPEN]
OpenStatus = Annotated[BatchStatus | str | None, _OPEN]
OpenDuplicateHandling = Annotated[DuplicateHandling | str | None, _OPEN]


class BatchPhaseModel(BaseModel):
    """One processing phase of a batch."""

    model_config = _CONFIG

    name: str | None = None
    mode: OpenMode = None
    total: int = 0
    processed: int = 0
    success: int = 0
    error: int = 0


class BatchStatsModel(BaseModel):
    """What a finished batch did."""

    model_config = _CONFIG

    created: int = 0
    updated: int = 0
    deleted: int = 0
    overwritten: int = 0
    events: int = 0


class BatchModel(BaseModel):
    """A batch, field for field as ``packagex_async.models.Batch``."""

    model_config = _CONFIG

    id: str
    organization_id: str | None = None
    resource: OpenResource = None
    mode: OpenMode = None
    via: OpenVia = None
    action: OpenAction = None
    status: OpenStatus = None
    duplicate_handling: OpenDuplicateHandling = None
    reason: str | None = None
    phases: list[BatchPhaseModel] = Field(default_factory=list)
    stats: BatchStatsModel | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    updated_by: str | None = None
    checksum: str | None = None
    upload_url: str | None = Field(default=None, alias="_upload_url")
    upload_csv_url: str | None = Field(default=None, alias="_upload_csv_url")
    upload_json_url: str | None = Field(default=None, alias="_upload_json_url")
    errors_csv_url: str | None = Field(default=None, alias="_errors_csv_url")
    errors_json_url: str | None = Field(default=None, alias="_errors_json_url")
    result_json_url: str | None = Field(default=None, alias="_result_json_url")


class PaginationModel(BaseModel):
    """The ``pagination`` object of a list answer."""

    model_config = _CONFIG

    page: int
    limit: int
    has_more: bool
    total_count: int | None = None


class BatchListEnvelope(BaseModel):
    """A list answer: parsed and validated in one go by ``model_validate_json``."""

    model_config = _CONFIG

    data: list[BatchModel]
    pagination: PaginationModel


BATCH_LIST = TypeAdapter(list[BatchModel])
PAGINATION = TypeAdapter(PaginationModel)
