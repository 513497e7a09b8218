"""GET /complaints/ledger.xlsx — the complaint ledger (台账) as an Excel workbook, filtered like the GraphQL ledger.

Bearer token as for /graphql; staff and firm staff only; rows are those the viewer may see. Query parameters:
status (repeatable), compoundId, handlerId, channel, overdue (true/false), receivedFrom, receivedTo (ISO 8601),
search. Five statements whatever the number of rows.
"""

from __future__ import annotations

from datetime import UTC, datetime
from io import BytesIO
from typing import Any

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from api.auth import InvalidToken, viewer_from_headers
from domain.accounts.rules import STAFF, Role
from domain.bodies.models import Body
from domain.complaints.access import may_read_complainant, mask_name, mask_phone
from domain.complaints.deadlines import LOCAL
from domain.complaints.models import ReturnVisitRecord
from domain.complaints.orders import firm_body_id_of, order_place
from domain.complaints.queries import LedgerFilter, ledger
from domain.complaints.rules import Channel, Status, is_overdue
from domain.geography.models import Compound
from schema.bodies.types import BODY_ID_TYPES
from schema.core.relay import parse_id

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_ROWS = 100_000
STATUS_ZH = {
    Status.RECEIVED: "已登记", Status.ACCEPTED: "已受理", Status.REJECTED: "不予受理", Status.DISPATCHED: "已派单",
    Status.IN_PROGRESS: "办理中", Status.RESOLVED: "已办结", Status.RETURN_VISITED: "已回访", Status.CLOSED: "已销号",
}
CHANNEL_ZH = {
    Channel.HOTLINE_12345: "12345热线", Channel.PROVINCIAL_SYSTEM: "省物业投诉转办系统", Channel.PETITION: "信访",
    Channel.PUBLIC_OPINION: "社情民意", Channel.GRID_PATROL: "网格巡查", Channel.WALK_IN: "来访",
    Channel.ONLINE: "网上", Channel.MEETING: "会议",
}
URGENCY_ZH = {"EMERGENCY": "紧急", "UTILITY": "水电气热", "ORDINARY": "一般", "COMPLEX": "复杂"}
KIND_ZH = {"CONSULTATION": "咨询", "HELP": "求助", "COMPLAINT": "投诉", "REPORT": "举报", "SUGGESTION": "建议"}
SATISFACTION_ZH = {"SATISFIED": "满意", "BASICALLY_SATISFIED": "基本满意", "UNSATISFIED": "不满意"}
HEADERS = [
    "工单编号", "外部编号", "渠道", "诉求类型", "问题类别", "紧急程度", "标题", "小区", "诉求人", "联系电话",
    "受理时间", "状态", "承办单位", "派单时间", "办理时限", "是否超期", "办结时间", "销号时间", "重办次数",
    "吹哨次数", "最近回访满意度",
]


class BadFilter(ValueError):
    pass


def _local(value: datetime | None) -> datetime | None:
    # Excel has no time zones: cells show Beijing time
    return value.astimezone(LOCAL).replace(tzinfo=None) if value else None


def _pk(value: str | None, *types: str) -> int | None:
    if value is None:
        return None
    parsed = parse_id(value)
    if parsed is None or parsed[0] not in types:
        raise BadFilter(f"not an ID of {'/'.join(types)}: {value}")
    return parsed[1]


def _instant(value: str | None, name: str) -> datetime | None:
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise BadFilter(f"{name} must be an ISO 8601 instant") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=LOCAL)


async def _body(value: str | None) -> int | None:
    """Any body's global ID (a firm, an organisation ...) as its Body row id."""
    if value is None:
        return None
    parsed = parse_id(value)
    resolve = BODY_ID_TYPES.get(parsed[0]) if parsed else None
    body_id = await resolve(parsed[1]) if resolve and parsed else None
    if body_id is None:
        raise BadFilter(f"handlerId is not a body: {value}")
    return body_id


