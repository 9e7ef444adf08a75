package auth

import (
	"fmt"
	"strings"
)

// Error is a validation failure with a user-facing message in Simplified
// Chinese. Callers map it to their own error type (for example a field error
// of an HTTP response).
type Error struct {
	Field   string // input field the message refers to, e.g. "password" or "role"
	Message string // user-facing explanation in Simplified Chinese
}

// Error returns the Chinese message.
func (e *Error) Error() string { return e.Message }

// Role is the role of a user. Its string value is what is stored and sent
// over the API.
type Role string

// The roles, from the widest to the narrowest access. See the package
// documentation for the capability matrix.
const (
	RoleAdmin     Role = "admin"     // 系统管理员: everything, everywhere
	RoleCounty    Role = "county"    // 县级用户: reads the county, manages its users
	RoleTownship  Role = "township"  // 乡镇指挥部办公室: edits the township
	RoleVillage   Role = "village"   // 村级干部: edits the village
	RoleAidUnit   Role = "aid_unit"  // 帮扶单位: reads only, identity masked
	RoleInspector Role = "inspector" // 督查评估: reads only, identity masked
)

// roles lists every role in display order.
var roles = []Role{RoleAdmin, RoleCounty, RoleTownship, RoleVillage, RoleAidUnit, RoleInspector}

// Roles returns all roles in display order (widest access first). The slice
// is a fresh copy on every call.
func Roles() []Role {
	return append([]Role(nil), roles...)
}

// ParseRole returns the role named by s. Surrounding space and letter case
// are ignored ("Admin " is RoleAdmin). An unknown name yields an *Error for
// field "role".
func ParseRole(s string) (Role, error) {
	r := Role(strings.ToLower(strings.TrimSpace(s)))
	if r.Valid() {
		return r, nil
	}
	return "", &Error{Field: "role", Message: fmt.Sprintf("未知的用户角色：%q", s)}
}

// Valid reports whether r is one of the defined roles.
func (r Role) Valid() bool {
	switch r {
	case RoleAdmin, RoleCounty, RoleTownship, RoleVillage, RoleAidUnit, RoleInspector:
		return true
	}
	return false
}

// Label returns the Chinese name of the role, or "未知角色" for an invalid one.
func (r Role) Label() string {
	switch r {
	case RoleAdmin:
		return "系统管理员"
	case RoleCounty:
		return "县级用户"
	case RoleTownship:
		return "乡镇指挥部办公室"
	case RoleVillage:
		return "村级干部"
	case RoleAidUnit:
		return "帮扶单位"
	case RoleInspector:
		return "督查评估"
	}
	return "未知角色"
}

// String returns the stored name of the role (e.g. "aid_unit").
func (r Role) String() string { return string(r) }

// CanWrite reports whether the role may create and edit registry data
// (households, members, income, assistance) within its area: admin, township
// and village. County users, aid units and inspectors only read.
func (r Role) CanWrite() bool {
	return r == RoleAdmin || r == RoleTownship || r == RoleVillage
}

// CanManageUsers reports whether the role may create, disable and reset
// users below itself: admin (everywhere) and county (within its county).
func (r Role) CanManageUsers() bool {
	return r == RoleAdmin || r == RoleCounty
}

// CanReadAudit reports whether the role may read the audit log of its
// areas: administrators (everything) and county users, who manage the
// accounts of their county and so answer for what those accounts did.
// Township and village offices are audited, not auditors.
func (r Role) CanReadAudit() bool {
	return r == RoleAdmin || r == RoleCounty
}

// SeesIdentity reports whether ID-card numbers and phone numbers are shown
// to the role unmasked: admin, township and village. Everyone else sees them
// masked.
func (r Role) SeesIdentity() bool {
	return r == RoleAdmin || r == RoleTownship || r == RoleVillage
}

// CanSetPolicy reports whether the role may change system-wide policy
// settings such as the poverty line: admin only.
func (r Role) CanSetPolicy() bool {
	return r == RoleAdmin
}

// CanGrant reports whether a user of role r may create an account of role
// target, or change, reset or disable one: an administrator any role;
// anyone else only roles whose every capability (CanWrite, SeesIdentity,
// CanSetPolicy, CanManageUsers) r holds itself and that cannot manage users
// in turn — so a county user manages aid units and inspectors, and no
// account can hand out or take over more than its own rights.
func (r Role) CanGrant(target Role) bool {
	if !r.CanManageUsers() || !target.Valid() {
		return false
	}
	if r == RoleAdmin {
		return true
	}
	return !target.CanManageUsers() &&
		(!target.CanWrite() || r.CanWrite()) &&
		(!target.SeesIdentity() || r.SeesIdentity()) &&
		(!target.CanSetPolicy() || r.CanSetPolicy())
}
