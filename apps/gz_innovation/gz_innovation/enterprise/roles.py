"""Roles of the enterprise module (created in enterprise/setup.py)."""

ADMIN_ROLE = "GZ Enterprise Admin"  # 企业管理员: exactly one per enterprise
STAFF_ROLE = "GZ Enterprise Staff"  # 企业员工
REGULATOR_ROLE = "GZ Regulator"  # 监管部门 reviewers, in Desk
# Roles an enterprise admin may give to staff (manual §1.6 "配置用户拥有角色的不同权限").
ASSIGNABLE_ROLES = {"GZ Cultivation Viewer": "View cultivation submissions"}
UNRESTRICTED_ROLES = ("System Manager", REGULATOR_ROLE)
