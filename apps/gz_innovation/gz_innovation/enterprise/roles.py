"""Roles of the enterprise module (created in enterprise/setup.py)."""

ADMIN_ROLE = "GZ Enterprise Admin"  # 企业管理员: exactly one per enterprise
STAFF_ROLE = "GZ Enterprise Staff"  # 企业员工
REGULATOR_ROLE = "GZ Regulator"  # 监管部门 reviewers, in Desk: read in their scope, certification review
# The two stages of the cultivation review belong to different roles, so one account does not run
# both unless an administrator gives it both (separation of duties, 等保 8.1.4.2).
CITY_REVIEWER_ROLE = "GZ City Reviewer"  # 市州初审
PROVINCE_REVIEWER_ROLE = "GZ Province Reviewer"  # 省厅审核
REVIEWER_ROLES = (REGULATOR_ROLE, CITY_REVIEWER_ROLE, PROVINCE_REVIEWER_ROLE)
CULTIVATION_VIEWER_ROLE = "GZ Cultivation Viewer"  # staff: read the enterprise's submissions
DOCUMENT_VIEWER_ROLE = "GZ Enterprise Document Viewer"  # staff: read the business licence and files
# Roles an enterprise admin may give to staff (manual §1.6 "配置用户拥有角色的不同权限").
ASSIGNABLE_ROLES = {
	CULTIVATION_VIEWER_ROLE: "View cultivation submissions",
	DOCUMENT_VIEWER_ROLE: "View the business licence and enterprise documents",
}
UNRESTRICTED_ROLES = ("System Manager", REGULATOR_ROLE)
