"""Filters of the firm lists."""

from __future__ import annotations

import strawberry


@strawberry.input(description="物业企业筛选")
class PropertyFirmFilter:
    search: str | None = strawberry.field(default=None, description="名称或信用代码包含")
