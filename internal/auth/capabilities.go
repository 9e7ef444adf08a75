package auth

// Capability names something a caller may do; the console shows a button
// only when the caller has the capability the server checks for it.
type Capability string

// Capabilities. Their names are stable: the console keys buttons by them.
const (
	// CapWrite: create and edit registry and aid records in one's areas.
	CapWrite Capability = "write"
	// CapTownshipWrite: writes a township office does for a whole
	// township — plan rotations and confirm them as the office, approve
	// leave, create aid groups, appoint to township posts. It needs write
	// and an area that covers a township (a village user's areas do not).
	CapTownshipWrite Capability = "township_write"
	// CapUsers: manage users below oneself (/api/v1/users).
	CapUsers Capability = "users"
	// CapPolicy: set policy parameters and aid rules.
	CapPolicy Capability = "policy"
	// CapAdmin: API tokens and the audit log's hash-chain check.
	CapAdmin Capability = "admin"
	// CapAudit: read the audit log of one's areas.
	CapAudit Capability = "audit"
	// CapIdentity: see ID and mobile numbers unmasked.
	CapIdentity Capability = "identity"
)

// Capabilities lists what a user of the role with these areas (division
// code prefixes; "" is everywhere) may do, in the order of the constants.
func (r Role) Capabilities(areas []string) []Capability {
	caps := []Capability{}
	if r.CanWrite() {
		caps = append(caps, CapWrite)
		for _, a := range areas {
			if len(a) <= 9 {
				caps = append(caps, CapTownshipWrite)
				break
			}
		}
	}
	if r.CanManageUsers() {
		caps = append(caps, CapUsers)
	}
	if r.CanSetPolicy() {
		caps = append(caps, CapPolicy)
	}
	if r == RoleAdmin {
		caps = append(caps, CapAdmin)
	}
	if r.CanReadAudit() {
		caps = append(caps, CapAudit)
	}
	if r.SeesIdentity() {
		caps = append(caps, CapIdentity)
	}
	return caps
}
