"""Benchmark of the Excel ledger export (api/ledger_sheet.py): time and peak memory for 100,000 rows.

    .venv/bin/python bench/ledger.py                 # 100,000 rows, writes bench/results/ledger.json
    .venv/bin/python bench/ledger.py --rows 20000

Each mode runs in a fresh child process so that peak figures do not mix: `write-only` (what the service does,
rows streamed to a temporary file) and, for comparison, `in-memory` (openpyxl's default workbook with the same
styling, a cell object per value). Rows are synthetic but shaped like real ones (21 columns, Chinese text, five
datetimes). Figures: wall time to build and save, peak resident memory of the process (ru_maxrss) above its
size once the rows exist, Python's traced peak (tracemalloc, in a second, untimed pass), and the file size.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import resource
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def rows(count: int) -> list[list[Any]]:
    rng = random.Random(14)
    base = dt.datetime(2026, 1, 1, 8, 0)
    compounds = ["阳光小区", "和平里北街小区", "幸福家园", "东湖湾", "金融街枫桥"]
    out = []
    for n in range(1, count + 1):
        received = base + dt.timedelta(minutes=5 * n)
        out.append([
            f"TS-2026-{n:06d}", f"12345-{received:%Y%m%d}-{n:04d}", "12345热线", "投诉", "环境卫生", "一般",
            rng.choice(["楼道堆物", "电梯故障停运三天无人维修", "小区绿地被占用停车"]), rng.choice(compounds),
            "张*", "138****5678", received, "已派单", "北京某某物业服务有限公司", received + dt.timedelta(hours=1),
            received + dt.timedelta(days=3), "否", None, None, 0, rng.randint(0, 2), "满意",
        ])
    return out


def _in_memory(data: list[list[Any]]) -> Any:
    """The same sheet in openpyxl's default mode, for comparison (what the export did before)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from api.ledger_sheet import DATE_TIME, HEADERS, column_widths
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["诉求台账"])
    sheet.append(HEADERS)
    for row in data:
        sheet.append(row)
    for index, width in enumerate(column_widths(HEADERS, data), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for column in ("K", "N", "O", "Q", "R"):
        for cell in sheet[column][2:]:
            cell.number_format = DATE_TIME
    sheet.freeze_panes = "A3"
    return workbook


def child(mode: str, count: int) -> dict[str, Any]:
    from api.ledger_sheet import ledger_workbook, workbook_bytes

    data = rows(count)
    baseline_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    build = (lambda: ledger_workbook(data, title="诉求台账（基准）")) if mode == "write-only" else (
        lambda: _in_memory(data))
    started = time.perf_counter()
    size = len(workbook_bytes(build()))
    seconds = time.perf_counter() - started
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    tracemalloc.start()
    workbook_bytes(build())
    _, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {"mode": mode, "rows": count, "seconds": round(seconds, 2),
            "rows_per_second": round(count / seconds), "peak_rss_above_rows_mb": round((peak_kb - baseline_kb) / 1024, 1),
            "rows_rss_mb": round(baseline_kb / 1024, 1), "traced_peak_mb": round(traced_peak / 2**20, 1),
            "file_mb": round(size / 2**20, 2)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--output", default=str(REPO / "bench" / "results" / "ledger.json"))
    parser.add_argument("--child", choices=["write-only", "in-memory"])
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.rows)))
        return 0
    results = []
    for mode in ("write-only", "in-memory"):
        done = subprocess.run([sys.executable, __file__, "--child", mode, "--rows", str(args.rows)],
                              capture_output=True, text=True, check=True, cwd=REPO)
        results.append(json.loads(done.stdout.strip().splitlines()[-1]))
        print(results[-1])
    report = {"benchmark": "ledger export (api/ledger_sheet.py)", "when": dt.datetime.now(dt.UTC).isoformat(),
              "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform()},
              "results": results}
    Path(args.output).write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
