package httpapi

import (
	"errors"
	"net/http"

	"fupin/internal/auth"
	"fupin/internal/fupin"
	"fupin/internal/sqlstore"
)

type (
	usersBody struct {
		Items []sqlstore.User `json:"items"`
	}
	userIn struct {
		Username    string   `json:"username" required:"true"`
		DisplayName string   `json:"display_name"`
		Role        string   `json:"role" required:"true" enum:"admin,county,township,village,aid_unit,inspector"`
		Areas       []string `json:"areas" required:"true"`
		Password    string   `json:"password" required:"true"`
	}
	userUpdateIn struct {
		Username string `path:"username"`
		Password string `json:"password,omitempty" description:"新密码"`
		Disabled *bool  `json:"disabled,omitempty"`
	}
	tokensBody struct {
		Items []sqlstore.APIToken `json:"items"`
	}
	tokenIn struct {
		Name  string   `json:"name" required:"true"`
		Role  string   `json:"role" required:"true"`
		Areas []string `json:"areas" required:"true"`
	}
	tokenBody struct {
		sqlstore.APIToken
		Token string `json:"token" description:"明文令牌，只显示这一次"`
	}
)

// rolesBelow are the roles a county user may hand out.
var rolesBelow = map[auth.Role]bool{auth.RoleTownship: true, auth.RoleVillage: true, auth.RoleAidUnit: true, auth.RoleInspector: true}

func (s *Server) listUsers(w http.ResponseWriter, r *http.Request) {
	s.respond(w, r, http.StatusOK, func(a fupin.Actor) (any, error) {
		users, err := s.db.Users(r.Context(), a)
		return usersBody{Items: users}, err
	})
}

func (s *Server) createUser(w http.ResponseWriter, r *http.Request) {
	withJSON(s, w, r, http.StatusCreated, func(a fupin.Actor, in userIn) (any, error) {
		role, err := checkGrant(principalOf(r).role, in.Role)
		if err != nil {
			return nil, err
		}
		hash, err := hashChecked(in.Password, in.Username)
		if err != nil {
			return nil, err
		}
		return s.db.CreateUser(r.Context(), a, sqlstore.User{Username: in.Username, DisplayName: in.DisplayName,
			Role: string(role), Areas: in.Areas}, hash)
	})
}

// checkGrant parses a role and checks that the caller may grant it.
func checkGrant(caller auth.Role, roleName string) (auth.Role, error) {
	role, err := auth.ParseRole(roleName)
	if err != nil {
		return "", &fupin.Error{Code: fupin.EInvalid, Message: err.Error(), Fields: map[string]string{"role": "未知角色"}}
	}
	if caller != auth.RoleAdmin && !rolesBelow[role] {
		return "", fupin.Errorf(fupin.EForbidden, "%s不能创建%s", caller.Label(), role.Label())
	}
	return role, nil
}

// hashChecked enforces the password policy and hashes the password.
func hashChecked(password, username string) (string, error) {
	if err := auth.CheckStrength(password, username); err != nil {
		var e *auth.Error
		if errors.As(err, &e) {
			return "", &fupin.Error{Code: fupin.EInvalid, Message: e.Message, Fields: map[string]string{"password": e.Message}}
		}
		return "", err
	}
	return auth.HashPassword(password)
}

func (s *Server) updateUser(w http.ResponseWriter, r *http.Request) {
	var in userUpdateIn
	if err := decode(w, r, &in); err != nil {
		s.writeError(w, r, err)
		return
	}
	actor, err := actorOf(r)
	if err == nil {
		hash := ""
		if in.Password != "" {
			hash, err = hashChecked(in.Password, r.PathValue("username"))
		}
		if err == nil {
			err = s.db.UpdateUser(r.Context(), actor, r.PathValue("username"), hash, in.Disabled)
		}
	}
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) listTokens(w http.ResponseWriter, r *http.Request) {
	s.respond(w, r, http.StatusOK, func(a fupin.Actor) (any, error) {
		items, err := s.db.Tokens(r.Context())
		return tokensBody{Items: items}, err
	})
}

func (s *Server) createToken(w http.ResponseWriter, r *http.Request) {
	withJSON(s, w, r, http.StatusCreated, func(a fupin.Actor, in tokenIn) (any, error) {
		role, err := checkGrant(principalOf(r).role, in.Role)
		if err != nil {
			return nil, err
		}
		plain, err := auth.NewToken(auth.APITokenPrefix)
		if err != nil {
			return nil, err
		}
		t, err := s.db.CreateToken(r.Context(), a, sqlstore.APIToken{Name: in.Name, Role: string(role), Areas: in.Areas}, auth.HashToken(plain))
		if err != nil {
			return nil, err
		}
		return tokenBody{APIToken: *t, Token: plain}, nil
	})
}

func (s *Server) revokeToken(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err == nil {
		var actor fupin.Actor
		if actor, err = actorOf(r); err == nil {
			err = s.db.RevokeToken(r.Context(), actor, id)
		}
	}
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
