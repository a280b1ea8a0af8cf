"""`python -m app forms prepare JOB`: add the two questions a reference's personal link fills in (application number
and token) to the job's reference form through the Forms API — the only command that asks for scope `forms.body`."""
from __future__ import annotations

from app.assessment.reference_questions import LINK_QUESTION_NOTE, asks_link_question, questions_to_add
from app.assessment.support import links_asked_key
from app.errors import ConfigError
from app.sync.ports import FormItem


def prepare(services, name: str, dry_run: bool) -> int:
    """Add the link questions the form lacks (nothing when it asks both: running it again adds nothing)."""
    config = services.job(name)
    kind = services.kind(name).name
    if kind != "assessment":
        raise ConfigError(f"job {name!r} is a {kind} job: only an assessment job has a reference form")
    if not config.reference_form_id:
        raise ConfigError(f"job {name!r} has no reference form: set jobs.{name}.reference_form_id to the form's id "
                          "(in its edit URL …/forms/d/<id>/edit) and share the form with the service account as "
                          "Editor")
    layout = services.workflow(name).spec.tab("reference_form")
    editor = services.form_editor(config.reference_form_id)
    revision, items = editor.items()
    missing = questions_to_add(layout, [item.title for item in items])
    where = f"{name}: reference form {config.reference_form_id}"
    if not missing:
        print(f"{where} already asks both questions — nothing added (มีคำถามครบแล้ว ไม่ได้เพิ่มอะไร):")
        for item in items:
            if asks_link_question(layout, item.title):
                print(f"  {item.item_id}  {item.title}")
        return 0
    if dry_run:
        print(f"{where}: dry run — would add {len(missing)} short-answer question(s) at the top "
              "(ตัวอย่าง: ยังไม่ได้แก้แบบฟอร์ม):")
        for title in missing:
            print(f"  {title}")
        return 0
    added = editor.add_short_answers([FormItem("", title, LINK_QUESTION_NOTE) for title in missing], revision)
    services.store.set_watermark(links_asked_key(services.job_spec(name)), services.now())  # earlier answers: by email
    print(f"{where}: added {len(added)} short-answer question(s) at the top (เพิ่มคำถามแล้ว); the next sync fills "
          "them into every personal link:")
    for item in added:
        print(f"  {item.item_id}  {item.title}")
    return 0
