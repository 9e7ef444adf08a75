// Package auth holds the sign-in and access-control primitives of Fupin:
// roles and their capabilities, argon2id password hashing and a password
// strength policy, random session/API/CSRF tokens, an in-memory sign-in
// rate limiter with account lock-out, and phone-number masking.
//
// The package is deliberately free of storage and HTTP: it imports only the
// standard library and golang.org/x/crypto, so the store and HTTP layers can
// use it without import cycles. Validation failures are reported as *Error
// with a Simplified Chinese message, which callers map to their own error
// type.
//
// # Roles and capabilities
//
// A user has exactly one role; the area the user is bound to (county,
// township or village) is decided by the store and HTTP layers, which limit
// every query to that area. The capabilities below apply inside that area.
//
//	Role       CanWrite  CanManageUsers  SeesIdentity  CanSetPolicy  Label
//	---------  --------  --------------  ------------  ------------  ----------------
//	admin      yes       yes             yes           yes           系统管理员
//	county     no        yes             no            no            县级用户
//	township   yes       no              yes           no            乡镇指挥部办公室
//	village    yes       no              yes           no            村级干部
//	aid_unit   no        no              no            no            帮扶单位
//	inspector  no        no              no            no            督查评估
//
// The columns are the Role methods:
//
//   - CanWrite: may create and edit registry data (households, members,
//     income, assistance). A county user reads everything in the county but
//     does not edit households; data entry belongs to townships and villages.
//   - CanManageUsers: may create, disable and reset users below itself
//     (admin everywhere, county within its county); CanGrant says which
//     roles: none with a capability the manager lacks.
//   - SeesIdentity: ID-card numbers and phone numbers are shown unmasked;
//     for the other roles they are masked (see MaskPhone and idcard.Mask).
//   - CanSetPolicy: may change system-wide settings such as the poverty line
//     and monitoring thresholds.
//
// # Passwords
//
// HashPassword produces a PHC-style argon2id string such as
//
//	$argon2id$v=19$m=65536,t=2,p=1$<salt>$<hash>
//
// (salt and hash in unpadded standard base64). CheckPassword reads the
// parameters from the string, so the defaults can be raised later without
// invalidating stored hashes; NeedsRehash tells when a stored hash uses other
// parameters than the current defaults.
//
// # Tokens
//
// Session and API tokens are 32 random bytes in unpadded base64url behind a
// short prefix ("fps_" for sessions, "fpt_" for API tokens). Only HashToken
// of a token is stored; the plain token is shown to its owner once.
package auth
