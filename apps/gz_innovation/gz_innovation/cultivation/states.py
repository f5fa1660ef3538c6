"""The states of a Cultivation Submission (Workflow "Cultivation Review") and what follows from them:
one place for the submission rules, the review, the re-evaluation and the portal."""

from gz_innovation.cultivation import evaluation

DRAFT = "草稿"
SUBMITTED = "已提交"
# The review stages between 已提交 and 培育中 are records (GZ Review Stage, cultivation/stages.py).
CULTIVATING = "培育中"
CULTIVATED = "培育完成"
RETURNED = "退回修改"

# In the enterprise's hands: the admin may change the declared values and (re)submit.
EDITABLE = (DRAFT, RETURNED)
PENDING_RECOGNITION = "待培育"


def in_enterprise_hands(status: str | None) -> bool:
	return status in EDITABLE


def recognition_status(overall: str | None, status: str) -> str:
	"""企业认定状态 (manual §3.1.2): the review's outcome once cultivation starts, before that what the
	evaluation says."""
	if status in (CULTIVATING, CULTIVATED):
		return status
	if overall == evaluation.OVERALL_NOT_SATISFIED:
		return evaluation.OVERALL_NOT_SATISFIED
	return PENDING_RECOGNITION
