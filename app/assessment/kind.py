"""How a job of kind `assessment` is built: workbook A's layout, the workflow, and its run support."""
from __future__ import annotations

from app.assessment.support import AssessmentSupport
from app.assessment.workflow import AssessmentWorkflow
from app.sheets.layout import WorkbookSpec
from app.sync.workflow import JobSpec, WorkflowKind


def _build(spec: WorkbookSpec, job: JobSpec) -> AssessmentWorkflow:
    """A reference form read by the Forms API stands in for its responses tab."""
    return AssessmentWorkflow(spec, form_tabs=("reference_form",) if job.reference_form_id else ())


ASSESSMENT = WorkflowKind("assessment", schema="assessment", build=_build, support=AssessmentSupport,
                          needs_token_secret=True)
