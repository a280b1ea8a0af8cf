"""How a job of kind `reporting` is built: workbook B's layout and its program's definitions and targets."""
from __future__ import annotations

from app.reporting.rules_files import DEFAULT_PROGRAM, load_reporting_rules
from app.reporting.workflow import ReportingWorkflow
from app.sheets.layout import WorkbookSpec
from app.sync.workflow import JobSpec, WorkflowKind


def _build(spec: WorkbookSpec, job: JobSpec) -> ReportingWorkflow:
    return ReportingWorkflow(spec, load_reporting_rules(job.program or DEFAULT_PROGRAM))


REPORTING = WorkflowKind("reporting", schema="reporting", build=_build)
