"""Frappe's own way of doing what a portal request does (deadline_day.sh --floors): the request
names the locustfile sends them under and the report reads them by. Python standard library only."""

FLOOR = "[floor] "
LOGIN = FLOOR + "POST /api/method/login (Frappe's own password login)"
READ_DRAFT = FLOOR + "GET /api/resource/Cultivation Submission (Frappe's read of the draft)"
SAVE_DRAFT = FLOOR + "PUT /api/resource/Cultivation Submission (Frappe's save of the draft)"
CREATE_USER = FLOOR + "POST /api/resource/User (Frappe's own user creation)"

# portal request → its floor
OF = {
	"login": LOGIN,
	"open_submission (open draft)": READ_DRAFT,
	"save_submission (暂存)": SAVE_DRAFT,
	"register": CREATE_USER,
}