async def _filter(request: Request) -> LedgerFilter:
    params = request.query_params
    try:
        statuses = tuple(Status(s) for s in params.getlist("status"))
        channel = Channel(params["channel"]) if "channel" in params else None
    except ValueError as exc:
        raise BadFilter(str(exc)) from None
    overdue = params.get("overdue")
    if overdue not in (None, "true", "false"):
        raise BadFilter("overdue must be true or false")
    handler_id = await _body(params.get("handlerId"))
    return LedgerFilter(
        statuses=statuses, compound_id=_pk(params.get("compoundId"), "Compound"), handler_id=handler_id,
        overdue=None if overdue is None else overdue == "true", channel=channel,
        received_from=_instant(params.get("receivedFrom"), "receivedFrom"),
        received_to=_instant(params.get("receivedTo"), "receivedTo"), search=params.get("search"),
    )


async def ledger_export(request: Request) -> Response:
    now = datetime.now(UTC)
    try:
        viewer = await viewer_from_headers(dict(request.headers), now=now)
    except InvalidToken as exc:
        return JSONResponse({"error": str(exc)}, status_code=401)
    if not viewer.is_authenticated:
        return JSONResponse({"error": "sign in first"}, status_code=401)
    if not viewer.has_any(STAFF | {Role.FIRM_STAFF}):
        return JSONResponse({"error": "FORBIDDEN"}, status_code=403)
    try:
        rows_filter = await _filter(request)
    except BadFilter as exc:
        return JSONResponse({"error": str(exc)}, status_code=400)
    firm_body_id = await firm_body_id_of(viewer)
    rows = await ledger(viewer, firm_body_id, rows_filter, now=now).order_by("-id").limit(MAX_ROWS)
    workbook = await _workbook(rows, viewer=viewer, firm_body_id=firm_body_id, now=now)
    buffer = BytesIO()
    workbook.save(buffer)
    name = f"complaint-ledger-{_local(now):%Y%m%d-%H%M}.xlsx"  # type: ignore[str-format]
    return Response(buffer.getvalue(), media_type=XLSX,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


async def _workbook(rows: list[Any], *, viewer: Any, firm_body_id: int | None, now: datetime) -> Workbook:
    compounds = {c.id: c.name for c in await Compound.filter(id__in={r.compound_id for r in rows})}
    body_ids = {i for r in rows for i in (r.handler_id, r.accountable_id) if i is not None}
    bodies = {b.id: b for b in await Body.filter(id__in=body_ids)}
    latest: dict[int, str] = {}
    visits = await ReturnVisitRecord.filter(complaint_id__in=[r.id for r in rows], reached=True).order_by("id")
    for visit in visits:
        latest[visit.complaint_id] = SATISFACTION_ZH.get(str(visit.satisfaction), "")
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "诉求台账"
    sheet.append(HEADERS)
    for r in rows:
        readable = may_read_complainant(viewer, order_place(r, bodies), firm_body_id=firm_body_id)
        handler = bodies.get(r.handler_id) if r.handler_id else None
        sheet.append([
            r.number, r.external_ref or "", CHANNEL_ZH[r.channel], KIND_ZH[str(r.kind)], r.category,
            URGENCY_ZH[str(r.urgency)], r.title, compounds.get(r.compound_id, ""),
            r.complainant_name if readable else mask_name(r.complainant_name),
            (r.complainant_phone if readable else mask_phone(r.complainant_phone)) if r.complainant_phone else "",
            _local(r.received_at), STATUS_ZH[r.status], handler.name if handler else "", _local(r.dispatched_at),
            _local(r.due_at), "是" if is_overdue(r.status, r.due_at, now) else "否", _local(r.resolved_at),
            _local(r.closed_at), r.reopen_count, r.escalation_level, latest.get(r.id, ""),
        ])
    for index, header in enumerate(HEADERS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(10, len(header) * 2 + 4)
    for column in ("K", "N", "O", "Q", "R"):
        for cell in sheet[column][1:]:
            cell.number_format = "yyyy-mm-dd hh:mm"
    sheet.freeze_panes = "A2"
    return workbook
